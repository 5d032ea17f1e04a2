"""PII masking: detect (Presidio + Japanese recognizers), then act as the policy says.

Detection lives in :mod:`kiyome.transforms.pii.detect`; this module turns
detections into decisions (act, keep, allow-listed, below the policy's
threshold), applies the document rules (drop the document, 要配慮個人情報),
runs Presidio's ``AnonymizerEngine`` with the policy's operators and counts
what it did. It fails closed: a document whose detection, anonymizer operators
(pseudonyms included) or metadata masking raised is quarantined (reason
``pii_error``, the exception's class name as detail, never its message) and
one that ran past its time limit (:mod:`.deadline`) is quarantined as
``pii_timeout``; neither is ever written.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from kiyome.policies.policy import UNCHANGED, EntityAction, Policy
from kiyome.transforms.memory import MASKING_PROCESS_NAME, name_this_process, release_free_memory
from kiyome.transforms.pii import deadline
from kiyome.transforms.pii.deadline import TimeLimit
from kiyome.transforms.pii.sentences import sentence_bounds
from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "pii"
#: Tag of the (source, entity, operator) -> count side output.
AUDIT = "audit"
#: Entity of a sentence removed by the 要配慮個人情報 rule.
SENSITIVE = "SENSITIVE_PERSONAL_INFO"
#: Decisions that leave the text as it is.
#: Longest run of characters operator ``mask`` overwrites (the whole span in practice).
_MASK_ALL = 1 << 30
#: Documents masked together (their NER windows go to GiNZA in one call).
MAX_BATCH = 64
#: Reject reason of a document whose detection or masking raised (fail closed).
PII_ERROR = "pii_error"
#: Reject reason of a document whose detection ran past its time limit.
PII_TIMEOUT = "pii_timeout"


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one detected span (never the span's text)."""

    entity: str
    start: int
    end: int
    score: float
    recognizer: str
    action: str
    note: str = ""


class MaskedDocument(NamedTuple):
    """A document the policy keeps: masked text and metadata, and what was done."""

    text: str
    metadata: Any
    counts: Counter
    #: Sudachi morphemes of ``text``: the shard's ``n_tokens``.
    n_tokens: int | None = None


@dataclass
class Outcome:
    """The masked text, every decision, and a drop reason when the document must go."""

    text: str
    decisions: list[Decision] = field(default_factory=list)
    drop_reason: str | None = None
    drop_detail: dict[str, Any] = field(default_factory=dict)
    #: Sudachi morphemes of ``text`` when detection already counted them, else None.
    n_tokens: int | None = None

    def counts(self) -> Counter:
        return Counter((decision.entity, decision.action) for decision in self.decisions)


