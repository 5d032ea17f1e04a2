"""PII masking: detect (Presidio + Japanese recognizers), then act as the policy says.

Detection lives in :mod:`kiyome.transforms.pii.detect`; this module only turns
detections into the policy's operators and counts what it did. It fails
closed: a document whose detection or masking raised is quarantined
(reason ``pii_detection_failed``) and never written.
"""

from __future__ import annotations

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

        from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES, build_analyzer

        self.policy = policy
        self.analyzer = build_analyzer()
        self.anonymizer = AnonymizerEngine()
        disabled = policy.disabled_entities()
        self.entities = [entity for entity in SUPPORTED_ENTITIES if entity not in disabled]

    def mask(self, text: str) -> tuple[str, Counter]:
        """The masked text and a count of masked spans per (entity, operator)."""
        from kiyome.transforms.pii.detect import detect

        results = [
            result for result in detect(self.analyzer, text, entities=self.entities)
            if result.score >= self.policy.action_for(result.entity_type).min_score
        ]
        if not results:
            return text, Counter()
        operators = {
            entity: operator_config(entity, self.policy.action_for(entity))
            for entity in {result.entity_type for result in results}
        }
        engine_result = self.anonymizer.anonymize(text, results, operators=operators)
        counts = Counter((item.entity_type, item.operator) for item in engine_result.items)
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
        return masked if found else value


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
