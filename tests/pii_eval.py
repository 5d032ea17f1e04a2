"""Evaluate PII detection on the labelled Japanese test set and the hard negatives.

    python -m tests.pii_eval            # prints the entity and hard-negative tables

Metrics (see tests/pii_testset/README.md):

* **span recall** per entity: a gold span is found when one detection of the same
  entity (for ``JP_ADDRESS`` also ``LOCATION``) with score >= its threshold covers
  it completely;
* **character precision** per entity: share of the characters of its detections
  (score >= threshold) that lie inside a gold span of any entity; the overall
  figure counts each detected character once and leaves out entities that are not
  masked (policy operator ``keep``, e.g. LOCATION) and non-personal types;
* **hard negatives**: per category, the share of examples where a detection of a
  personal-data entity (score >= threshold) overlaps a marked look-alike.

Thresholds are the shipped policy's ``min_score`` per entity
(:func:`policy_min_scores`), i.e. what users get.

>>> spans = [(0, 4), (6, 8)]
>>> _covers((0, 5), (0, 4)), _covers((1, 5), (0, 4)), _overlaps((3, 7), spans)
(True, False, True)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiyome.transforms.pii import detect as detect_module

TESTSET_DIR = Path(__file__).resolve().parent / "pii_testset"
LABELLED_PATH = TESTSET_DIR / "labelled.jsonl"
HARD_NEGATIVES_PATH = TESTSET_DIR / "hard_negatives.jsonl"

#: The quality bar (issue): span recall and precision floors, hard-negative ceiling.
OVERALL_RECALL = 0.95
CHECK_DIGIT_ENTITIES = ("JP_MY_NUMBER", "JP_CORPORATE_NUMBER", "JP_INVOICE_NUMBER", "CREDIT_CARD")
CHECK_DIGIT_RECALL = 0.99
NAME_ADDRESS_ENTITIES = ("PERSON", "JP_ADDRESS")
NAME_ADDRESS_RECALL = 0.90
CHAR_PRECISION = 0.90
HARD_NEGATIVE_MAX_FP_RATE = 0.05

#: Detections of these entities also find a gold span of the key entity.
EQUIVALENT_ENTITIES = {"JP_ADDRESS": frozenset({"JP_ADDRESS", "LOCATION"})}
#: Detected types that are not personal data (never a hard-negative false positive).
NON_PERSONAL_ENTITIES = frozenset({"CONFIDENTIAL"})
DEFAULT_MIN_SCORE = 0.4


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def supported_entities() -> tuple[str, ...]:
    """What ``build_detector()`` can emit right now (read at call time: it grows)."""
    return tuple(detect_module.SUPPORTED_ENTITIES)


def policy_min_scores() -> dict[str, float]:
    """``min_score`` per entity from the shipped policy (unlisted -> the policy default)."""
    from kiyome.policies.policy import load_policy

    policy = load_policy()
    names = set(supported_entities()) | set(policy.entities)
    return {name: policy.action_for(name).min_score for name in sorted(names)}


def unmasked_entities() -> frozenset[str]:
    """Entities the shipped policy leaves in the text (operator keep or disabled)."""
    from kiyome.policies.policy import load_policy

    policy = load_policy()
    return frozenset(name for name, action in policy.entities.items()
                     if action.operator == "keep" or not action.enabled)


def _covers(detection: tuple[int, int], gold: tuple[int, int]) -> bool:
    return detection[0] <= gold[0] and gold[1] <= detection[1]


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


Detection = tuple[str, int, int, float]  # entity, start, end, score


@dataclass
class EntityStats:
    gold: int = 0
    found: int = 0
    detected_chars: int = 0
    detected_chars_in_gold: int = 0
    detections: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def char_precision(self) -> float | None:
        return self.detected_chars_in_gold / self.detected_chars if self.detected_chars else None


@dataclass
class NegativeStats:
    examples: int = 0
    false_positives: int = 0
    entities: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.false_positives / self.examples if self.examples else 0.0


@dataclass
class Report:
    supported: frozenset[str]
    entities: dict[str, EntityStats]
    negatives: dict[str, NegativeStats]
    overall_chars: int = 0
    overall_chars_in_gold: int = 0
    #: (doc id, entity, gold text, overlapping detections "ENTITY:text:score").
    misses: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    #: Labelled docs: (doc id, entity, detected text, score) outside every gold span.
    spurious: list[tuple[str, str, str, float]] = field(default_factory=list)
    #: Hard negatives: (category, example id, entity, detected text, score).
    negative_hits: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    seconds: float = 0.0

    # -- aggregate figures
    def overall_recall(self) -> float | None:
        gold = sum(s.gold for e, s in self.entities.items() if e in self.supported)
        found = sum(s.found for e, s in self.entities.items() if e in self.supported)
        return found / gold if gold else None

    def overall_char_precision(self) -> float | None:
        return self.overall_chars_in_gold / self.overall_chars if self.overall_chars else None

    def recall(self, entity: str) -> float | None:
        stats = self.entities.get(entity)
        return stats.recall if stats else None

    # -- tables
    def entity_table(self) -> str:
        rows = ["| entity | gold spans | recall | char precision |", "|---|---:|---:|---:|"]
        for entity in sorted(self.entities):
            stats = self.entities[entity]
            if entity not in self.supported:
                rows.append(f"| {entity} | {stats.gold} | not supported | not supported |")
                continue
            rows.append(f"| {entity} | {stats.gold} | {_pct(stats.recall)} "
                        f"| {_pct(stats.char_precision)} |")
        gold = sum(s.gold for e, s in self.entities.items() if e in self.supported)
        rows.append(f"| **overall (supported)** | {gold} | {_pct(self.overall_recall())} "
                    f"| {_pct(self.overall_char_precision())} |")
        return "\n".join(rows)

    def negatives_table(self) -> str:
        rows = ["| hard-negative category | examples | false positives | FP rate | detected as |",
                "|---|---:|---:|---:|---|"]
        for category in sorted(self.negatives):
            stats = self.negatives[category]
            seen = ", ".join(f"{e} ×{n}" for e, n in stats.entities.most_common()) or "—"
            rows.append(f"| {category} | {stats.examples} | {stats.false_positives} "
                        f"| {stats.rate:.1%} | {seen} |")
        return "\n".join(rows)

    def table(self) -> str:
        return self.entity_table() + "\n\n" + self.negatives_table()

    def examples(self, limit: int = 8) -> str:
        """A few misses and false positives per entity/category, for humans."""
        lines = ["Missed gold spans:"]
        per_entity: dict[str, int] = defaultdict(int)
        for doc_id, entity, text, near in self.misses:
            per_entity[entity] += 1
            if per_entity[entity] <= limit and entity in self.supported:
                got = "; ".join(near) if near else "nothing"
                lines.append(f"  {entity:<32} {text!r:<40} [{doc_id}] got: {got}")
        lines.append("Detections outside gold spans (labelled docs):")
        per_entity.clear()
        for doc_id, entity, text, score in self.spurious:
            per_entity[entity] += 1
            if per_entity[entity] <= limit:
                lines.append(f"  {entity:<32} {text!r:<40} {score:.2f} [{doc_id}]")
        lines.append("Hard-negative false positives:")
        for category, doc_id, entity, text, score in self.negative_hits:
            lines.append(f"  {category:<22} {entity:<26} {text!r} {score:.2f} [{doc_id}]")
        return "\n".join(lines)


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}"


# --------------------------------------------------------------------------- detection

_WORKER_DETECTOR = None


def reference_analyzer():
    """Plain Presidio + GiNZA, wired the way Presidio's docs wire a spaCy model in:
    ``AnalyzerEngine`` on ``ja_ginza`` with the stock ``SpacyRecognizer`` (names and
    places only). The speed and recall yardstick of the PII stage (``bench/``)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    conf = {"nlp_engine_name": "spacy",
            "models": [{"lang_code": "ja", "model_name": detect_module.GINZA_MODEL}],
            "ner_model_configuration": {"model_to_presidio_entity_mapping": {
                "Person": "PERSON", "Province": "LOCATION", "City": "LOCATION"}}}
    registry = RecognizerRegistry(supported_languages=["ja"])
    registry.add_recognizer(SpacyRecognizer(supported_language="ja",
                                            supported_entities=["PERSON", "LOCATION"]))
    nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, registry=registry, supported_languages=["ja"])


