"""在留カード番号 / 特別永住者証明書番号: 2 letters + 8 digits + 2 letters (``AB12345678CD``).

The 12-character shape is fairly specific, but nothing verifies it (no public
check digit), so alone it is shape-only; 在留カード / 在留番号 / 特別永住者証明書
within ±100 characters lifts it. Letters and digits may be full-width.

>>> r = JpResidenceCardRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("在留カード番号：AB12345678CD")
[('AB12345678CD', 0.85)]
>>> spans("ｕｖ９８７６５４３２ｗｘは特別永住者証明書の番号")
[('ｕｖ９８７６５４３２ｗｘ', 0.85)]
>>> spans("コード AB12345678CD")  # shape only
[('AB12345678CD', 0.3)]
>>> spans("在留カード AB1234567CD、AB12345678CDE、型番 XY12345678ZZ")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import ALNUM_CHARS, DIGIT, LATIN

_ALNUM = ALNUM_CHARS

RESIDENCE_CARD_REGEX = (
    rf"(?<![{_ALNUM}_/\-－])"
    rf"{LATIN}{{2}}{DIGIT}{{8}}{LATIN}{{2}}"
    rf"(?![{_ALNUM}]|[\-－_/][{_ALNUM}])"
)


class JpResidenceCardRecognizer(CharWindowPatternRecognizer):
    """Residence card / special permanent resident certificate numbers."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_RESIDENCE_CARD"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Residence card (2 letters + 8 digits + 2 letters)", RESIDENCE_CARD_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "在留カード", "在留番号", "在留カード番号", "特別永住者証明書", "特別永住者",
        "在留資格", "外国人登録", "residence card", "zairyu",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "注文番号", "予約番号", "伝票", "請求書", "会員番号", "管理番号", "型番", "品番",
        "商品コード", "製造番号", "シリアル", "serial",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (100, 100)
    CONTEXT_SCORE: ClassVar[float] = 0.85
