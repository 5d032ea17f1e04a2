"""PII detection for Japanese text: two Presidio analyzers and a chunking ``detect``.

Detection only finds spans and scores; what happens to them is the policy's job.
Every character goes through the fast pass (Sudachi tokens + pattern and name
recognizers); GiNZA's NER, ~25x slower, reads only the sentences ``ner_gate``
picks (``ner="gated"``, the default), or everything (``ner="full"``).

Scores follow one scale across recognizers, so a policy can use one threshold
(0.4 is a sensible default) and tighten per entity:

* >= 0.85 — unambiguous: a keyword/label/mark next to the value (マイナンバー,
  〒, TEL, 様), a full street address, an e-mail address, GiNZA NER;
* 0.5–0.7 — well-formed without context (phone numbers, 姓+名 token runs);
* <= 0.3 — shape only (a checksum-valid 12-digit number without keyword, a bare
  NNN-NNNN, a lone surname): worth counting, usually not worth masking.

``build_detector`` loads ja_ginza (~4 s, ~0.5 GB); build it once per process
(Beam: ``DoFn.setup`` + ``shared.Shared``). A detector is not thread-safe.

>>> [(s, e) for s, e, _, _ in chunk_spans("あ" * 25, max_chars=10, overlap=4)]
[(0, 10), (6, 16), (12, 22), (18, 25)]
"""

from __future__ import annotations

import os
import threading

# Must happen before presidio (and so tldextract) is imported anywhere.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from collections.abc import Mapping, Sequence

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from . import deadline
from .ner_gate import ner_windows
from .recognizers.registry import LANGUAGE, japanese_recognizers, ner_recognizers
from .sudachi_engine import SudachiNlpEngine

#: The spaCy package providing the Japanese pipeline (PyPI ``ja-ginza``).
GINZA_MODEL = "ja_ginza"
#: Components nothing here reads: the NER pass needs tokens (Sudachi tags), tok2vec and ner.
GINZA_EXCLUDE: tuple[str, ...] = (
    "parser", "bunsetu_recognizer", "morphologizer", "compound_splitter")

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

#: Every entity type ``build_detector()`` can emit.
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
#: Entities GiNZA's NER finds (the only ones the NER pass is asked about).
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
    """spaCy engine for ja_ginza (tokens, tok2vec, NER) that never downloads and
    ignores unmapped ENE labels: the NER pass's engine."""

    def __init__(self, model_name: str = GINZA_MODEL, exclude: Sequence[str] = GINZA_EXCLUDE):
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": model_name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(GINZA_ENTITY_MAPPING),
                low_score_entity_names=[],
                default_score=0.85,
            ),
        )
        self.exclude = list(exclude)

    def load(self) -> None:
        """Load the installed ja_ginza package (no ``spacy download``, no GPU probing)."""
        model_name = self.models[0]["model_name"]
        if not spacy.util.is_package(model_name):
            raise RuntimeError(
                f"spaCy model package {model_name!r} is not installed "
                "(pip install ja-ginza==5.3.0); it is never downloaded at run time"
            )
        nlp = spacy.load(model_name, exclude=list(self.exclude))
        if hasattr(nlp.tokenizer, "need_subtokens"):
            # Split-mode A/B sub-tokens feed GiNZA's compound splitter and bunsetu
            # components only (both excluded); skipping them is ~30 % of the tokenizer.
            nlp.tokenizer.need_subtokens = False
        ner_labels = nlp.get_pipe("ner").labels if "ner" in nlp.pipe_names else ()
        self.ner_model_configuration.labels_to_ignore = [
            label for label in ner_labels if label not in GINZA_ENTITY_MAPPING
        ]
        self.nlp = {LANGUAGE: nlp}

    def use_dictionary(self, dictionary) -> None:
        """Tokenize with ``dictionary``, the fast pass's Sudachi dictionary: the same
        file (sudachidict_core) and split mode give the same tokens, and a worker maps
        Sudachi's 217 MB dictionary once instead of twice -- pages each pass touches
        count once in its memory, and the second map's growth with the corpus is gone."""
        from sudachipy import SplitMode

        tokenizer = self.nlp[LANGUAGE].tokenizer
        if hasattr(tokenizer, "tokenizer") and hasattr(tokenizer, "split_mode"):
            tokenizer.tokenizer = dictionary.create(getattr(SplitMode, tokenizer.split_mode or "A"))


#: Where GiNZA NER runs: ``gated`` = only on the sentences the fast pass left open
#: (``ner_gate``), ``full`` = on all text (the Presidio + GiNZA way, ~25x slower),
#: ``off`` = never (names from Sudachi tags and cues only; no LOCATION).
NER_MODES: tuple[str, ...] = ("gated", "full", "off")