def _detect_one(text: str) -> list[Detection]:
    if isinstance(_WORKER_DETECTOR, detect_module.PiiDetector):
        results = detect_module.detect(_WORKER_DETECTOR, text)
    else:  # the reference: a bare Presidio AnalyzerEngine
        results = _WORKER_DETECTOR.analyze(text, language="ja")
    return [(r.entity_type, r.start, r.end, float(r.score)) for r in results]


def detect_all(detector, texts: Sequence[str], workers: int = 1) -> list[list[Detection]]:
    """``detect`` on every text; ``workers > 1`` forks that many processes sharing
    the already-loaded detector (copy-on-write; GiNZA is CPU-bound)."""
    global _WORKER_DETECTOR
    _WORKER_DETECTOR = detector
    try:
        if workers <= 1 or len(texts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [_detect_one(text) for text in texts]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_detect_one, texts, chunksize=8)
    finally:
        _WORKER_DETECTOR = None


# --------------------------------------------------------------------------- evaluation


def evaluate(
    detector,
    labelled_docs: Sequence[dict],
    hard_negatives: Sequence[dict],
    entity_min_scores: dict[str, float] | float = DEFAULT_MIN_SCORE,
    workers: int = 1,
) -> Report:
    """Run detection on both sets and compute the :class:`Report`."""
    started = time.perf_counter()
    if isinstance(entity_min_scores, dict):
        scores = dict(entity_min_scores)
        default = DEFAULT_MIN_SCORE
    else:
        scores, default = {}, float(entity_min_scores)

    def kept(detections: list[Detection]) -> list[Detection]:
        return [d for d in detections if d[3] >= scores.get(d[0], default)]

    supported = frozenset(supported_entities())
    unmasked = unmasked_entities() | NON_PERSONAL_ENTITIES
    texts = [doc["text"] for doc in labelled_docs] + [ex["text"] for ex in hard_negatives]
    all_detections = detect_all(detector, texts, workers)
    labelled_detections = all_detections[: len(labelled_docs)]
    negative_detections = all_detections[len(labelled_docs):]

    # Every supported entity gets a row, with or without gold spans.
    entities: dict[str, EntityStats] = defaultdict(EntityStats,
                                                   {e: EntityStats() for e in supported})
    report = Report(supported=supported, entities=entities, negatives={})

    for doc, raw in zip(labelled_docs, labelled_detections, strict=True):
        text = doc["text"]
        detections = kept(raw)
        gold_spans = [(s["start"], s["end"]) for s in doc["spans"]]
        gold_chars = set()
        for start, end in gold_spans:
            gold_chars.update(range(start, end))
        for span in doc["spans"]:
            entity, gold = span["entity"], (span["start"], span["end"])
            accepted = EQUIVALENT_ENTITIES.get(entity, frozenset({entity}))
            stats = entities[entity]
            stats.gold += 1
            if any(d[0] in accepted and _covers((d[1], d[2]), gold) for d in detections):
                stats.found += 1
            else:
                near = [f"{d[0]}:{text[d[1]:d[2]]!r}:{d[3]:.2f}" for d in raw
                        if _overlaps((d[1], d[2]), [gold])]
                report.misses.append((doc["id"], entity, text[gold[0]:gold[1]], near))
        masked_chars: set[int] = set()
        for entity, start, end, score in detections:
            inside = sum(1 for i in range(start, end) if i in gold_chars)
            stats = entities[entity]
            stats.detections += 1
            stats.detected_chars += end - start
            stats.detected_chars_in_gold += inside
            if entity not in unmasked:
                masked_chars.update(range(start, end))
            if inside < end - start:
                report.spurious.append((doc["id"], entity, text[start:end], score))
        report.overall_chars += len(masked_chars)
        report.overall_chars_in_gold += len(masked_chars & gold_chars)

    for example, raw in zip(hard_negatives, negative_detections, strict=True):
        stats = report.negatives.setdefault(example["category"], NegativeStats())
        stats.examples += 1
        marked = [(s["start"], s["end"]) for s in example["spans"]]
        hits = [d for d in kept(raw) if d[0] not in unmasked and _overlaps((d[1], d[2]), marked)]
        if hits:
            stats.false_positives += 1
            for entity, start, end, score in hits:
                stats.entities[entity] += 1
                report.negative_hits.append((example["category"], example["id"], entity,
                                             example["text"][start:end], score))
    report.entities = dict(entities)
    report.seconds = time.perf_counter() - started
    return report


