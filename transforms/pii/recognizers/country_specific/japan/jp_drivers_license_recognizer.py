"""運転免許証番号 (driver's licence number): 12 digits, printed ``第 123456789012 号``.

Digits 1–2 are the public-safety-commission code of first issue (10–14 北海道,
20–25 東北, 30 東京, 40–55, 60–65, 70–74, 80–83, 90–97); other prefixes are
rejected. The check digit (11th) is not officially published, so it is not
used. Twelve digits with a valid prefix are everywhere (My Number, order
numbers), so a licence keyword within 100 characters before / 30 after is
required: without one nothing is reported.

>>> r = JpDriversLicenseRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("運転免許証 第 301234567890 号")
[('301234567890', 0.85)]
>>> spans("免許証番号：４４１２－３４５６－７８９０")
[('４４１２－３４５６－７８９０', 0.85)]
>>> spans("管理番号 301234567890")  # no licence keyword
[]
>>> spans("運転免許証 第 991234567890 号、免許証番号 3012345678901")  # bad prefix, 13 digits
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, NUMBER_SEP, to_ascii_digits

_SEP = NUMBER_SEP
_NOT_ALNUM = ALNUM_CHARS

#: Public-safety-commission codes (reference §2.5).
COMMISSION_CODES = frozenset(
    [10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 30, *range(40, 56), *range(60, 66),
     *range(70, 75), *range(80, 84), *range(90, 98)]
)

DRIVERS_LICENSE_REGEX = (
    rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_SEP})"
    rf"[1-9１-９]{DIGIT}{{3}}{_SEP}?{DIGIT}{{4}}{_SEP}?{DIGIT}{{4}}"
    rf"(?![{_NOT_ALNUM}]|{_SEP}[0-9０-９])"
)


class JpDriversLicenseRecognizer(CharWindowPatternRecognizer):
    """Driver's licence numbers: valid commission prefix + licence keyword (required)."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_DRIVERS_LICENSE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Driver's licence (12 digits, commission prefix)", DRIVERS_LICENSE_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "運転免許", "運転免許証", "免許証", "免許番号", "免許証番号", "運転免許番号",
        "運転経歴証明書", "driver's license", "drivers license", "driver license",
        "driving licence", "licence no", "license no", "DL#", "lic#",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "マイナンバー", "個人番号", "注文番号", "注文", "伝票", "請求書", "請求番号", "会員番号",
        "顧客番号", "管理番号", "受付番号", "予約番号", "追跡番号", "口座", "カード番号",
        "電話", "TEL", "FAX", "携帯", "住民票コード", "基礎年金番号", "保険者番号",
        "法人番号", "JAN", "製造番号", "シリアル",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (100, 30)
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless 12 digits with a known commission code; never True."""
        digits = to_ascii_digits(pattern_text)
        return None if len(digits) == 12 and int(digits[:2]) in COMMISSION_CODES else False

    def score_without_context(self, value: str, score: float) -> float:
        """The keyword is required (Purview does the same)."""
        return 0.0