class Masker:
    """Detect and mask text under a policy; one per worker process (heavy models)."""

    def __init__(self, policy: Policy) -> None:
        from presidio_anonymizer import AnonymizerEngine

        from kiyome.transforms.pii.detect import build_detector

        # Presidio logs every recognizer it loads, once per worker process.
        logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
        from kiyome.transforms.tokens import MorphemeCounter

        self.detector = build_detector(ner=policy.ner,
                                       extra_context=policy.extra_context() or None)
        self.counter = MorphemeCounter(self.detector.analyzer.nlp_engine.dictionary)
        self.anonymizer = AnonymizerEngine()
        self._use(policy)

    def _use(self, policy: Policy) -> None:
        from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES

        self.policy = policy
        disabled = policy.disabled_entities()
        self.entities = [entity for entity in SUPPORTED_ENTITIES if entity not in disabled]
        # Entities the policy leaves in the text (keep) are not worth a GiNZA pass.
        self.ner_entities = [e for e in self.entities if policy.action_for(e).operator != "keep"]
        self.term_recognizer = None
        if policy.confidential_terms and "CONFIDENTIAL" not in disabled:
            from kiyome.transforms.pii.recognizers.generic.term_list_recognizer import (
                TermListRecognizer,
            )

            terms = [term for term, _ in policy.confidential_terms]
            self.term_recognizer = TermListRecognizer(terms, entity="CONFIDENTIAL")
        self.key = None
        if policy.uses_pseudonyms():
            from kiyome.transforms.pii.pseudonym import resolve_key

            self.key = resolve_key(policy.pseudonym_key)

    def with_policy(self, policy: Policy) -> Masker:
        """The same engines under another policy (loading GiNZA again costs seconds),
        unless the policy changes how detection runs (NER mode, extra keywords)."""
        from kiyome.transforms.pii.detect import build_detector

        other = copy.copy(self)
        if (policy.ner, policy.extra_context()) != (self.policy.ner, self.policy.extra_context()):
            other.detector = build_detector(ner=policy.ner,
                                            extra_context=policy.extra_context() or None)
        other._use(policy)
        return other

    # -- detection -> decisions ------------------------------------------------

    def _detections(
        self, texts: Sequence[str], token_counts: list[int | None] | None = None
    ) -> list[list]:
        from kiyome.transforms.pii.detect import detect_many

        found = detect_many(self.detector, texts, entities=self.entities,
                            ner_entities=self.ner_entities, token_counts=token_counts)
        if self.term_recognizer is not None:
            for text, results in zip(texts, found, strict=True):
                results += self.term_recognizer.analyze(text, ["CONFIDENTIAL"], None)
        return found

    def _decide(self, text: str, result) -> Decision:
        action = self.policy.action_for(result.entity_type)
        recognizer = (result.recognition_metadata or {}).get("recognizer_name", "?")
        base = (result.entity_type, result.start, result.end, round(result.score, 3), recognizer)
        if result.score < action.min_score:
            return Decision(*base, "below_min_score")
        reason = action.allow_reason(text[result.start:result.end]) if action.allow else None
        if reason is not None:
            return Decision(*base, "allowed", reason)
        return Decision(*base, action.operator)

    def _sensitive_sentences(self, text: str, decisions: list[Decision]) -> list[Decision]:
        """Sentences where a 要配慮 topic sits within the rule's window of a person."""
        rule = self.policy.sensitive
        people = [d for d in decisions if d.entity == "PERSON" and d.action != "below_min_score"]
        if rule is None or not people:
            return []
        from kiyome.transforms.pii.recognizers.sensitive_topics import (
            SENSITIVE_CATEGORIES,
            find_sensitive,
        )

        found: dict[tuple[int, int], str] = {}
        for start, end, category in find_sensitive(text, rule.categories or SENSITIVE_CATEGORIES):
            near = any(person.start - rule.window <= end and start <= person.end + rule.window
                       for person in people)
            if near:
                found.setdefault(sentence_bounds(text, start), category)
        operator = "redact" if not rule.placeholder else "replace"
        return [Decision(SENSITIVE, start, end, 1.0, "sensitive_topics", operator, category)
                for (start, end), category in sorted(found.items())]

    # -- decisions -> text -----------------------------------------------------

    def _operator(self, entity: str, decision_action: str):
        from presidio_anonymizer.entities import OperatorConfig

        if entity == SENSITIVE:
            rule = self.policy.sensitive
            return OperatorConfig("replace", {"new_value": rule.placeholder}) \
                if rule and rule.placeholder else OperatorConfig("redact", {})
        action: EntityAction = self.policy.action_for(entity)
        if decision_action == "replace":
            return OperatorConfig("replace", {"new_value": action.replacement_for(entity)})
        if decision_action == "mask":
            return OperatorConfig("mask", {"masking_char": action.masking_char,
                                           "chars_to_mask": _MASK_ALL, "from_end": False})
        if decision_action == "pseudonymize":
            from kiyome.transforms.pii.pseudonym import pseudonym

            key, template = self.key, action.pseudonym_template(entity)
            return OperatorConfig("custom", {"lambda": lambda value: template.replace(
                "{pseudonym}", pseudonym(key, entity, value)).replace("{entity}", entity)})
        return OperatorConfig("redact", {})

    def explain(self, text: str) -> Outcome:
        """Every decision for ``text``, the masked text, and whether the document must go."""
        return self.explain_many([text])[0]

    def explain_many(self, texts: Sequence[str]) -> list[Outcome]:
        """:meth:`explain` for several texts, detected together (one GiNZA call)."""
        counts: list[int | None] = []
        outcomes = [self._outcome(text, found)
                    for text, found in zip(texts, self._detections(texts, counts), strict=True)]
        if len(counts) != len(texts):  # a detector that does not count
            counts = [None] * len(texts)
        for text, outcome, count in zip(texts, outcomes, counts, strict=True):
            if outcome.text == text:  # unchanged: the fast pass's count is the text's count
                outcome.n_tokens = count
        return outcomes

    def _outcome(self, text: str, detections: list) -> Outcome:
        from presidio_analyzer import RecognizerResult

        decisions = [self._decide(text, result) for result in detections]
        acted = [d for d in decisions if d.action not in UNCHANGED]
        outcome = Outcome(text, decisions)
        dropping = [d for d in acted if d.action == "drop_document"]
        if dropping:
            outcome.drop_reason, outcome.drop_detail = "policy_drop_document", {
                "entity": dropping[0].entity}
            return outcome
        limit = self.policy.max_pii_hits
        if limit is not None and len(acted) > limit:
            outcome.drop_reason, outcome.drop_detail = "too_many_pii", {"hits": len(acted),
                                                                        "limit": limit}
            return outcome
        sensitive = self._sensitive_sentences(text, decisions)
        if sensitive and self.policy.sensitive.action == "drop_document":
            outcome.drop_reason, outcome.drop_detail = "sensitive_personal_info", {
                "category": sensitive[0].note}
            return outcome
        outcome.decisions += sensitive
        acted += sensitive
        if not acted:
            return outcome
        results = [RecognizerResult(d.entity, d.start, d.end, d.score) for d in acted]
        operators = {d.entity: self._operator(d.entity, d.action) for d in acted}
        outcome.text = self.anonymizer.anonymize(text, results, operators=operators).text
        return outcome

    def mask(self, text: str) -> tuple[str, Counter]:
        """The masked text and counts per (entity, action); raises if the text must be dropped.

        Kept and allow-listed spans are counted but never handed to the
        anonymizer: there a kept span that contains a masked one would win
        the overlap and shield it.
        """
        outcome = self.explain(text)
        if outcome.drop_reason:
            raise DocumentDropped(outcome.drop_reason, outcome.drop_detail)
        return outcome.text, outcome.counts()

    def mask_documents(
        self, documents: Sequence[tuple[str, Any]]
    ) -> list[MaskedDocument | tuple[DocumentDropped, Counter]]:
        """Mask each ``(text, metadata)`` pair, all strings detected in one batch.

        Per document: a :class:`MaskedDocument`, or ``(DocumentDropped, counts so
        far)`` when the text or a metadata string must go (the same result as
        :meth:`mask` then :meth:`mask_value`).
        """
        leaves = [string_leaves(metadata) for _, metadata in documents]
        strings = [s for (text, _), mine in zip(documents, leaves, strict=True)
                   for s in (text, *mine)]
        outcomes = iter(self.explain_many(strings))
        masked: list = []
        for (_, metadata), mine in zip(documents, leaves, strict=True):
            text_outcome = next(outcomes)
            leaf_outcomes = [next(outcomes) for _ in mine]
            counts: Counter = Counter()
            try:
                text, *masked_leaves = _masked_texts([text_outcome, *leaf_outcomes], counts)
            except DocumentDropped as dropped:
                masked.append((dropped, counts))
                continue
            n_tokens = text_outcome.n_tokens
            if n_tokens is None:  # masked, or read in several chunks: count the final text
                n_tokens = self.counter.count(text)
            masked.append(MaskedDocument(text, replace_leaves(metadata, iter(masked_leaves)),
                                         counts, n_tokens))
        return masked

    def mask_value(self, value: Any, counts: Counter) -> Any:
        """Mask every string inside a metadata value (dicts and lists walked)."""
        masked = _masked_texts(self.explain_many(string_leaves(value)), counts)
        return replace_leaves(value, iter(masked))


