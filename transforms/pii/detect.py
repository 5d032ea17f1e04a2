"""PII detection for Japanese text: the Presidio analyzer and a chunking ``detect``.

Detection only finds spans and scores; what happens to them is the policy's job.

Scores follow one scale across recognizers, so a policy can use one threshold
(0.4 is a sensible default) and tighten per entity:

* >= 0.85 — unambiguous: a keyword/label/mark next to the value (マイナンバー,
  〒, TEL, 様), a full street address, an e-mail address, GiNZA NER;
* 0.5–0.7 — well-formed without context (phone numbers, 姓+名 token runs);
* <= 0.3 — shape only (a checksum-valid 12-digit number without keyword, a bare
  NNN-NNNN, a lone surname): worth counting, usually not worth masking.

``build_analyzer`` loads ja_ginza (~4 s, ~0.5 GB); build it once per process
(Beam: ``DoFn.setup`` + ``shared.Shared``). An analyzer is not thread-safe.

>>> [(s, e) for s, e, _, _ in chunk_spans("あ" * 25, max_chars=10, overlap=4)]
[(0, 10), (6, 16), (12, 22), (18, 25)]
"""

from __future__ import annotations

import os

# Must happen before presidio (and so tldextract) is imported anywhere.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from collections.abc import Mapping, Sequence

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpArtifacts,
    SpacyNlpEngine,
)

from .recognizers.registry import LANGUAGE, japanese_recognizers

#: The spaCy package providing the Japanese pipeline (PyPI ``ja-ginza``).
GINZA_MODEL = "ja_ginza"
#: Components nothing here reads (dependency parse, bunsetu); excluding them is ~10 % faster.
GINZA_EXCLUDE: tuple[str, ...] = ("parser", "bunsetu_recognizer")

#: GiNZA ENE label -> Presidio entity. Everything else GiNZA tags is ignored:
#: numbers, money and addresses it mislabels (``1丁目1番1号`` -> Money) are the
#: pattern recognizers' job; Company/Country/Station are not personal data.
GINZA_ENTITY_MAPPING: dict[str, str] = {
    "Person": "PERSON",
    "Province": "LOCATION",
    "City": "LOCATION",
    "County": "LOCATION",
    "GPE_Other": "LOCATION",
    "Domestic_Region": "LOCATION",
    "Address": "LOCATION",  # ENE label; not produced by ja_ginza 5.3.0 but kept for newer models
}

#: Every entity type ``build_analyzer()`` can emit.
SUPPORTED_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "LOCATION",
    "JP_ADDRESS",
    "JP_POSTAL_CODE",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "JP_MY_NUMBER",
    "JP_CORPORATE_NUMBER",
    "JP_INVOICE_NUMBER",
    "JP_PASSPORT",
    "JP_DRIVERS_LICENSE",
    "JP_RESIDENCE_CARD",
    "JP_BASIC_PENSION_NUMBER",
    "JP_EMPLOYMENT_INSURANCE_NUMBER",
    "JP_HEALTH_INSURANCE",
    "JP_RESIDENT_CODE",
    "JP_BANK_ACCOUNT",
    "IP_ADDRESS",
    "CREDIT_CARD",
    "DATE_OF_BIRTH",
    "CONFIDENTIAL",
)
#: Entities that need GiNZA's NER / tokens; without them ``detect`` skips the NLP pass.
NLP_ENTITIES = frozenset({"PERSON", "LOCATION"})

#: Sudachi refuses input above this many UTF-8 bytes.
SUDACHI_MAX_BYTES = 49_149
#: Chunk size in characters; 4 bytes/char worst case stays under Sudachi's limit.
MAX_CHUNK_CHARS = 10_000
#: Overlap between chunks: each result is kept by the chunk that sees at least
#: half of it as context, which must cover the 300-char keyword window + the value.
CHUNK_OVERLAP = 800
assert MAX_CHUNK_CHARS * 4 <= SUDACHI_MAX_BYTES

_SENTENCE_ENDS = "。！？!?．"
_SOFT_BREAKS = " \t\u3000、，,"


class GinzaNlpEngine(SpacyNlpEngine):
    """spaCy engine for ja_ginza that never downloads and ignores unmapped ENE labels.

    ``ner=False`` keeps only GiNZA's Sudachi tokenizer (split mode C, POS tags):
    names then come from the token recognizer alone, ~20x faster.
    """

    def __init__(
        self,
        model_name: str = GINZA_MODEL,
        exclude: Sequence[str] = GINZA_EXCLUDE,
        ner: bool = True,
    ):
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": model_name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(GINZA_ENTITY_MAPPING),
                low_score_entity_names=[],
                default_score=0.85,
            ),
        )
        self.exclude = list(exclude)
        self.ner = ner

    def load(self) -> None:
        """Load the installed ja_ginza package (no ``spacy download``, no GPU probing)."""
        model_name = self.models[0]["model_name"]
        if not spacy.util.is_package(model_name):
            raise RuntimeError(
                f"spaCy model package {model_name!r} is not installed "
                "(pip install ja-ginza==5.3.0); it is never downloaded at run time"
            )
        exclude = list(self.exclude)
        if not self.ner:
            meta = spacy.util.load_meta(spacy.util.get_package_path(model_name) / "meta.json")
            exclude += list(meta.get("components", meta.get("pipeline", [])))
        nlp = spacy.load(model_name, exclude=exclude)
        ner_labels = nlp.get_pipe("ner").labels if "ner" in nlp.pipe_names else ()
        self.ner_model_configuration.labels_to_ignore = [
            label for label in ner_labels if label not in GINZA_ENTITY_MAPPING
        ]
        self.nlp = {LANGUAGE: nlp}


