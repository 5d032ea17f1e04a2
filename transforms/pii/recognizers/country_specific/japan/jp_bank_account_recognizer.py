"""銀行口座 (bank accounts): 預金種目 + 7-digit account, branch numbers, ゆうちょ 記号-番号.

* strong form — ``普通``/``当座``/``貯蓄`` (+ 預金)(+ 口座)(+ 番号) right before
  7 digits: the deposit type is the label, high score on its own;
* any other 7-digit number, a 3-digit 支店番号/店番 value, or a ゆうちょ
  ``1NNNN-NNNNNNN1`` 記号-番号 (also ``記号 1NNNN 番号 NNNNNNN1``) needs an
  account keyword (口座, 振込, 銀行, ゆうちょ…) within 60 characters before /
  20 after, else nothing is reported.

Amounts (``1234567円``), phone numbers (``03-1234-5678``) and parts of longer
numbers are never account numbers.

>>> r = JpBankAccountRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("三井住友銀行 渋谷支店 普通預金 1234567")
[('1234567', 0.85)]
>>> spans("振込先口座：店番 123 口座番号 ７６５４３２１")
[('123', 0.85), ('７６５４３２１', 0.85)]
>>> spans("ゆうちょ銀行 12345－12345671")
[('12345－12345671', 0.85)]
>>> spans("社員 1234567、店番 123、12345-12345671")  # no account keyword
[]
>>> spans("口座の件は 03-1234-5678 へ。振込金額 1234567円、普通 1234567件")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, HYPHEN, NUMBER_SEP

_SEP = NUMBER_SEP
_NOT_ALNUM = ALNUM_CHARS
_LABEL_END = "[ 　]*(?:No\\.?|[:：#＃])?[ 　]*"
_BEFORE = rf"(?<![{_NOT_ALNUM}〒¥￥$＄.．,，]|[0-9０-９]{_SEP})"
# Not part of a longer number, an amount or a count.
_AFTER = (
    rf"(?![{_NOT_ALNUM}]|[.．,，:：/／]?[0-9０-９]|{_SEP}[0-9０-９]"
    r"|[ 　]?[円件個人名回枚本台万千億％%])"
)

STRONG_ACCOUNT_REGEX = (
    rf"(?:普通|当座|貯蓄)(?:預金|預け金)?(?:口座)?(?:番号)?[)）]?{_LABEL_END}"
    rf"(?P<pii>{DIGIT}{{7}}){_AFTER}"
)
ACCOUNT_REGEX = rf"{_BEFORE}{DIGIT}{{7}}{_AFTER}"
BRANCH_REGEX = (
    rf"(?:支店番号|支店コード|店番号|店番|店舗番号|支店No\.?){_LABEL_END}"
    rf"(?P<pii>{DIGIT}{{3}}){_AFTER}"
)
YUCHO_REGEX = rf"{_BEFORE}[1１]{DIGIT}{{4}}[ 　]?{HYPHEN}?[ 　]?{DIGIT}{{6,7}}[1１]{_AFTER}"
_YUCHO_SYMBOL = rf"[1１]{DIGIT}{{4}}"
_YUCHO_GAP = "[ 　、,，]*"
YUCHO_SYMBOL_LABEL_REGEX = (
    rf"記号{_LABEL_END}(?P<pii>{_YUCHO_SYMBOL})(?![0-9０-９])(?={_YUCHO_GAP}番号)"
)
YUCHO_NUMBER_LABEL_REGEX = (
    rf"記号{_LABEL_END}{_YUCHO_SYMBOL}{_YUCHO_GAP}番号{_LABEL_END}"
    rf"(?P<pii>{DIGIT}{{6,7}}[1１]){_AFTER}"
)


class JpBankAccountRecognizer(CharWindowPatternRecognizer):
    """Japanese bank account numbers; only the deposit-type form stands without a keyword."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_BANK_ACCOUNT"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Bank account (普通/当座/貯蓄 + 7 digits)", STRONG_ACCOUNT_REGEX, 0.85),
        Pattern("Bank account (7 digits)", ACCOUNT_REGEX, 0.1),
        Pattern("Bank branch number (3 digits)", BRANCH_REGEX, 0.1),
        Pattern("Japan Post Bank 記号-番号", YUCHO_REGEX, 0.1),
        Pattern("Japan Post Bank 記号 label", YUCHO_SYMBOL_LABEL_REGEX, 0.1),
        Pattern("Japan Post Bank 番号 label", YUCHO_NUMBER_LABEL_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "口座", "口座番号", "銀行口座", "預金口座", "総合口座", "振込先", "振込", "振り込み",
        "振替", "預金", "貯金", "通帳", "銀行", "信用金庫", "信金", "労働金庫", "ろうきん",
        "信用組合", "農協", "JAバンク", "ゆうちょ", "郵便貯金", "金融機関",
        "bank account", "account no", "account number", "acct",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "電話", "TEL", "FAX", "携帯", "内線", "注文番号", "注文", "伝票", "請求書番号", "請求番号",
        "会員番号", "顧客番号", "お客様番号", "管理番号", "受付番号", "予約番号", "追跡番号",
        "社員番号", "従業員番号", "郵便番号", "〒", "金額", "合計", "残高", "ISBN", "JAN",
        "カード番号", "マイナンバー", "個人番号", "基礎年金番号", "保険者番号",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (60, 20)
    NEGATIVE_WINDOW: ClassVar[int] = 15
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def score_without_context(self, value: str, score: float) -> float:
        """An account keyword is required for everything but the deposit-type form."""
        return score if score >= 0.85 else 0.0
