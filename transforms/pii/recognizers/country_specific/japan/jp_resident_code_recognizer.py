"""住民票コード (resident record code): 11 digits (10 + a check digit).

The check digit algorithm is not published, and 11 digits are also mobile
numbers and employment-insurance numbers, so the keyword 住民票コード (or
住基ネット / 住民基本台帳) within 100 characters before / 30 after is required.

>>> r = JpResidentCodeRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("住民票コード：12345678901")
[('12345678901', 0.85)]
>>> spans("１２３４ ５６７８ ９０１（住民票コード）")
[('１２３４ ５６７８ ９０１', 0.85)]
>>> spans("12345678901")  # no keyword
[]
>>> spans("住民票コードの件、携帯 09012345678、123456789012")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, NUMBER_SEP, to_ascii_digits
from .jp_basic_pension_number_recognizer import OTHER_NUMBER_LABELS

_SEP = NUMBER_SEP
_NOT_ALNUM = ALNUM_CHARS

_MOBILE_PREFIXES = ("020", "050", "060", "070", "080", "090")

RESIDENT_CODE_REGEX = (
    rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_SEP})"
    rf"(?:{DIGIT}{{11}}|{DIGIT}{{4}}{_SEP}{DIGIT}{{4}}{_SEP}{DIGIT}{{3}})"
    rf"(?![{_NOT_ALNUM}]|{_SEP}[0-9０-９])"
)


class JpResidentCodeRecognizer(CharWindowPatternRecognizer):
    """Resident record codes, only next to 住民票コード."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_RESIDENT_CODE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Resident code (11 digits)", RESIDENT_CODE_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "住民票コード", "住民票ｺｰﾄﾞ", "住基ネット", "住民基本台帳ネットワーク", "住基コード",
        "resident record code", "juki",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        *[w for w in OTHER_NUMBER_LABELS if w != "住民票コード"], "雇用保険", "被保険者番号",
        "基礎年金番号",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (100, 30)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """A mobile-phone shape (0A0 + 8) is a phone number, not a resident code."""
        digits = to_ascii_digits(pattern_text)
        return len(set(digits)) == 1 or digits.startswith(_MOBILE_PREFIXES)

    def score_without_context(self, value: str, score: float) -> float:
        """The keyword is required."""
        return 0.0