def build_analyzer(
    ner: bool = True, extra_context: Mapping[str, Sequence[str]] | None = None
) -> AnalyzerEngine:
    """Presidio ``AnalyzerEngine`` for ``ja``: GiNZA NLP + ``japanese_recognizers()``.

    ``ner=False`` is a fast mode (~40k instead of ~2k chars/s per core): no GiNZA
    NER, so no LOCATION and PERSON only from Sudachi name tags and cues.
    ``extra_context``: entity -> extra window keywords from the policy (see
    ``japanese_recognizers``).
    """
    nlp_engine = GinzaNlpEngine(ner=ner)
    nlp_engine.load()
    registry = RecognizerRegistry(
        recognizers=japanese_recognizers(ner=ner, extra_context=extra_context),
        supported_languages=[LANGUAGE],
    )
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=0.0,
    )
    emitted = set(analyzer.get_supported_entities(LANGUAGE))
    if not emitted <= set(SUPPORTED_ENTITIES):
        undeclared = sorted(emitted - set(SUPPORTED_ENTITIES))
        raise RuntimeError(f"recognizers emit undeclared entities: {undeclared}")
    return analyzer


def _last_break(text: str, lo: int, hi: int) -> int:
    """Best cut in (lo, hi]: after a newline, else a sentence end, else a space; else hi."""
    if hi >= len(text):
        return len(text)
    lo = max(lo, 0)
    window = text[lo:hi]
    for chars in ("\n", _SENTENCE_ENDS, _SOFT_BREAKS):
        pos = max(window.rfind(c) for c in chars)
        if pos >= 0:
            return lo + pos + 1
    return hi


def chunk_spans(
    text: str, max_chars: int = MAX_CHUNK_CHARS, overlap: int = CHUNK_OVERLAP
) -> list[tuple[int, int, int, int]]:
    """Overlapping chunks ``(start, end, own_from, own_to)`` cut at line/sentence ends.

    A result belongs to the chunk whose ``[own_from, own_to)`` holds its start;
    the boundary sits mid-overlap, so every kept result has ``overlap / 2``
    characters of context on both sides.
    """
    n = len(text)
    if n <= max_chars:
        return [(0, n, 0, n)]
    spans: list[list[int]] = []
    start = 0
    while True:
        end = _last_break(text, start + max_chars // 2, start + max_chars)
        spans.append([start, end])
        if end >= n:
            break
        target = end - overlap
        start = max(_last_break(text, target - overlap, target), spans[-1][0] + 1)
    chunks = []
    for i, (start, end) in enumerate(spans):
        own_from = 0 if i == 0 else (start + spans[i - 1][1]) // 2
        own_to = n if i == len(spans) - 1 else (spans[i + 1][0] + end) // 2
        chunks.append((start, end, own_from, own_to))
    return chunks


def detect(
    analyzer: AnalyzerEngine, text: str, entities: list[str] | None = None
) -> list[RecognizerResult]:
    """Detect PII in ``text``; offsets index ``text`` itself.

    Long text is cut into ~10k-character overlapping chunks at line/sentence
    boundaries (Sudachi rejects > 49,149 bytes). Results have score > 0, are
    sorted by start, overlaps are kept (the anonymizer resolves them) and exact
    duplicates (same entity and span) keep the highest score. Any failure
    raises: the caller quarantines the document.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if entities is not None:
        unknown = set(entities) - set(SUPPORTED_ENTITIES)
        if unknown:
            raise ValueError(f"unsupported entities: {sorted(unknown)}")
        if not entities:
            return []
    if not text.strip():
        return []

    chunks = chunk_spans(text)
    pieces = [text[start:end] for start, end, _, _ in chunks]
    for piece in pieces:
        if len(piece.encode("utf-8")) > SUDACHI_MAX_BYTES:  # cannot happen with 4 B/char
            raise ValueError("chunk exceeds Sudachi's input limit")
    if entities is None or NLP_ENTITIES & set(entities):
        artifacts = analyzer.nlp_engine.process_batch(pieces, LANGUAGE, batch_size=8)
    else:
        # Pattern recognizers only: skip Sudachi/GiNZA entirely (~50x faster).
        artifacts = [
            (piece, NlpArtifacts([], None, [], [], analyzer.nlp_engine, LANGUAGE))
            for piece in pieces
        ]

    best: dict[tuple[str, int, int], RecognizerResult] = {}
    for (offset, _, own_from, own_to), piece, (_, nlp_artifacts) in zip(
        chunks, pieces, artifacts, strict=True
    ):
        for result in analyzer.analyze(
            text=piece,
            language=LANGUAGE,
            entities=list(entities) if entities else None,
            nlp_artifacts=nlp_artifacts,
        ):
            start, end = result.start + offset, result.end + offset
            if result.score <= 0 or not own_from <= start < own_to:
                continue
            key = (result.entity_type, start, end)
            if key not in best or result.score > best[key].score:
                result.start, result.end = start, end
                best[key] = result
    return sorted(best.values(), key=lambda r: (r.start, r.end, r.entity_type))
