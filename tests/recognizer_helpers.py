"""Helpers the recognizer tests share: run one recognizer, read back spans and scores."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.nlp_engine import NlpArtifacts

#: Every hyphen-like separator Japanese text puts inside numbers.
HYPHENS = ["-", "－", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "﹣"]


def found(
    recognizer: EntityRecognizer, text: str, artifacts: NlpArtifacts | None = None
) -> list[tuple[str, float]]:
    """(span text, score) of everything ``recognizer`` finds in ``text``."""
    entities = recognizer.supported_entities
    return [(text[r.start : r.end], r.score) for r in recognizer.analyze(text, entities, artifacts)]


def covered(results: list[tuple[str, float]], value: str, min_score: float = 0.0) -> bool:
    """True when some span scoring at least ``min_score`` contains ``value``."""
    return any(value in span and score >= min_score for span, score in results)
