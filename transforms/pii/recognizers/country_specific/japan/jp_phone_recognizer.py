"""Japanese telephone numbers (総務省 numbering plan), any hyphen/width variant.

Presidio's ``PhoneRecognizer`` (libphonenumber's matcher) misses ``ー``/``−``
separators and ``+81 (0)90`` business-card forms, and its spans cannot be tuned,
so this recognizer matches phone-shaped digit groups itself and then checks the
plan: 10 digits for fixed lines / 0120 / 0570, 11 for 0A0 mobiles, 050 IP
phones, 0800 and 020. libphonenumber's validity only raises the score: test and
dummy numbers (``090-0000-1111``) in internal documents are still personal
data when a label says "TEL".

>>> r = JpPhoneRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PHONE_NUMBER"])]
>>> spans("電話番号は090-1234-5678です")
[('090-1234-5678', 0.85)]
>>> spans("お客様センター0120ー123ー456（平日）")
[('0120ー123ー456', 0.6)]
>>> spans("Tel: +81 (0)3 1234 5678 / ０６（６１２３）４５６７")
[('+81 (0)3 1234 5678', 0.85), ('０６（６１２３）４５６７', 0.85)]
>>> spans("2026-03-02 の会議、v10.0.1234、注文番号 0312345678、価格 12,345円")
[]
"""

from __future__ import annotations

from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import DIGIT, HYPHEN, to_ascii_digits

_D = DIGIT
_NZ = "[1-9１-９]"
# One separator: a hyphen variant (optionally spaced), a dot, or one space.
_SEP = f"(?:[ 　]?{HYPHEN}[ 　]?|[.．]|[ 　])"
_OPEN = "[(（]"
_CLOSE = "[)）]"
# Not inside a longer number / code: no digit, +, hyphen-minus, or "digit." before.
_BEFORE = r"(?<![0-9０-９+＋\-－_/=#＃]|[0-9０-９][.．])"
_AFTER = rf"(?![0-9０-９]|(?:{HYPHEN}|[.．])[0-9０-９])"

_GROUPED_REST = rf"(?:{_SEP}|{_OPEN}){_D}{{1,4}}(?:{_SEP}|{_CLOSE}[ 　]?){_D}{{3,4}}"
_TWO_GROUP_REST = rf"{_SEP}{_D}{{5,8}}"

NATIONAL_GROUPED = (
    rf"{_BEFORE}(?:[0０]{_D}{{1,4}}(?:{_GROUPED_REST}|{_TWO_GROUP_REST})"
    rf"|{_OPEN}[0０]{_D}{{1,4}}{_CLOSE}[ 　]?{_D}{{1,4}}{_SEP}{_D}{{3,4}}){_AFTER}"
)
NATIONAL_BARE = rf"{_BEFORE}[0０]{_D}{{9,10}}{_AFTER}"
INTERNATIONAL = (
    rf"{_BEFORE}[+＋][ 　]?(?:81|８１)(?:[ 　]?{_OPEN}[ 　]?[0０][ 　]?{_CLOSE})?{_SEP}?"
    rf"(?:{_NZ}{_D}{{0,3}}(?:{_GROUPED_REST}|{_TWO_GROUP_REST})|{_NZ}{_D}{{8,9}}){_AFTER}"
)

_ELEVEN_DIGIT_PREFIXES = ("020", "050", "060", "070", "080", "090", "0800")


def national_significant(text: str) -> str | None:
    """Digits as dialled in Japan (leading 0), or None if not a Japanese number shape."""
    digits = to_ascii_digits(text)
    if "+" in text or "＋" in text:
        if not digits.startswith("81"):
            return None
        rest = digits[2:]
        digits = rest if rest.startswith("0") else "0" + rest
    if not digits.startswith("0") or digits[1] == "0":
        return None
    if len(digits) == 11:
        return digits if digits.startswith(_ELEVEN_DIGIT_PREFIXES) else None
    if len(digits) == 10:
        # 0A0 ranges are 11 digits (except none); 0120/0570 and fixed lines are 10.
        return None if digits[2] == "0" else digits
    return None


class JpPhoneRecognizer(CharWindowPatternRecognizer):
    """Japanese phone numbers: landline, mobile (060-090), 050, 0120/0800/0570, +81."""

    COUNTRY_CODE = "jp"
    ENTITY = "PHONE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("JP phone (+81)", INTERNATIONAL, 0.7),
        Pattern("JP phone (grouped)", NATIONAL_GROUPED, 0.6),
        Pattern("JP phone (bare digits)", NATIONAL_BARE, 0.4),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "電話", "でんわ", "TEL", "Tel.", "℡", "☎", "携帯", "ケータイ", "連絡先", "FAX",
        "ファックス", "ファクス", "内線", "代表", "直通", "問い合わせ", "問合せ", "お問合わせ",
        "フリーダイヤル", "フリーコール", "ナビダイヤル", "phone", "mobile", "cell",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号", "注文", "受注", "発注", "伝票", "請求書", "請求番号", "会員番号", "顧客番号",
        "管理番号", "整理番号", "受付番号", "予約番号", "追跡番号", "問い合わせ番号",
        "お問合せ番号",
        "口座", "型番", "品番", "商品コード", "製造番号", "シリアル", "契約番号", "証券番号",
        "郵便番号", "〒",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (40, 10)
    NEGATIVE_WINDOW: ClassVar[int] = 15
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless the digits fit the Japanese numbering plan."""
        return None if national_significant(pattern_text) else False

    def score_match(self, value: str, score: float) -> float:
        """Numbers libphonenumber does not know (dummies, new 060 ranges) score lower."""
        number = national_significant(value)
        if number is None:
            return 0.0
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(number, "JP"))
        except phonenumbers.NumberParseException:
            valid = False
        return score if valid or number.startswith("060") else round(score - 0.2, 2)
