"""基礎年金番号 (basic pension number): 10 digits written ``4桁-6桁`` (``1234-567890``).

Nothing in the number itself distinguishes it (no check digit, no prefix list),
so it is keyword-anchored: 基礎年金番号 / 年金手帳 / 年金番号 within 50 characters
before or 20 after, else nothing is reported. A nearer phone/order label wins,
so ``電話 0120-123456`` next to a pension keyword stays a phone number.

>>> r = JpBasicPensionNumberRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("基礎年金番号：1234-567890")
[('1234-567890', 0.85)]
>>> spans("年金手帳の番号は ４５６７ー１２３４５６ です")
[('４５６７ー１２３４５６', 0.85)]
>>> spans("1234-567890")  # no keyword
[]
>>> spans("基礎年金番号の問合せ：電話 0570-051165、03-1234-5678、12345-567890")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, NUMBER_SEP

_SEP = NUMBER_SEP
_NOT_ALNUM = ALNUM_CHARS

BASIC_PENSION_REGEX = (
    rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_SEP})"
    rf"{DIGIT}{{4}}{_SEP}?{DIGIT}{{6}}"
    rf"(?![{_NOT_ALNUM}]|{_SEP}[0-9０-９])"
)

#: Labels of other numbers (phones, orders…) — shared with the other social-insurance recognizers.
OTHER_NUMBER_LABELS: list[str] = [
    "電話", "TEL", "FAX", "携帯", "内線", "連絡先", "問合せ", "問い合わせ", "お問合せ",
    "注文番号", "注文", "伝票", "請求書", "請求番号", "会員番号", "顧客番号", "管理番号",
    "受付番号", "予約番号", "追跡番号", "照会番号", "アクセスキー", "口座", "カード番号",
    "マイナンバー", "個人番号", "住民票コード", "運転免許", "法人番号", "郵便番号", "〒",
]


class JpBasicPensionNumberRecognizer(CharWindowPatternRecognizer):
    """Basic pension numbers, only next to a pension keyword."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_BASIC_PENSION_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Basic pension number (4-6 digits)", BASIC_PENSION_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "基礎年金番号", "年金手帳", "年金番号", "基礎年金番号通知書", "年金証書",
        "basic pension number", "pension number",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [*OTHER_NUMBER_LABELS, "雇用保険", "保険者番号"]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (50, 20)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def score_without_context(self, value: str, score: float) -> float:
        """Keyword-anchored: nothing without a pension keyword."""
        return 0.0
