"""法人番号 (Corporate Number): 13 digits, check digit FIRST (平成26年財務省令第70号 第2条).

``check = 9 - (Σ Pn·Qn mod 9)`` over the 12-digit base, ``Pn`` the n-th digit
from the right, ``Qn`` = 1 (n odd) / 2 (n even). A random 13-digit string passes
~11 % of the time, so the checksum alone earns only a low score; a keyword
(法人番号, 会社法人等番号, 指定通知書…) within ±300 characters lifts it. Without
a keyword, barcodes (JAN/EAN-13 with a valid EAN check digit, ISBN-13) and
date-prefixed order numbers are dropped. ``T`` + 13 digits is an invoice
registration number (:mod:`.jp_invoice_number_recognizer`), not matched here.

>>> r = JpCorporateNumberRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("法人番号：5835678256246（株式会社サンプル）")
[('5835678256246', 0.85)]
>>> spans("４０１１００１０９８９９３は当社の法人番号です")
[('４０１１００１０９８９９３', 0.85)]
>>> spans("取引先コード 7-1234-5678-9012")  # checksum only: low score
[('7-1234-5678-9012', 0.3)]
>>> spans("法人番号 2835678256246")  # bad check digit
[]
>>> spans("注文番号 7123456789012 / JAN 4901234567894 / T5835678256246")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, NUMBER_SEP, to_ascii_digits
from .jp_my_number_recognizer import is_date_prefixed

_SEP = NUMBER_SEP
_ALNUM = ALNUM_CHARS

# Not inside a longer number/code (a digit or letter, or "digit-" / "T-" before it).
CORPORATE_NUMBER_REGEX = (
    rf"(?<![{_ALNUM}]|[{_ALNUM}]{_SEP})"
    rf"[1-9１-９]{_SEP}?{DIGIT}{{4}}{_SEP}?{DIGIT}{{4}}{_SEP}?{DIGIT}{{4}}"
    rf"(?![{_ALNUM}]|{_SEP}[0-9０-９])"
)


def corporate_check_digit(base12: str) -> int:
    """Check digit (the FIRST digit) for a 12-digit base: ``9 - Σ Pn·Qn mod 9``."""
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return 9 - total % 9


def is_corporate_number(digits: str) -> bool:
    """13 ASCII digits whose first digit is the corporate-number check digit."""
    return (
        len(digits) == 13
        and digits.isdigit()
        and digits[0] != "0"
        and corporate_check_digit(digits[1:]) == int(digits[0])
    )


def _ean13_ok(digits: str) -> bool:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def is_barcode(digits: str) -> bool:
    """JAN/EAN-13 (Japanese 45/49 prefix) or ISBN-13 (978/979) with a valid EAN check digit."""
    return len(digits) == 13 and digits.startswith(("45", "49", "978", "979")) and _ean13_ok(
        digits
    )


class JpCorporateNumberRecognizer(CharWindowPatternRecognizer):
    """Japanese corporate number (法人番号), checksum + ±300-character keywords."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_CORPORATE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Corporate number (13 digits, checksum)", CORPORATE_NUMBER_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "法人番号", "会社法人等番号", "指定通知書", "法人番号指定通知書", "法人番号公表サイト",
        "corporate number", "corporate no",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号", "注文", "受注", "発注", "オーダー", "order", "伝票", "請求書番号", "請求番号",
        "invoice no", "登録番号", "会員番号", "顧客番号", "管理番号", "整理番号", "受付番号",
        "予約番号", "追跡番号", "問い合わせ番号", "製造番号", "シリアル", "serial", "型番", "品番",
        "商品コード", "JAN", "EAN", "ISBN", "バーコード", "取引番号", "契約番号", "証券番号",
        "口座", "カード番号", "電話", "TEL", "FAX",
        "マイナンバー", "個人番号", "住民票コード", "運転免許", "基礎年金番号",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (300, 300)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """False on a bad check digit; None (not True, which forces 1.0) when it passes."""
        return None if is_corporate_number(to_ascii_digits(pattern_text)) else False

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop fillers whose base is one repeated digit."""
        return len(set(to_ascii_digits(pattern_text)[1:])) == 1

    def score_without_context(self, value: str, score: float) -> float:
        """Without a keyword, barcodes and date-prefixed order numbers are dropped."""
        digits = to_ascii_digits(value)
        if is_barcode(digits) or is_date_prefixed(digits):
            return 0.0
        return score
