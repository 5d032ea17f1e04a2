"""適格請求書発行事業者登録番号 (invoice registration number): ``T`` + 13 digits.

For corporations the 13 digits are the corporate number, for sole proprietors a
number of the same shape; both carry the corporate check digit (first digit),
which is verified. ``T`` + 13 checksum-valid digits is distinctive, so it scores
medium on its own; 登録番号 / 適格請求書 / インボイス nearby lifts it. Invoice
*document* numbers (請求書番号 INV-2026-0312) are not registration numbers.

>>> r = JpInvoiceNumberRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("登録番号：T5835678256246")
[('T5835678256246', 0.85)]
>>> spans("発行元 Ｔ４０１１－００１０－９８９９３ 御中")
[('Ｔ４０１１－００１０－９８９９３', 0.6)]
>>> spans("適格請求書発行事業者 T2835678256246")  # bad check digit
[]
>>> spans("請求書番号 INV-2026-0312、PT5835678256246、T58356782562460")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, NUMBER_SEP, to_ascii_digits
from .jp_corporate_number_recognizer import is_corporate_number

_SEP = NUMBER_SEP
_ALNUM = ALNUM_CHARS

INVOICE_NUMBER_REGEX = (
    rf"(?<![{_ALNUM}])[TＴ]{_SEP}?"
    # 13 digits, a single separator allowed anywhere (T1234-5678-90123, T1 2345…).
    rf"[1-9１-９](?:{_SEP}?{DIGIT}){{12}}"
    rf"(?![{_ALNUM}]|{_SEP}[0-9０-９])"
)


class JpInvoiceNumberRecognizer(CharWindowPatternRecognizer):
    """Qualified invoice issuer registration number (T + corporate-style 13 digits)."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_INVOICE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Invoice registration number (T + 13 digits)", INVOICE_NUMBER_REGEX, 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "登録番号", "適格請求書", "インボイス", "適格簡易請求書", "事業者番号", "invoice",
        "registration number",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = ["型番", "品番", "商品コード", "製造番号", "シリアル"]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (300, 100)
    CONTEXT_SCORE: ClassVar[float] = 0.85
    # Upper-case T only: a lower-case t + 13 digits is rarely a registration number.
    REGEX_FLAGS: ClassVar[int | None] = 0

    def validate_result(self, pattern_text: str) -> bool | None:
        """False on a bad corporate check digit; None (never True) when it passes."""
        return None if is_corporate_number(to_ascii_digits(pattern_text)) else False
