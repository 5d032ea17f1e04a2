"""健康保険 (health insurance) identifiers: 保険者番号 and the insured person's 記号・番号・枝番.

Shapes are insurer-specific (reference §2.9), so every pattern is label-led:

* ``保険者番号`` + 6 digits (国民健康保険) or 8 digits (employee schemes): the label
  itself is the evidence, high score;
* ``記号`` / ``番号`` / ``記号・番号`` / ``被保険者番号`` / ``枝番`` + value: these
  labels are generic, so the value is reported only when a health-insurance
  keyword (保険証, 被保険者証, 資格確認書, 健康保険…) is within 150 characters
  before or 50 after.

Only the value is in the span, never the label. ``電話番号`` / ``注文番号`` and
other compound labels ending in 番号 are not ``番号`` labels.

>>> r = JpHealthInsuranceRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("保険者番号：06123456")
[('06123456', 0.85)]
>>> spans("被保険者証 記号 ４５６７ 番号 １２ 枝番 ０１")
[('４５６７', 0.85), ('１２', 0.85), ('０１', 0.85)]
>>> spans("保険証の記号・番号：12-345・678")
[('12-345・678', 0.85)]
>>> spans("記号 4567 番号 12")  # no health-insurance keyword
[]
>>> spans("保険証の写し：番号 2 の欄は空欄で可")  # prose, not a value
[]
>>> spans("保険証を持参。電話番号 0312345678、注文番号 12345、カード番号 5")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import DIGIT, HYPHEN_CHARS

_ALNUM = "0-9０-９A-Za-zＡ-Ｚａ-ｚ"
_SEP = "[" + HYPHEN_CHARS + "・･ 　/／]"
_LABEL_END = "[ 　]*[:：]?[ 　]*"
# A label word, not the tail of a compound (電話番号, カード番号): no kanji/katakana
# before, except the card's own name (保険証記号, 被保険者証番号).
_FREE = r"(?:(?<![\p{Han}\p{Katakana}ー])|(?<=保険証|被保険者証|資格確認書|被保険者))"
# Not a longer code, and not prose ("番号 2 の欄", "番号3番目", "記号 5 個").
_VALUE_END = (
    rf"(?![{_ALNUM}]|[{HYPHEN_CHARS}][0-9０-９]"
    r"|[ 　]*(?:[のをがはにでへと欄件人名回個枚円歳才年月日時分%％]|番目))"
)

INSURER_NUMBER_REGEX = (
    rf"(?<!被)保険者番号{_LABEL_END}(?:は[ 　]*)?"
    rf"(?P<pii>{DIGIT}{{8}}|{DIGIT}{{6}})(?![0-9０-９])"
)
SYMBOL_AND_NUMBER_REGEX = (
    rf"{_FREE}(?:被保険者)?記号[・･/／]?番号{_LABEL_END}"
    rf"(?P<pii>[{_ALNUM}]{{1,10}}(?:{_SEP}[{_ALNUM}]{{1,10}}){{1,2}}){_VALUE_END}"
)
SINGLE_LABEL_REGEX = (
    rf"(?:{_FREE}(?:記号|番号)|被保険者(?:記号|番号)){_LABEL_END}"
    rf"(?P<pii>[{_ALNUM}]{{1,10}}(?:[{HYPHEN_CHARS}][{_ALNUM}]{{1,10}})?){_VALUE_END}"
)
BRANCH_REGEX = rf"{_FREE}枝番(?:号)?{_LABEL_END}(?P<pii>{DIGIT}{{1,2}})(?![0-9０-９])"


class JpHealthInsuranceRecognizer(CharWindowPatternRecognizer):
    """Health-insurance insurer numbers and insured-person symbols/numbers (label-led)."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_HEALTH_INSURANCE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Health insurance (保険者番号 label)", INSURER_NUMBER_REGEX, 0.85),
        Pattern("Health insurance (記号・番号 label)", SYMBOL_AND_NUMBER_REGEX, 0.1),
        Pattern("Health insurance (記号/番号 label)", SINGLE_LABEL_REGEX, 0.1),
        Pattern("Health insurance (枝番 label)", BRANCH_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "保険証", "被保険者証", "健康保険", "健保", "資格確認書", "資格情報のお知らせ",
        "国民健康保険", "国保", "後期高齢者医療", "介護保険", "組合員証", "加入者証",
        "保険者番号", "マイナ保険証", "health insurance",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "電話", "TEL", "FAX", "携帯", "注文", "伝票", "請求", "会員", "顧客", "口座", "ゆうちょ",
        "振替", "雇用保険", "年金", "免許", "在留", "旅券", "パスポート", "郵便",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (150, 50)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def score_without_context(self, value: str, score: float) -> float:
        """Generic 記号/番号/枝番 labels count only near a health-insurance keyword."""
        return score if score >= 0.85 else 0.0