def bar_failures(report: Report) -> list[str]:
    """Every way ``report`` misses the quality bar (entities not yet supported are skipped)."""
    failures = []
    overall = report.overall_recall()
    if overall is not None and overall < OVERALL_RECALL:
        failures.append(f"overall recall {overall:.1%} < {OVERALL_RECALL:.0%}")
    for group, floor in ((CHECK_DIGIT_ENTITIES, CHECK_DIGIT_RECALL),
                         (NAME_ADDRESS_ENTITIES, NAME_ADDRESS_RECALL)):
        for entity in group:
            recall = report.recall(entity)
            if entity in report.supported and recall is not None and recall < floor:
                failures.append(f"{entity} recall {recall:.1%} < {floor:.0%}")
    precision = report.overall_char_precision()
    if precision is not None and precision < CHAR_PRECISION:
        failures.append(f"char precision {precision:.1%} < {CHAR_PRECISION:.0%}")
    for category, stats in sorted(report.negatives.items()):
        if stats.rate > HARD_NEGATIVE_MAX_FP_RATE:
            failures.append(f"hard negatives {category}: FP rate {stats.rate:.1%} "
                            f"> {HARD_NEGATIVE_MAX_FP_RATE:.0%}")
    return failures


def run(workers: int | None = None, ner: str = "gated") -> Report:
    """Build the detector and evaluate the committed test set under the shipped policy.

    ``ner="reference"`` evaluates plain Presidio + GiNZA (:func:`reference_analyzer`).
    """
    if ner == "reference":
        detector = reference_analyzer()
    else:
        detector = detect_module.build_detector(ner=ner)
    return evaluate(detector, load_jsonl(LABELLED_PATH), load_jsonl(HARD_NEGATIVES_PATH),
                    policy_min_scores(), workers=workers or os.cpu_count() or 1)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="PII quality on the labelled test set")
    parser.add_argument("--ner", choices=[*detect_module.NER_MODES, "reference"],
                        default="gated",
                        help="where GiNZA NER runs (default: gated, as the pipeline); "
                             "reference = plain Presidio + GiNZA")
    report = run(ner=parser.parse_args().ner)
    print(report.table())
    print()
    failures = bar_failures(report)
    print("Quality bar: " + ("met" if not failures else "NOT met — " + "; ".join(failures)))
    print(f"({report.seconds:.1f} s)")
    if os.environ.get("PII_EVAL_EXAMPLES"):
        print()
        print(report.examples())


if __name__ == "__main__":
    main()
