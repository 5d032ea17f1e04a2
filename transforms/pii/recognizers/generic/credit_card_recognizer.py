"""Payment card numbers (13–19 digits, Luhn) inside Japanese text.

Presidio's ``CreditCardRecognizer`` wraps its pattern in ``\\b``, which never
fires between kanji/kana and digits, and knows only ASCII ``-``/space. Here the
groups may be separated by any hyphen variant, spaces or a line break, digits
may be full-width, and the issuer prefix (IIN) must be one a card network uses.

* grouped (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4), Luhn and IIN valid: 0.6;
* the same digits ungrouped: 0.3 (13 digits: barcodes, only with a keyword);
* カード番号 / カード / クレジット / VISA … within 50 characters before / 20 after:
  0.85 (Luhn and the issuer prefix already passed, so a plain カード is enough).

>>> r = JaCreditCardRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("カード番号：4111-1111-1111-1111")
[('4111-1111-1111-1111', 0.85)]
>>> spans("お支払いは３５６６ ００２０ ２０３６ ０５０５でした")
[('３５６６ ００２０ ２０３６ ０５０５', 0.6)]
>>> spans("5\\tカード番号：4111 1111 1111 1111\\n6\\t〒154-0011")  # CSV rows around it
[('4111 1111 1111 1111', 0.85)]
>>> spans("参照 378282246310005")
[('378282246310005', 0.3)]
>>> spans("4111-1111-1111-1112、JAN 4901234567894、1234-5678-9018-3456、注文番号 4111111111111111")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ..context_window import CharWindowPatternRecognizer
from ..ja_chars import ALNUM_CHARS, DIGIT, HYPHEN, to_ascii_digits

_NOT_ALNUM = ALNUM_CHARS
# One separator: a hyphen variant (optionally spaced), one or two spaces, or a line break.
_SEP = rf"(?:[ 　]?{HYPHEN}[ 　]?|[ 　]{{1,2}}|\r?\n)"
# The same without the line break: a number on the line before or after (a CSV row
# number, a list) does not make this one part of a longer number.
_INLINE_SEP = rf"(?:[ 　]?{HYPHEN}[ 　]?|[ 　]{{1,2}})"
_BEFORE = rf"(?<![{_NOT_ALNUM}]|[0-9０-９]{_INLINE_SEP})"
_AFTER = rf"(?![{_NOT_ALNUM}]|{_INLINE_SEP}[0-9０-９])"
_D4 = f"{DIGIT}{{4}}"

CARD_GROUPED_REGEX = (
    rf"{_BEFORE}(?:{_D4}(?:{_SEP}{_D4}){{3}}(?:{_SEP}{DIGIT}{{3}})?"
    rf"|{_D4}{_SEP}{DIGIT}{{6}}{_SEP}{DIGIT}{{4,5}}){_AFTER}"
)
CARD_BARE_REGEX = rf"{_BEFORE}{DIGIT}{{13,19}}{_AFTER}"


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over ASCII digits."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def issuer_ok(digits: str) -> bool:
    """Prefix and length of a card network (Visa, MC, Amex, JCB, Diners, Discover, UnionPay)."""
    n = len(digits)
    two, four, six = int(digits[:2]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return n in (13, 16, 19)
    if 51 <= two <= 55 or 222100 <= six <= 272099:
        return n == 16
    if two in (34, 37):
        return n == 15
    if 3528 <= four <= 3589:
        return 16 <= n <= 19
    if two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:
        return 14 <= n <= 19
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or two == 62:
        return 16 <= n <= 19
    return False


class JaCreditCardRecognizer(CharWindowPatternRecognizer):
    """Payment card numbers with any hyphen/space grouping, Luhn + issuer prefix."""

    ENTITY = "CREDIT_CARD"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Credit card (grouped)", CARD_GROUPED_REGEX, 0.6),
        Pattern("Credit card (bare digits)", CARD_BARE_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "カード番号", "カード", "クレジット", "クレカ", "デビットカード", "プリペイドカード",
        "有効期限",
        "セキュリティコード", "VISA", "Mastercard", "JCB", "AMEX", "American Express",
        "Diners", "ダイナース", "アメックス", "銀聯", "UnionPay", "credit card", "card number",
        "card no",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号", "注文", "受注", "発注", "伝票", "請求書番号", "請求番号", "会員番号",
        "顧客番号",
        "管理番号", "受付番号", "予約番号", "追跡番号", "問い合わせ番号", "お問合せ番号",
        "JAN", "EAN", "ISBN", "バーコード", "商品コード", "型番", "品番", "製造番号", "シリアル",
        "serial", "法人番号", "マイナンバー", "個人番号", "口座", "電話", "TEL",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (50, 20)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless Luhn and the issuer prefix pass; None (never True, which forces 1.0)."""
        digits = to_ascii_digits(pattern_text)
        if not 13 <= len(digits) <= 19 or not luhn_ok(digits) or not issuer_ok(digits):
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop all-one-digit fillers."""
        return len(set(to_ascii_digits(pattern_text))) == 1

    def score_without_context(self, value: str, score: float) -> float:
        """Thirteen bare digits (JAN/ISBN, corporate numbers) need a keyword."""
        return 0.0 if len(to_ascii_digits(value)) == 13 and score < 0.6 else score
