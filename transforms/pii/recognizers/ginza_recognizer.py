"""GiNZA's named entities (ENE labels mapped to PERSON/LOCATION), cleaned for Japanese.

Presidio's ``SpacyRecognizer`` returns spaCy entity spans as they are. GiNZA's
spans sometimes carry a trailing space or honorific (``山田\\u3000``, ``高橋様``)
and label companies as people (``山田商事株式会社``, ``加藤工業`` → Person).
This subclass trims the edges, drops Person spans that are organisations and
"cities" that are stations or landmarks (東京駅), and scores unsupported guesses
(no proper noun inside, or Latin script only) below the usual 0.4 threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from .ja_lexicon import HONORIFICS, ORG_PREFIXES, PROPER_NOUN_TAG_PREFIX, TITLES, is_org_word

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Doc

#: Characters never allowed at the edge of a span.
EDGE_JUNK = set(" \t\r\n\u3000、。，．・,.:：;；!！?？「」『』（）()[]【】〈〉《》\"'“”‘’-－")
#: Place names that are facilities, not where someone lives.
FACILITY_SUFFIXES: tuple[str, ...] = tuple(
    "駅 空港 港 公園 城 寺 神社 ビル タワー 線 ホール 球場 大学".split()
)
#: GiNZA spans without support: Person with no proper noun and no katakana name
#: shape (届出事務, 注意), and anything in Latin script only (Apache Beam, invoice).
UNSUPPORTED_PERSON_SCORE = 0.35
_BAD_IN_NAME = regex.compile(r"[0-9０-９@＠\n|｜/:：=_<>＜＞#＃]")
_NAME_SHAPE = regex.compile(r"[ァ-ヴー]{2,}(?:[ 　・][ァ-ヴー]{1,})?")
_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SORTED_HONORIFICS = sorted(HONORIFICS, key=len, reverse=True)


class GinzaRecognizer(SpacyRecognizer):
    """``SpacyRecognizer`` for ja_ginza: trimmed spans, no companies as PERSON."""

    ENTITIES = ["PERSON", "LOCATION"]  # noqa: RUF012 - mirrors SpacyRecognizer.ENTITIES

    def __init__(
        self,
        supported_language: str = "ja",
        supported_entities: list[str] | None = None,
        ner_strength: float = 0.85,
        name: str | None = None,
    ) -> None:
        super().__init__(
            supported_language=supported_language,
            supported_entities=supported_entities or list(self.ENTITIES),
            ner_strength=ner_strength,
            name=name,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """GiNZA entities from ``nlp_artifacts``, trimmed and filtered."""
        if nlp_artifacts is None:
            raise ValueError("GinzaRecognizer needs nlp_artifacts from the GiNZA NLP engine")
        doc = nlp_artifacts.tokens
        cleaned = []
        for result in super().analyze(text, entities, nlp_artifacts):
            person = result.entity_type == "PERSON"
            start, end = trim_span(text, result.start, result.end, person, doc)
            if start >= end:
                continue
            if person:
                if _BAD_IN_NAME.search(text, start, end) or _is_organisation(text, doc, start, end):
                    continue
                if not _looks_like_name(text, doc, start, end):
                    result.score = min(result.score, UNSUPPORTED_PERSON_SCORE)
            if result.entity_type == "LOCATION":
                if end - start < 2 or text[start:end].endswith(FACILITY_SUFFIXES):
                    continue  # GiNZA tags 東京駅 as City: stations are not where people live
            if not _JAPANESE.search(text, start, end):
                # A Japanese model guessing on Latin script ("Apache Beam" -> Person):
                # LatinNameRecognizer handles Latin names with real cues.
                result.score = min(result.score, UNSUPPORTED_PERSON_SCORE)
            result.start, result.end = start, end
            cleaned.append(result)
        return cleaned


def trim_span(
    text: str, start: int, end: int, person: bool = False, doc: Doc | None = None
) -> tuple[int, int]:
    """Strip spaces, punctuation, particle tokens and (for names) trailing honorifics.

    Particles are removed only where the tokenizer tagged them 助詞, so given
    names such as まこと keep their last kana.

    >>> text = "担当は山田　様です"
    >>> trim_span(text, 3, 7, person=True)
    (3, 5)
    """
    particle_at = _particle_offsets(doc, start, end) if doc is not None else set()
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start] in EDGE_JUNK or start in particle_at):
            start += 1
            changed = True
        while start < end and (text[end - 1] in EDGE_JUNK or end - 1 in particle_at):
            end -= 1
            changed = True
        if person:
            for h in _SORTED_HONORIFICS:
                if end - start > len(h) and text[start:end].endswith(h):
                    end -= len(h)
                    changed = True
                    break
    return start, end


def _particle_offsets(doc: Doc, start: int, end: int) -> set[int]:
    """Character offsets covered by 助詞 (particle) tokens within [start, end)."""
    offsets: set[int] = set()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return offsets
    for token in span:
        if token.tag_.startswith("助詞"):
            offsets.update(range(token.idx, token.idx + len(token)))
    return offsets


def _looks_like_name(text: str, doc: Doc, start: int, end: int) -> bool:
    """A proper-noun token inside (人名, or 地名 as in 原田), or a katakana name shape."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and any(t.tag_.startswith(PROPER_NOUN_TAG_PREFIX) for t in span):
        return True
    return _NAME_SHAPE.fullmatch(text, start, end) is not None


def _is_organisation(text: str, doc: Doc, start: int, end: int) -> bool:
    """A Person span that contains or is followed by 商事/株式会社/駅…, or follows 株式会社."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if span[0].text in ORG_PREFIXES:
        return True
    if any(is_org_word(t.text) and t.text not in TITLES for t in span[1:]):
        return True
    if span.end < len(doc) and not doc[span.end - 1].whitespace_:
        nxt = doc[span.end].text
        if nxt not in TITLES and nxt not in HONORIFICS and is_org_word(nxt):
            return True
    return span.start > 0 and doc[span.start - 1].text in ORG_PREFIXES
