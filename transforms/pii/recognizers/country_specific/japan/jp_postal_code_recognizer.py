"""郵便番号 (postal code): NNN-NNNN.

After ``〒``/``〶`` or a 郵便番号 label the shape is unambiguous (high score; the
mark stays inside the span, the label word does not). A bare ``NNN-NNNN``
collides with part numbers and extensions, so it starts low and is lifted by
a nearby 郵便番号/住所/〒 keyword or a prefecture right after it.

>>> r = JpPostalCodeRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["JP_POSTAL_CODE"])]
>>> spans("〒100-0005 東京都千代田区丸の内")
[('〒100-0005', 0.9)]
>>> spans("郵便番号：５３０ー０００１")
[('５３０ー０００１', 0.85)]
>>> spans("530-0001 大阪府大阪市北区梅田")
[('530-0001', 0.6)]
>>> spans("品番 530-0001")
[('530-0001', 0.1)]
>>> spans("03-123-4567、2026-0302、ISBN 978-4-06-123456-7")
[]
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import DIGIT, HYPHEN, to_ascii_digits

_BARE_BEFORE = rf"(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ.．/]|{HYPHEN})"
_AFTER = rf"(?![0-9０-９]|{HYPHEN}[0-9０-９])"

POSTAL_MARK_REGEX = rf"(?P<pii>[〒〶][ 　]?{DIGIT}{{3}}(?:{HYPHEN}|[ 　])?{DIGIT}{{4}}){_AFTER}"
POSTAL_LABEL_REGEX = (
    rf"(?:郵便番号|郵便|郵番|postal\s?code|zip\s?code|zip)[ 　]*[:：]?[ 　]*"
    rf"(?P<pii>{DIGIT}{{3}}{HYPHEN}?{DIGIT}{{4}}){_AFTER}"
)
POSTAL_BARE_REGEX = rf"{_BARE_BEFORE}{DIGIT}{{3}}{HYPHEN}{DIGIT}{{4}}{_AFTER}"

_PREFECTURE_AFTER = regex.compile(
    r"[ 　]{0,2}(?:東京都|北海道|京都府|大阪府|"
    r"(?:青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|神奈川|新潟|富山|石川|福井|"
    r"山梨|長野|岐阜|静岡|愛知|三重|滋賀|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|"
    r"香川|愛媛|高知|福岡|佐賀|長崎|熊本|大分|宮崎|鹿児島|沖縄)県)"
)


class JpPostalCodeRecognizer(CharWindowPatternRecognizer):
    """Japanese postal codes; 〒/label forms high, bare NNN-NNNN low unless context."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_POSTAL_CODE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Postal code (〒 mark)", POSTAL_MARK_REGEX, 0.9),
        Pattern("Postal code (label)", POSTAL_LABEL_REGEX, 0.85),
        Pattern("Postal code (bare NNN-NNNN)", POSTAL_BARE_REGEX, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "郵便番号", "郵便", "〒", "〶", "住所", "所在地", "送付先", "送り先", "届け先", "お届け先",
        "配送先", "発送先", "宛先", "現住所", "本社", "支店", "postal", "zip",
        # romaji addresses: "Chiyoda-ku, Tokyo 100-0005"
        "-ku,", "-shi,", "Tokyo", "Osaka", "Kyoto", "Hokkaido", "Kanagawa", "Aichi", "Fukuoka",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (30, 0)
    CONTEXT_SCORE: ClassVar[float] = 0.6

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """000-0000 is a placeholder, not a postal code."""
        return to_ascii_digits(pattern_text) == "0000000"

    def has_extra_context(self, text: str, start: int, end: int) -> bool:
        """A prefecture right after the number means an address follows."""
        return _PREFECTURE_AFTER.match(text, end) is not None