def _masked_texts(outcomes: Sequence[Outcome], counts: Counter) -> list[str]:
    """The masked texts in order, their counts added to ``counts``; raises
    :class:`DocumentDropped` at the first one the policy drops (counts so far kept)."""
    texts = []
    for outcome in outcomes:
        if outcome.drop_reason:
            raise DocumentDropped(outcome.drop_reason, outcome.drop_detail)
        counts.update(outcome.counts())
        texts.append(outcome.text)
    return texts


def string_leaves(value: Any) -> list[str]:
    """Every string (and number, as text) inside a metadata value, in walk order.

    >>> string_leaves({"from": "佐藤", "to": ["a", "b"], "size": 3, "ok": True})
    ['佐藤', 'a', 'b', '3']
    """
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in string_leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in string_leaves(item)]
    if isinstance(value, bool) or value is None:
        return []
    return [value if isinstance(value, str) else str(value)]


def replace_leaves(value: Any, masked: Iterator[str]) -> Any:
    """``value`` with its :func:`string_leaves` replaced in order; unchanged leaves
    keep their type (a number stays a number)."""
    if isinstance(value, dict):
        return {key: replace_leaves(item, masked) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_leaves(item, masked) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    as_text = value if isinstance(value, str) else str(value)
    new = next(masked)
    return new if new != as_text else value


class DocumentDropped(Exception):
    """The policy drops this document (not an error: a decision with a reason code)."""

    def __init__(self, reason: str, detail: dict[str, Any]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class _MaskerHolder:
    def __init__(self, policy: Policy) -> None:
        self.masker = Masker(policy)


_SHARED_MASKER = Shared()
#: Characters detection read, and those GiNZA's NER read (manifest ``detection``).
_CHARS = Metrics.counter(METRICS_NAMESPACE, "detect.chars")
_NER_CHARS = Metrics.counter(METRICS_NAMESPACE, "detect.ner_chars")


class _MaskDoFn(beam.DoFn):
    def __init__(self, policy: Policy, time_limit: TimeLimit | None = None) -> None:
        self._policy = policy
        self._time_limit = time_limit or TimeLimit()
        self._masker: Masker | None = None

    def setup(self) -> None:
        release_free_memory()  # what the stages before masking freed, before GiNZA loads
        name_this_process(MASKING_PROCESS_NAME)
        policy = self._policy
        self._masker = _SHARED_MASKER.acquire(
            lambda: _MaskerHolder(policy), tag=policy.content_hash
        ).masker

    @timed("pii")
    def process(self, batch: list[dict[str, Any]]):
        yield from self._process(batch)

    def _process(self, batch: list[dict[str, Any]]):
        """A batch of documents (``BatchElements``): detected together; if the batch
        fails, each document alone, so only the one that fails is quarantined."""
        try:
            outputs = self._mask_batch(batch)
        except Exception as error:
            if len(batch) > 1:
                for doc in batch:
                    yield from self._process([doc])
            else:  # fail closed: quarantine, never write unmasked text
                reason = PII_TIMEOUT if isinstance(error, TimeoutError) else PII_ERROR
                yield reject(batch[0], STAGE, reason, error=type(error).__name__)
            return
        yield from outputs

    def _mask_batch(self, batch: list[dict[str, Any]]) -> list:
        """Every output of the batch, built in full before any is emitted: detection,
        the anonymizer's operators, metadata and the output rows all sit inside the
        caller's guard, so a failure anywhere leaves nothing half-written."""
        detector = getattr(self._masker, "detector", None)
        before = (detector.chars, detector.ner_chars) if detector is not None else (0, 0)
        documents = [(doc["text"], doc.get("metadata") or {}) for doc in batch]
        chars = sum(len(text) + sum(map(len, string_leaves(metadata)))
                    for text, metadata in documents)
        with deadline.time_limit(self._time_limit.seconds_for(chars)):
            results = self._masker.mask_documents(documents)
        outputs = [out for doc, result in zip(batch, results, strict=True)
                   for out in self._emit(doc, result)]
        if detector is not None:
            _CHARS.inc(detector.chars - before[0])
            _NER_CHARS.inc(detector.ner_chars - before[1])
        return outputs

    def _emit(self, doc: dict[str, Any], result):
        if not isinstance(result, MaskedDocument):
            dropped, counts = result
            yield from self._audit(doc["source"], counts)
            yield reject(doc, STAGE, dropped.reason, **dropped.detail)
            return
        yield from self._audit(doc["source"], result.counts)
        per_entity: Counter = Counter()
        for (entity, action), count in result.counts.items():
            if action not in UNCHANGED:
                per_entity[entity] += count
        masked = {**doc, "text": result.text, "metadata": result.metadata,
                  "pii_counts": dict(per_entity)}
        if result.n_tokens is not None:
            masked["n_tokens"] = result.n_tokens
        yield masked

    @staticmethod
    def _audit(source: str, counts: Counter):
        for (entity, action), count in sorted(counts.items()):
            Metrics.counter(METRICS_NAMESPACE, f"pii.{entity}.{action}").inc(count)
            yield beam.pvalue.TaggedOutput(AUDIT, ((source, entity, action), count))


class MaskPii(beam.PTransform):
    """Mask personal data in text and metadata under ``policy``.

    Outputs: masked documents (``docs``), rejections (``rejected``: dropped by
    the policy or quarantined), and audit counts per (source, entity, action).
    ``time_limit`` bounds each document's detection (default :class:`TimeLimit`).
    """

    def __init__(self, policy: Policy, time_limit: TimeLimit | None = None) -> None:
        super().__init__()
        self._policy = policy
        self._time_limit = time_limit

    def expand(self, docs):
        return (
            docs
            # Documents travel in batches so their NER windows share one GiNZA call.
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=MAX_BATCH)
            | "DetectAndMask" >> beam.ParDo(_MaskDoFn(self._policy, self._time_limit)).with_outputs(
                REJECTED, AUDIT, main="docs")
        )
