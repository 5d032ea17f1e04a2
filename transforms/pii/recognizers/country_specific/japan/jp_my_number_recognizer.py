"""個人番号 (My Number): 12 digits, check digit per 総務省令第85号(平成26年) 第5条.

A random 12-digit string passes the check digit ~10 % of the time, so the
checksum alone only earns a low score; a keyword within ±300 characters
(Purview's proximity) lifts it. Field labels such as 注文番号 right before the
number, and date-shaped numbers (``202610160001``) without a keyword, are
dropped: those are order numbers.

>>> r = JpMyNumberRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["JP_MY_NUMBER"])]
>>> spans("123456789018がマイナンバーです")
[('123456789018', 0.9)]
>>> spans("個人番号：１２３４ ５６７８ ９０１８")
[('１２３４ ５６７８ ９０１８', 0.9)]
>>> spans("管理コード 123456789018")  # checksum only: low score
[('123456789018', 0.3)]
>>> spans("マイナンバー 123456789019")  # bad check digit
[]
>>> spans("注文番号202610160001")  # passes the checksum, but it is an order number
[]
>>> spans("JAN 4901234567894 / 1234-5678-9018-3456")  # 13 digits, card-like groups
[]
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, HYPHEN_CHARS, to_ascii_digits

_SEP = "[" + HYPHEN_CHARS + " 　.．]"
_NOT_ALNUM = ALNUM_CHARS
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Not after/before a digit, a letter, or a separator that continues a longer number.
MY_NUMBER_REGEX = (
    rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_SEP})"
    rf"{DIGIT}{{4}}{_SEP}?{DIGIT}{{4}}{_SEP}?{DIGIT}{{4}}"
    rf"(?![{_NOT_ALNUM}]|{_SEP}[0-9０-９])"
)


def my_number_check_digit(base11: str) -> int:
    """Check digit for the first 11 digits (weights 6,5,4,3,2,7,6,5,4,3,2)."""
    r = sum(int(d) * w for d, w in zip(base11, _WEIGHTS, strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def is_date_prefixed(digits: str) -> bool:
    """``YYYYMMDD…`` with a real date: the usual shape of order/slip numbers."""
    try:
        year = int(digits[:4])
        datetime.date(year, int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return 1900 <= year <= 2099


class JpMyNumberRecognizer(CharWindowPatternRecognizer):
    """Japanese individual number (マイナンバー / 個人番号), checksum + ±300-char keywords."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_MY_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("My Number (12 digits, checksum)", MY_NUMBER_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "マイナンバー",
        "ﾏｲﾅﾝﾊﾞｰ",
        "個人番号",
        "共通番号",
        "マイナンバーカード",
        "個人番号カード",
        "通知カード",
        "個人識別番号",
        "個人識別ナンバー",
        "my number",
        "mynumber",
        "my_number",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号", "注文", "受注", "発注", "オーダー", "order",
        "伝票", "請求書", "請求番号", "請求", "invoice", "インボイス", "登録番号",
        "法人番号", "会社法人等番号",
        "口座", "クレジットカード", "カード番号",
        "会員番号", "会員", "顧客番号", "顧客", "お客様番号", "社員番号", "従業員番号",
        "管理番号", "整理番号", "受付番号", "予約番号", "問い合わせ番号", "お問合せ番号",
        "追跡番号", "お問い合わせ番号", "配送", "送り状", "製造番号", "シリアル", "serial",
        "型番", "品番", "商品コード", "JAN", "ISBN", "取引番号", "取引ID", "契約番号",
        "証券番号", "見積番号", "案件番号", "学籍番号",
        "電話", "TEL", "FAX", "携帯",
        "運転免許", "免許証番号", "基礎年金番号", "被保険者番号", "保険者番号", "住民票コード",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (300, 300)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.9

    def validate_result(self, pattern_text: str) -> bool | None:
        """False on a bad check digit; None (not True, which forces 1.0) when it passes."""
        digits = to_ascii_digits(pattern_text)
        if len(digits) != 12:
            return False
        if my_number_check_digit(digits[:11]) != int(digits[11]):
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop all-same-digit fillers (000000000000 passes the checksum)."""
        return len(set(to_ascii_digits(pattern_text))) == 1

    def score_without_context(self, value: str, score: float) -> float:
        """Date-prefixed numbers without a keyword are order/slip numbers: drop them."""
        if is_date_prefixed(to_ascii_digits(value)):
            return 0.0
        return score
