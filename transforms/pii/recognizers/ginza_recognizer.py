"""GiNZA's named entities (ENE labels mapped to PERSON/LOCATION), cleaned for Japanese.

Presidio's ``SpacyRecognizer`` returns spaCy entity spans as they are. GiNZA's
spans sometimes carry a trailing space or honorific (``山田\\u3000``, ``高橋様``)
and label companies as people (``山田商事株式会社``, ``加藤工業`` → Person).
This subclass trims the edges (also a leading label/title/department such as
``行政書士 佐々木`` or ``人事部 佐藤`` and a trailing title or seal: ``高橋部長``,
``木村　京助　印``), drops Person spans that are organisations, banks, stations
or addresses (福岡銀行, 金沢駅, 神奈川県川崎市…) and "cities" that are stations or
landmarks (東京駅), and scores unsupported guesses (no proper noun inside, or
Latin script only) below the usual 0.4 threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from .ja_lexicon import (
    DEPARTMENT_SUFFIXES,
    HONORIFICS,
    LABELS,
    ORG_LONG,
    ORG_PREFIXES,
    PLACE_TAG_PREFIX,
    PROPER_NOUN_TAG_PREFIX,
    TITLES,
    is_org_word,
)

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Doc

#: Characters never allowed at the edge of a span.
EDGE_JUNK = set(" \t\r\n\u3000、。，．・,.:：;；!！?？「」『』（）()[]【】〈〉《》\"'“”‘’-－")
#: Place names that are facilities, not where someone lives.
FACILITY_SUFFIXES: tuple[str, ...] = tuple(
    "駅 空港 港 公園 城 寺 神社 ビル タワー 線 ホール 球場 大学".split()
)
#: Of those, the ones no personal name ends with (小野寺, 宮城 and 大城 do).
PERSON_FACILITY_SUFFIXES: tuple[str, ...] = tuple("駅 空港 公園 ビル タワー ホール 球場".split())
_NOT_PERSON_ENDINGS = ORG_LONG + PERSON_FACILITY_SUFFIXES
#: GiNZA spans without support: Person with no proper noun and no katakana name
#: shape (届出事務, 注意), and anything in Latin script only (Apache Beam, invoice).
UNSUPPORTED_PERSON_SCORE = 0.35
_BAD_IN_NAME = regex.compile(r"[0-9０-９@＠\n|｜/:：=_<>＜＞#＃]")
_NAME_SHAPE = regex.compile(r"[ァ-ヴー]{2,}(?:[ 　・][ァ-ヴー]{1,})?")
_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SORTED_HONORIFICS = sorted(HONORIFICS, key=len, reverse=True)
#: Words GiNZA glues to a name that are not part of it: titles, the seal mark 印.
_TRAILING_NOT_NAME = sorted([*TITLES, "印", "御中", "各位"], key=len, reverse=True)
#: A leading label or title + space: 行政書士 佐々木, フリガナ ナカジマ (departments such as
#: 人事部 are checked on tokens: 阿部, 服部 and 氷室 are surnames).
_LEADING_NOT_NAME = regex.compile(
    r"(?:" + "|".join(sorted((regex.escape(w) for w in LABELS | TITLES), key=len, reverse=True))
    + r")[ 　:：]+",
    regex.IGNORECASE,
)
#: Administrative suffixes as separate tokens: 神奈川県川崎市中原区松石 is an address.
_ADMIN_SUFFIXES = frozenset("都 道 府 県 市 区 郡".split())


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
            start = _skip_department(doc, start, end)
            new_start, new_end = _trim_titles(text, start, _cut_inside_title(doc, start, end))
            if (new_start, new_end) != (start, end) and new_start < new_end:
                start, end = new_start, new_end
                changed = True
    return start, end


def _skip_department(doc: Doc | None, start: int, end: int) -> int:
    """人事部 佐藤: a leading department token (not a 人名 such as 阿部) and its space."""
    if doc is None:
        return start
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return start
    first = span[0]
    if (
        first.idx == start
        and first.text.endswith(DEPARTMENT_SUFFIXES)
        and not first.tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        and (first.whitespace_ or span[1].text.strip() in ("", ":", "："))
    ):
        nxt = start + len(first)
        while nxt < end and doc.text[nxt] in " 　:：":
            nxt += 1
        return nxt if nxt < end else start
    return start


def _cut_inside_title(doc: Doc | None, start: int, end: int) -> int:
    """A span ending inside a title token (…|部長) ends where that token starts; a place
    token that swallowed the title's first kanji (森部|長, not the surname 阿部|長官)
    loses that kanji."""
    if doc is None:
        return end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return end
    token = span[-1]
    if token.text in TITLES and token.idx > start and token.idx < end < token.idx + len(token):
        return token.idx
    if (
        token.idx + len(token) == end
        and end - start >= 2
        and token.tag_.startswith(PLACE_TAG_PREFIX)
        and any(doc.text.startswith(t, end - 1) for t in TITLES if len(t) >= 2)
    ):
        return end - 1
    return end


def _trim_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a leading label/title/department and a trailing title, seal or split title.

    >>> text = "行政書士 佐々木、高橋部長、木村　京助　印、石川部長"
    >>> [text[a:b] for a, b in (_trim_titles(text, 0, 8), _trim_titles(text, 9, 13),
    ...                        _trim_titles(text, 14, 21), _trim_titles(text, 22, 25))]
    ['佐々木', '高橋', '木村\u3000京助', '石川']
    >>> _trim_titles("阿部長官", 0, 2)  # not 阿 + 部長
    (0, 2)
    """
    m = _LEADING_NOT_NAME.match(text, start, end)
    if m is not None and m.end() < end:
        start = m.end()
    span = text[start:end]
    for word in _TRAILING_NOT_NAME:
        if len(span) > len(word) and span.endswith(word):
            return start, start + len(span[: -len(word)].rstrip(" 　"))
        # 石川部 + 長: GiNZA cut the title in two.
        for k in range(1, len(word)):
            if len(span) >= k + 2 and span.endswith(word[:k]) and text.startswith(word[k:], end):
                return start, end - k
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
    if span[0].text in ORG_PREFIXES or text[start:end].endswith(_NOT_PERSON_ENDINGS):
        return True  # 株式会社山田, 福岡銀行, 金沢駅
    if any(t.text in _ADMIN_SUFFIXES and t.tag_.startswith("接尾辞") for t in span):
        return True  # 神奈川県川崎市中原区松石: an address
    if any(is_org_word(t.text) and t.text not in TITLES for t in span[1:]):
        return True
    if span.end < len(doc) and not doc[span.end - 1].whitespace_:
        nxt = doc[span.end].text
        if nxt not in TITLES and nxt not in HONORIFICS and is_org_word(nxt):
            return True
    return span.start > 0 and doc[span.start - 1].text in ORG_PREFIXES
