"""Personal names from Sudachi's part-of-speech tags, plus kana readings after フリガナ.

GiNZA's NER is one signal for PERSON; this is a second, cheap one that reuses
the tokens already in ``nlp_artifacts``: Sudachi tags ``山田`` as
``名詞-固有名詞-人名-姓`` and ``太郎`` as ``…人名-名``. A run of such tokens
(family + optional space + given) is a name candidate; honorifics (様, さん…)
and titles (部長…) after it or field labels (氏名, 担当…) before it raise the
score, and the honorific stays outside the span. A surname followed by a
company or place word (山田商事, 松本駅) is not a person.

Without ``nlp_artifacts`` only the reading pattern runs:

>>> r = JpPersonNameRecognizer()
>>> text = "フリガナ：ヤマダ　タロウ"
>>> [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PERSON"])]
[('ヤマダ\\u3000タロウ', 0.85)]

With Sudachi tokens (``spacy.blank("ja")`` tags like GiNZA does):

>>> import spacy
>>> from presidio_analyzer.nlp_engine import NlpArtifacts
>>> nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "C"}}})
>>> def spans(text):
...     doc = nlp(text)
...     art = NlpArtifacts([], doc, [t.idx for t in doc], [t.lemma_ for t in doc], None, "ja")
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PERSON"], art)]
>>> spans("山田太郎様、佐藤部長、担当：鈴木 花子")
[('山田太郎', 0.85), ('佐藤', 0.85), ('鈴木 花子', 0.85)]
>>> spans("山田商事株式会社の会議は東京駅で待ち合わせ")
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    RecognizerResult,
)

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import fold_width
from ...ja_lexicon import (
    DEPARTMENT_SUFFIXES,
    HONORIFICS,
    LABELS,
    NAME_TAG_PREFIX,
    NON_PERSON_ENE,
    ORG_PREFIXES,
    PLACE_TAG_PREFIX,
    PROPER_NOUN_TAG_PREFIX,
    TITLES,
    is_org_word,
)

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Doc, Token

_PUNCT_TAGS = ("補助記号", "空白")
_KANJI_NAME = regex.compile(r"[\p{Han}々]{1,3}")
_READING_AFTER = regex.compile(
    r"[ 　]?[（(][ 　]?(?P<pii>[ァ-ヴー]{1,12}(?:[ 　・][ァ-ヴー]{1,12})?"
    r"|[ぁ-ゖー]{1,12}[ 　][ぁ-ゖー]{1,12})[ 　]?[)）]"
)
#: Kanji Sudachi splits off given names as a suffix (悠人 -> 悠 + 人, 陽子 -> 陽 + 子).
NAME_FINAL_KANJI = frozenset("人子郎介輔佑祐斗也哉美恵奈菜香花乃代江枝夫雄男彦平太樹希紀実里理衣")
_HAS_NON_ASCII = regex.compile(r"[^\x00-\x7f]")

_KANA_WORD = "[ァ-ヴー]{1,12}"
_HIRA_WORD = "[ぁ-ゖー]{1,12}"
_HALF_WORD = "[ｦ-ﾟ]{1,14}"
READING_REGEX = (
    r"(?:フリガナ|ふりがな|ﾌﾘｶﾞﾅ|よみがな|読み仮名|氏名カナ|カナ氏名|(?<![ァ-ヴー])カナ)"
    r"[)）】\]]?(?:[ 　\t]*[:：][ 　\t]*|[ 　\t]+)\n?[ 　\t]*"
    rf"(?P<pii>{_KANA_WORD}(?:[ 　]{_KANA_WORD})?|{_HIRA_WORD}(?:[ 　]{_HIRA_WORD})?"
    rf"|{_HALF_WORD}(?:[ 　]{_HALF_WORD})?)"
    r"(?![ァ-ヴーぁ-ゖｦ-ﾟ])"
)


def _is_name(token: Token) -> bool:
    return token.tag_.startswith(NAME_TAG_PREFIX)


def _is_place_name_before_honorific(doc: Doc, i: int) -> bool:
    """原田様: a surname Sudachi read as a place, directly followed by an honorific."""
    return (
        doc[i].tag_.startswith(PLACE_TAG_PREFIX)
        and len(doc[i]) <= 4
        and i + 1 < len(doc)
        and not doc[i].whitespace_
        and doc[i + 1].text in HONORIFICS
    )


def _is_gap(token: Token) -> bool:
    """A single space between family and given name (U+3000 is its own token)."""
    return token.text in (" ", "　")


class JpPersonNameRecognizer(CharWindowPatternRecognizer):
    """Runs of Sudachi 人名 tokens with honorific/title/label cues; kana readings."""

    COUNTRY_CODE = "jp"
    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Name reading after フリガナ", READING_REGEX, 0.85),
    ]
    CONTEXT: ClassVar[list[str]] = []
    STRONG_SCORE: ClassVar[float] = 0.85
    FULL_NAME_SCORE: ClassVar[float] = 0.6
    WEAK_SCORE: ClassVar[float] = 0.3

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Reading pattern, then name runs over the NLP tokens (if any)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        doc = getattr(nlp_artifacts, "tokens", None) if nlp_artifacts else None
        if doc is not None and len(doc):
            results.extend(self._name_runs(text, doc))
        deduped = EntityRecognizer.remove_duplicates(results)
        return sorted(deduped, key=lambda r: (r.start, r.end, -r.score))

    # -- token runs ----------------------------------------------------------

    def _name_runs(self, text: str, doc: Doc) -> list[RecognizerResult]:
        results = []
        n = len(doc)
        i = 0
        while i < n:
            if _is_place_name_before_honorific(doc, i):
                results.extend(self._score_run(text, doc, i, i) or [])
                i += 1
                continue
            if not _is_name(doc[i]):
                i += 1
                continue
            last = i
            k = i + 1
            while k < n and last - i < 4:
                if _is_name(doc[k]):
                    last = k
                    k += 1
                elif _is_gap(doc[k]) and k + 1 < n and _is_name(doc[k + 1]):
                    k += 1
                else:
                    break
            result = self._score_run(text, doc, i, last)
            if result is not None:
                results.extend(result)
            i = last + 1
        return self._propagate(text, results)

    def _propagate(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """A lone 中村 is the 中村 大輔 named with confidence elsewhere in the same text."""
        known: set[str] = set()
        for r in results:
            if r.score >= self.FULL_NAME_SCORE:
                known.update(regex.split(r"[ 　・]", text[r.start : r.end]))
                known.add(text[r.start : r.end])
        for r in results:
            if r.score < self.FULL_NAME_SCORE and text[r.start : r.end] in known:
                r.score = self.FULL_NAME_SCORE
                if r.analysis_explanation is not None:
                    r.analysis_explanation.append_textual_explanation_line(
                        "same name found with higher confidence in this text"
                    )
        return results

    def _score_run(
        self, text: str, doc: Doc, first: int, last: int
    ) -> list[RecognizerResult] | None:
        start = doc[first].idx
        # 前田 悠人: Sudachi tags 人 as a suffix; it is the end of the given name.
        if (
            last + 1 < len(doc)
            and not doc[last].whitespace_
            and doc[last + 1].tag_.startswith("接尾辞")
            and doc[last + 1].text in NAME_FINAL_KANJI
            and doc[last].tag_.endswith("名")
        ):
            last += 1
        end = doc[last].idx + len(doc[last])
        if "\n" in text[start:end] or len(doc[last].whitespace_) > 1:
            return None
        nxt = self._next_content(doc, last)
        prev = self._prev_content(doc, first)
        next_text = nxt.text if nxt is not None else ""
        directly_next = doc[last + 1] if last + 1 < len(doc) else None

        # 山田商事, 松本駅, 株式会社山田: organisations and places, not people.
        attached = directly_next is not None and not doc[last].whitespace_
        if attached and next_text not in TITLES and is_org_word(directly_next.text):
            return None
        if prev is not None and prev.text in ORG_PREFIXES and first - prev.i <= 1:
            return None

        # 山田翔琉様: an unknown given name glued to the honorific ("琉様").
        if attached and directly_next is not None:
            for h in HONORIFICS:
                stem = directly_next.text[: -len(h)]
                if directly_next.text.endswith(h) and stem and _KANJI_NAME.fullmatch(stem):
                    end = directly_next.idx + len(stem)
                    next_text = h
                    break

        honorific = next_text in HONORIFICS or next_text in TITLES
        label = (
            prev is not None
            and prev.text.lower() in LABELS
            and self._same_line(text, prev, start)
        )
        label = label or self._after_department(doc, first)
        tags = [doc[j].tag_ for j in range(first, last + 1) if _is_name(doc[j])]
        full_name = bool(tags) and any(t.endswith("姓") for t in tags) and tags[-1].endswith("名")
        non_person = any(doc[j].ent_type_ in NON_PERSON_ENE for j in range(first, last + 1))

        if not _HAS_NON_ASCII.search(fold_width(text[start:end])) and not (honorific or label):
            return None  # romaji tagged 人名 inside e-mail addresses, URLs, code
        if honorific or label:
            score = self.STRONG_SCORE
        elif non_person:
            return None
        elif full_name:
            score = self.FULL_NAME_SCORE
        else:
            score = self.WEAK_SCORE
        found = [self._result(start, end, score, "Sudachi 人名 tokens")]

        # 小野寺 美穂子（オノデラ ミホコ）: the reading right after the name.
        after = end + len(next_text) if honorific and text.startswith(next_text, end) else end
        m = _READING_AFTER.match(text, end) or _READING_AFTER.match(text, after)
        if m is not None:
            reading = self._result(m.start("pii"), m.end("pii"), score, "reading after name")
            found.append(reading)
        return found

    @staticmethod
    def _next_content(doc: Doc, last: int) -> Token | None:
        """Next token, skipping a single space token."""
        j = last + 1
        if j < len(doc) and _is_gap(doc[j]):
            j += 1
        return doc[j] if j < len(doc) else None

    @staticmethod
    def _prev_content(doc: Doc, first: int) -> Token | None:
        """Previous token, skipping punctuation such as ： and spaces (max 3)."""
        j = first - 1
        skipped = 0
        while j >= 0 and doc[j].tag_.startswith(_PUNCT_TAGS) and skipped < 3:
            j -= 1
            skipped += 1
        return doc[j] if j >= 0 else None

    @staticmethod
    def _after_department(doc: Doc, first: int) -> bool:
        """開発部の中村 / 営業部の菊地: a department, then の, then the name."""
        return (
            first >= 2
            and doc[first - 1].text == "の"
            and doc[first - 2].text.endswith(DEPARTMENT_SUFFIXES)
            and not doc[first - 2].tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        )

    @staticmethod
    def _same_line(text: str, prev: Token, start: int) -> bool:
        return "\n" not in text[prev.idx + len(prev) : start]

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name, original_score=score, textual_explanation=why
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )
