"""A deny-list recognizer that works next to kana and kanji.

Presidio's ``PatternRecognizer(deny_list=…)`` compiles
``(?:^|(?<=\\W))(term)(?:(?=\\W)|$)``: kana and kanji are ``\\w``, so the term
``プロジェクト桜`` is never found in ``プロジェクト桜の進捗``. This recognizer matches
the terms as plain strings instead (a ``regex`` named list: fast with thousands):

* case-insensitive, on a 1:1 width fold (``ＳＡＫＵＲＡ`` = ``Sakura``; offsets stay valid);
* leftmost, longest term first (``プロジェクト桜2`` wins over ``プロジェクト桜``),
  matches never overlap;
* no boundary next to kana/kanji, but an ASCII letter/digit boundary on every
  edge of a term that is an ASCII letter/digit (``Sakura`` is not found in
  ``Sakurajima`` nor ``ProjectSakura``; ``桜`` *is* found in ``桜井`` — keep
  single-kanji terms out of deny-lists).

The policy builds one per deny-list (project code names, customer names) and
passes it to ``AnalyzerEngine.analyze(ad_hoc_recognizers=[…])``.

>>> r = TermListRecognizer(["プロジェクト桜", "Sakura", "ACME"], entity="CONFIDENTIAL")
>>> text = "プロジェクト桜の進捗、ＡＣＭＥ社、Sakurajima、sakura案件"
>>> [(text[x.start:x.end], x.score) for x in r.analyze(text, ["CONFIDENTIAL"])]
[('プロジェクト桜', 1.0), ('ＡＣＭＥ', 1.0), ('sakura', 1.0)]
>>> TermListRecognizer([]).analyze("何でも", ["CONFIDENTIAL"])
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

from ..ja_chars import fold_width

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_ASCII_ALNUM = "A-Za-z0-9"


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


_EDGE = f"[{_ASCII_ALNUM}]"
#: (ASCII letter/digit at the start?, at the end?) -> pattern around the named list.
_SHAPES = {
    (True, True): rf"(?<!{_EDGE})\L<terms>(?!{_EDGE})",
    (True, False): rf"(?<!{_EDGE})\L<terms>",
    (False, True): rf"\L<terms>(?!{_EDGE})",
    (False, False): r"\L<terms>",
}


def term_list_patterns(terms: Sequence[str]) -> list[regex.Pattern[str]]:
    """One case-insensitive named-list regex per edge shape of the width-folded terms.

    ``regex``'s named lists (``\\L<terms>``) match as a set, longest first, so a
    deny-list of thousands of names stays fast; terms are grouped by whether
    they start/end with an ASCII letter or digit, which decides the boundary.

    >>> [sorted(p.named_lists["terms"]) for p in term_list_patterns(["AI", "ＡＩ基盤", "桜", ""])]
    [['AI'], ['AI基盤'], ['桜']]
    """
    groups: dict[tuple[bool, bool], set[str]] = {}
    for term in terms:
        word = fold_width(term).strip()
        if word:
            groups.setdefault((_is_ascii_alnum(word[0]), _is_ascii_alnum(word[-1])), set()).add(
                word
            )
    return [
        regex.compile(_SHAPES[shape], regex.IGNORECASE | regex.V0, terms=sorted(groups[shape]))
        for shape in _SHAPES
        if shape in groups
    ]


class TermListRecognizer(EntityRecognizer):
    """Exact terms (deny-list) as ``entity``, safe next to kana/kanji; see module doc."""

    def __init__(
        self,
        terms: Sequence[str],
        entity: str = "CONFIDENTIAL",
        score: float = 1.0,
        name: str | None = None,
        supported_language: str = "ja",
    ) -> None:
        if isinstance(terms, str):
            raise TypeError("terms must be a sequence of strings, not one string")
        self.terms = tuple(terms)
        self.score = score
        self._patterns = term_list_patterns(self.terms)
        super().__init__(
            supported_entities=[entity],
            name=name or f"TermListRecognizer({entity})",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: the regex is compiled in ``__init__``."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Every non-overlapping occurrence of a term; a regex timeout raises (fail closed)."""
        if not self._patterns or not text:
            return []
        entity = self.supported_entities[0]
        results = []
        for start, end in self._spans(fold_width(text)):
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=self.score,
                    analysis_explanation=AnalysisExplanation(
                        recognizer=self.name,
                        original_score=self.score,
                        textual_explanation="term from a deny-list",
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                    },
                )
            )
        return results

    def _spans(self, folded: str) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping matches across the edge-shape patterns."""
        candidates = [
            m.span()
            for pattern in self._patterns
            for m in pattern.finditer(folded, overlapped=True, timeout=REGEX_TIMEOUT_SECONDS)
        ]
        candidates.sort(key=lambda span: (span[0], span[0] - span[1]))
        spans: list[tuple[int, int]] = []
        for start, end in candidates:
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
        return spans
