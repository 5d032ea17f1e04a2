"""旅券番号 (Japanese passport number): 2 Latin letters + 7 digits (``TK1234567``).

The shape is shared by product codes, booking references and model numbers, so
it scores high only with a passport keyword within 100 characters before / 50
after (Purview requires the keyword). Without one it is counted at shape-only
score. Letters and digits may be full-width; one space between them is allowed.

>>> r = JpPassportRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("旅券番号：TK1234567")
[('TK1234567', 0.85)]
>>> spans("ＭＺ９８７６５４３（パスポート）")
[('ＭＺ９８７６５４３', 0.85)]
>>> spans("参照 TR1234567")  # shape only
[('TR1234567', 0.1)]
>>> spans("パスポート用の予約番号 AB1234567、型番 XY-1234567、TK12345678")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, LATIN

_ALNUM = ALNUM_CHARS

PASSPORT_REGEX = (
    rf"(?<![{_ALNUM}_/\-－])"
    rf"{LATIN}{{2}}[ 　]?{DIGIT}{{7}}"
    rf"(?![{_ALNUM}]|[\-－_/][{_ALNUM}])"
)


class JpPassportRecognizer(CharWindowPatternRecognizer):
    """Japanese passport numbers; high only next to a passport keyword."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_PASSPORT"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Passport (2 letters + 7 digits)", PASSPORT_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "旅券", "旅券番号", "パスポート", "パスポート番号", "パスポートナンバー", "ﾊﾟｽﾎﾟｰﾄ",
        "passport", "passport no", "passport number",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "予約番号", "予約", "注文番号", "注文", "伝票", "請求書", "会員番号", "顧客番号",
        "管理番号", "受付番号", "追跡番号", "型番", "品番", "商品コード", "製造番号", "シリアル",
        "serial", "model", "便名", "フライト", "flight", "booking", "在留カード",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (100, 50)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85
