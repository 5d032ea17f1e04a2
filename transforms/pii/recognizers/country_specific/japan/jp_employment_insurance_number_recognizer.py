"""雇用保険被保険者番号 (employment insurance number): 11 digits written ``4-6-1``.

The final digit is a check digit whose algorithm is not published, so it is not
verified. The grouped ``1234-567890-1`` shape is unusual enough to be counted
at shape-only score without a keyword; the bare 11 digits (also a mobile phone
or a 住民票コード shape) are reported only next to 雇用保険 / 被保険者番号 /
ハローワーク. The keyword lifts both to high.

>>> r = JpEmploymentInsuranceNumberRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("雇用保険被保険者番号：1234-567890-1")
[('1234-567890-1', 0.85)]
>>> spans("ハローワークに１２３４５６７８９０１を届出")
[('１２３４５６７８９０１', 0.85)]
>>> spans("部品 5012ー345678ー9")  # grouped shape only
[('5012ー345678ー9', 0.3)]
>>> spans("12345678901")  # bare digits, no keyword
[]
>>> spans("雇用保険の担当 電話 090-1234-5678、0901-234567-89")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, HYPHEN, NUMBER_SEP
from .jp_basic_pension_number_recognizer import OTHER_NUMBER_LABELS

_SEP = NUMBER_SEP
_NOT_ALNUM = ALNUM_CHARS
_BEFORE = rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_SEP})"
_AFTER = rf"(?![{_NOT_ALNUM}]|{_SEP}[0-9０-９])"

EMPLOYMENT_INSURANCE_GROUPED = (
    rf"{_BEFORE}{DIGIT}{{4}}[ 　]?{HYPHEN}[ 　]?{DIGIT}{{6}}[ 　]?{HYPHEN}[ 　]?{DIGIT}{_AFTER}"
)
EMPLOYMENT_INSURANCE_BARE = rf"{_BEFORE}{DIGIT}{{11}}{_AFTER}"


class JpEmploymentInsuranceNumberRecognizer(CharWindowPatternRecognizer):
    """Employment insurance insured-person numbers (4-6-1), keyword-anchored."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_EMPLOYMENT_INSURANCE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Employment insurance (4-6-1)", EMPLOYMENT_INSURANCE_GROUPED, 0.3),
        Pattern("Employment insurance (11 digits)", EMPLOYMENT_INSURANCE_BARE, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "雇用保険", "雇用保険被保険者番号", "雇用保険番号", "雇用保険被保険者証", "被保険者番号",
        "資格取得等確認通知書", "ハローワーク", "employment insurance",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        *OTHER_NUMBER_LABELS, "基礎年金番号", "年金手帳", "保険者番号", "保険証", "被保険者証",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (60, 20)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def score_without_context(self, value: str, score: float) -> float:
        """The grouped 4-6-1 shape keeps its shape-only score; bare digits need the keyword."""
        return score if score >= 0.3 else 0.0
