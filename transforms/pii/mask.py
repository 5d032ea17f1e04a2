"""PII masking: detect (Presidio + Japanese recognizers), then act as the policy says.

Detection lives in :mod:`kiyome.transforms.pii.detect`; this module only turns
detections into the policy's operators and counts what it did. It fails
closed: a document whose detection or masking raised is quarantined
(reason ``pii_detection_failed``) and never written.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from kiyome.policies.policy import EntityAction, Policy
from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject

STAGE = "pii"
#: Longest run of characters operator ``mask`` overwrites (the whole span in practice).
_MASK_ALL = 1 << 30


def operator_config(entity: str, action: EntityAction):
    """Presidio ``OperatorConfig`` for one entity under the policy."""
    from presidio_anonymizer.entities import OperatorConfig

    if action.operator == "replace":
        return OperatorConfig("replace", {"new_value": action.replacement_for(entity)})
    if action.operator == "mask":
        return OperatorConfig("mask", {"masking_char": action.masking_char,
                                       "chars_to_mask": _MASK_ALL, "from_end": False})
    return OperatorConfig(action.operator, {})


class Masker:
    """Detect and mask one text under a policy; one per worker process (heavy models)."""

    def __init__(self, policy: Policy) -> None:
        from presidio_anonymizer import AnonymizerEngine

        from kiyome.transforms.pii.detect import build_analyzer

        # Presidio logs every recognizer it loads, once per worker process.
        logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
        self.analyzer = build_analyzer()
        self.anonymizer = AnonymizerEngine()
        self._use(policy)

    def _use(self, policy: Policy) -> None:
        from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES

        self.policy = policy
        disabled = policy.disabled_entities()
        self.entities = [entity for entity in SUPPORTED_ENTITIES if entity not in disabled]

    def with_policy(self, policy: Policy) -> Masker:
        """The same engines under another policy (loading GiNZA again costs seconds)."""
        other = copy.copy(self)
        other._use(policy)
        return other

    def mask(self, text: str) -> tuple[str, Counter]:
        """The masked text and a count of handled spans per (entity, operator).

        Spans the policy keeps are counted but not handed to the anonymizer:
        there a kept span that contains a masked one would win the overlap and
        shield it.
        """
        from kiyome.transforms.pii.detect import detect

        counts: Counter = Counter()
        to_mask = []
        for result in detect(self.analyzer, text, entities=self.entities):
            action = self.policy.action_for(result.entity_type)
            if result.score < action.min_score:
                continue
            if action.operator == "keep":
                counts[(result.entity_type, "keep")] += 1
            else:
                to_mask.append(result)
        if not to_mask:
            return text, counts
        operators = {
            entity: operator_config(entity, self.policy.action_for(entity))
            for entity in {result.entity_type for result in to_mask}
        }
        engine_result = self.anonymizer.anonymize(text, to_mask, operators=operators)
        counts.update((item.entity_type, item.operator) for item in engine_result.items)
        return engine_result.text, counts

    def mask_value(self, value: Any, counts: Counter) -> Any:
        """Mask every string inside a metadata value (dicts and lists walked)."""
        if isinstance(value, dict):
            return {key: self.mask_value(item, counts) for key, item in value.items()}
        if isinstance(value, list):
            return [self.mask_value(item, counts) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        as_text = value if isinstance(value, str) else str(value)
        masked, found = self.mask(as_text)
        counts.update(found)
        return masked if masked != as_text else value


class _MaskerHolder:
    def __init__(self, policy: Policy) -> None:
        self.masker = Masker(policy)


_SHARED_MASKER = Shared()


class _MaskDoFn(beam.DoFn):
    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        self._masker: Masker | None = None

    def setup(self) -> None:
        policy = self._policy
        self._masker = _SHARED_MASKER.acquire(
            lambda: _MaskerHolder(policy), tag=policy.content_hash
        ).masker

    def process(self, doc: dict[str, Any]):
        try:
            text, counts = self._masker.mask(doc["text"])
            metadata = self._masker.mask_value(doc.get("metadata") or {}, counts)
        except Exception as error:  # fail closed: quarantine, never write unmasked text
            yield reject(doc, STAGE, "pii_detection_failed", error=type(error).__name__)
            return
        per_entity: Counter = Counter()
        for (entity, operator), count in counts.items():
            Metrics.counter(METRICS_NAMESPACE, f"pii.{entity}.{operator}").inc(count)
            if operator != "keep":
                per_entity[entity] += count
        yield {**doc, "text": text, "metadata": metadata, "pii_counts": dict(per_entity)}


class MaskPii(beam.PTransform):
    """Mask personal data in text and metadata under ``policy``; count spans per entity."""

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        self._policy = policy

    def expand(self, docs):
        return docs | "DetectAndMask" >> beam.ParDo(_MaskDoFn(self._policy)).with_outputs(
            REJECTED, main="docs"
        )