class _NoContextEnhancer(LemmaContextAwareEnhancer):
    """Every Kiyome recognizer scores its own keyword window (``context_window``):
    Presidio's lemma pass would only deep-copy the results."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,
                              context=None):
        return raw_results


def _engine(nlp_engine, recognizers) -> AnalyzerEngine:
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=0.0,
        context_aware_enhancer=_NoContextEnhancer(),
    )


class PiiDetector:
    """Two Presidio analyzers: a fast one on every character, GiNZA NER where it pays.

    * ``analyzer``: Sudachi tokens (``SudachiNlpEngine``) + every pattern and name
      recognizer: ~50 k chars/s per core;
    * ``ner_analyzer``: ja_ginza + ``GinzaRecognizer`` + the name recognizer (which
      also reads GiNZA's entity labels), run on the windows ``ner_gate`` picks
      (``gated``) or on all text (``full``); ``None`` when ``ner="off"``.

    Not thread-safe (spaCy pipelines): one per thread or process.
    """

    def __init__(self, analyzer: AnalyzerEngine, ner_analyzer: AnalyzerEngine | None,
                 ner: str) -> None:
        if ner not in NER_MODES:
            raise ValueError(f"ner must be one of {NER_MODES}, not {ner!r}")
        if (ner == "off") != (ner_analyzer is None):
            raise ValueError("ner_analyzer is needed exactly when ner is not 'off'")
        self.analyzer = analyzer
        self.ner_analyzer = ner_analyzer
        self.fast_entities = frozenset(analyzer.get_supported_entities(LANGUAGE))
        self.ner = ner
        self._counts = threading.local()

    # Characters seen and characters given to GiNZA, by the calling thread (Beam runs
    # bundles on several threads; a delta taken around a call stays exact).
    @property
    def chars(self) -> int:
        return getattr(self._counts, "chars", 0)

    @chars.setter
    def chars(self, value: int) -> None:
        self._counts.chars = value

    @property
    def ner_chars(self) -> int:
        return getattr(self._counts, "ner_chars", 0)

    @ner_chars.setter
    def ner_chars(self, value: int) -> None:
        self._counts.ner_chars = value

    def supported_entities(self) -> frozenset[str]:
        """Every entity either analyzer can emit."""
        ner = (self.ner_analyzer.get_supported_entities(LANGUAGE)
               if self.ner_analyzer is not None else [])
        return self.fast_entities | frozenset(ner)

    def detect(self, text: str, entities: Sequence[str] | None = None,
               ner_entities: Sequence[str] | None = None) -> list[RecognizerResult]:
        """See :func:`detect`."""
        return detect(self, text, entities, ner_entities)


def build_detector(
    ner: str = "gated", extra_context: Mapping[str, Sequence[str]] | None = None
) -> PiiDetector:
    """The Japanese ``PiiDetector``: Sudachi fast pass + GiNZA NER per ``ner`` mode.

    ``extra_context``: entity -> extra window keywords from the policy (see
    ``japanese_recognizers``). Loading ja_ginza costs ~4 s and ~0.5 GB: build one
    per process (Beam: ``DoFn.setup`` + ``shared.Shared``).
    """
    if ner not in NER_MODES:
        raise ValueError(f"ner must be one of {NER_MODES}, not {ner!r}")
    sudachi = SudachiNlpEngine()
    sudachi.load()
    analyzer = _engine(sudachi, japanese_recognizers(ner=False, extra_context=extra_context))
    ner_analyzer = None
    if ner != "off":
        ginza = GinzaNlpEngine()
        ginza.load()
        ginza.use_dictionary(sudachi.dictionary)
        ner_analyzer = _engine(ginza, ner_recognizers(extra_context=extra_context))
    detector = PiiDetector(analyzer, ner_analyzer, ner)
    undeclared = sorted(detector.supported_entities() - set(SUPPORTED_ENTITIES))
    if undeclared:
        raise RuntimeError(f"recognizers emit undeclared entities: {undeclared}")
    return detector


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
    detector: PiiDetector,
    text: str,
    entities: Sequence[str] | None = None,
    ner_entities: Sequence[str] | None = None,
) -> list[RecognizerResult]:
    """Detect PII in ``text``; offsets index ``text`` itself.

    Long text is cut into ~10k-character overlapping chunks at line/sentence
    boundaries (Sudachi rejects > 49,149 bytes). Results have score > 0, are
    sorted by start, overlaps are kept (the anonymizer resolves them) and exact
    duplicates (same entity and span) keep the highest score. Any failure
    raises: the caller quarantines the document. Under a
    :func:`deadline.time_limit` it raises :class:`deadline.DetectionTimeout`
    once the limit has passed (checked per chunk and by every recognizer).

    ``ner_entities`` (default: ``entities``) are the NER entities worth a GiNZA
    pass when gated: a policy that keeps LOCATION leaves it out, so place names
    alone never wake GiNZA up.
    """
    return detect_many(detector, [text], entities, ner_entities)[0]


def detect_many(
    detector: PiiDetector,
    texts: Sequence[str],
    entities: Sequence[str] | None = None,
    ner_entities: Sequence[str] | None = None,
    token_counts: list[int | None] | None = None,
) -> list[list[RecognizerResult]]:
    """:func:`detect` for several texts, with one GiNZA call for all their NER windows.

    A spaCy pipeline call costs ~5-10 ms before it reads a character; the windows
    of a document are a few short sentences, so batching documents matters.

    ``token_counts``, if given, is filled with each text's Sudachi morpheme count
    when the fast pass tokenized it whole (one chunk), else None: the writer's
    ``n_tokens`` without a second tokenization.
    """
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
    if token_counts is not None:
        token_counts[:] = [None] * len(texts)
    if entities is not None:
        unknown = set(entities) - set(SUPPORTED_ENTITIES)
        if unknown:
            raise ValueError(f"unsupported entities: {sorted(unknown)}")
        if not entities:
            return [[] for _ in texts]
    wanted = set(SUPPORTED_ENTITIES if entities is None else entities)
    # Only what each analyzer can emit: Presidio warns about the others.
    asked = sorted(wanted & detector.fast_entities)
    ner_wanted = NLP_ENTITIES & wanted & set(wanted if ner_entities is None else ner_entities)
    ner_names = ({r.name for r in detector.ner_analyzer.registry.recognizers}
                 if detector.ner_analyzer is not None else set())
    needs_tokens = "PERSON" in wanted or (detector.ner == "gated" and bool(ner_wanted))
    best: list[dict[tuple[str, int, int], RecognizerResult]] = [{} for _ in texts]
    # NER windows of every text: (text index, start, end, own_from, own_to).
    windows: list[tuple[int, int, int, int, int]] = []

    def keep(n: int, result: RecognizerResult, offset: int, own_from: int, own_to: int) -> None:
        start, end = result.start + offset, result.end + offset
        if result.score <= 0 or not own_from <= start < own_to:
            return
        key = (result.entity_type, start, end)
        if key not in best[n] or result.score > best[n][key].score:
            result.start, result.end = start, end
            best[n][key] = result

    for n, text in enumerate(texts):
        if not text.strip():
            continue
        detector.chars += len(text)
        chunks = chunk_spans(text)
        for offset, end, own_from, own_to in chunks:
            deadline.check()  # a per-document limit, if the caller set one
            piece = text[offset:end]
            if len(piece.encode("utf-8")) > SUDACHI_MAX_BYTES:  # cannot happen with 4 B/char
                raise ValueError("chunk exceeds Sudachi's input limit")
            # Only the name recognizer and the gate read tokens: pattern-only requests
            # skip Sudachi.
            engine = detector.analyzer.nlp_engine
            artifacts = (engine.process_text(piece, LANGUAGE) if needs_tokens
                         else engine.empty_artifacts())
            if token_counts is not None and len(chunks) == 1 and artifacts.tokens is not None:
                token_counts[n] = artifacts.tokens.user_data["sudachi_morphemes"]
            found = detector.analyzer.analyze(
                text=piece, language=LANGUAGE, entities=asked, nlp_artifacts=artifacts)
            if detector.ner == "full" and ner_wanted:
                # The NER pass redoes names on all text, reading GiNZA's labels too.
                found = [r for r in found if _recognizer(r) not in ner_names]
                windows.append((n, offset, end, own_from, own_to))
            elif detector.ner == "gated" and ner_wanted:
                spans = ner_windows(piece, artifacts.tokens, found,
                                    person="PERSON" in ner_wanted,
                                    location="LOCATION" in ner_wanted)
                windows += [(n, offset + a, offset + b, own_from, own_to) for a, b in spans]
            for result in found:
                keep(n, result, offset, own_from, own_to)

    if windows and detector.ner_analyzer is not None:
        deadline.check()
        ner_asked = sorted(NLP_ENTITIES & wanted)
        pieces = [texts[n][start:end] for n, start, end, _, _ in windows]
        detector.ner_chars += sum(map(len, pieces))
        nlp = detector.ner_analyzer.nlp_engine
        for (n, start, _, own_from, own_to), (piece, artifacts) in zip(
            windows, nlp.process_batch(pieces, LANGUAGE, batch_size=32), strict=True
        ):
            for result in detector.ner_analyzer.analyze(
                text=piece, language=LANGUAGE, entities=ner_asked, nlp_artifacts=artifacts
            ):
                keep(n, result, start, own_from, own_to)
    return [sorted(found.values(), key=lambda r: (r.start, r.end, r.entity_type))
            for found in best]


def _recognizer(result: RecognizerResult) -> str:
    return (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
