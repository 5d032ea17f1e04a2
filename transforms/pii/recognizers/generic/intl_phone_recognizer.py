"""Foreign phone numbers: any ``+CC`` number, and Chinese mobiles written nationally.

Japanese business mail carries foreign partners' signatures (``+49 40 5550 1827``),
and a pipeline run with all languages keeps Chinese notices (``139 0211 5862``).
A foreign number must carry ``+CC``, except mainland-China mobiles (11 digits
``1[3-9]x``), the one national format common in this corpus; libphonenumber must
call every match valid. ``+81`` is left to ``JpPhoneRecognizer``.

>>> r = IntlPhoneRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PHONE_NUMBER"])]
>>> spans("Phone: +49 40 5550 1827")
[('+49 40 5550 1827', 0.85)]
>>> spans("上海オフィス（+86 21 5555 0188）")
[('+86 21 5555 0188', 0.6)]
>>> spans("请联系李娜，电话 139 0211 5862。"), spans("番号 139 0211 5862")
([('139 0211 5862', 0.85)], [('139 0211 5862', 0.45)])
>>> spans("+81 3 6812 4470 / +12 345 / 1+1=2 / +49 123 / 14012345678 / 202610160001")
[]
>>> spans("注文番号 13512345678")
[]
"""

from __future__ import annotations

from typing import ClassVar

import phonenumbers
import regex
from phonenumbers import PhoneNumberType
from presidio_analyzer import Pattern

from ..context_window import CharWindowPatternRecognizer
from ..country_specific.japan.jp_phone_recognizer import JpPhoneRecognizer
from ..ja_chars import DIGIT, to_ascii_digits

_SEP = r"(?:[ 　]?[-－.．][ 　]?|[ 　])"
INTL_PHONE_REGEX = (
    r"(?<![0-9０-９A-Za-z+＋])[+＋](?!81|８１)[1-9１-９]" + DIGIT + "{0,2}"
    rf"(?:{_SEP}?[(（]{DIGIT}{{1,4}}[)）])?(?:{_SEP}?{DIGIT}{{1,5}}){{1,5}}"
    r"(?![0-9０-９])"
)
_CN_SEP = "[ \\-－]"
CN_MOBILE_GROUPED_REGEX = (
    rf"(?<![0-9０-９+＋\-－.．])1[3-9][0-9]{_CN_SEP}[0-9]{{4}}{_CN_SEP}[0-9]{{4}}"
    r"(?![0-9０-９]|[\-－][0-9０-９])"
)
CN_MOBILE_BARE_REGEX = r"(?<![0-9０-９+＋\-－.．])1[3-9][0-9]{9}(?![0-9０-９])"

_TRUNK_ZERO = regex.compile("[(（][0０][)）]")  # +44 (0)20 …: the (0) is not dialled


class IntlPhoneRecognizer(CharWindowPatternRecognizer):
    """``+CC`` phone numbers outside Japan, validated with libphonenumber."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Phone (+CC, libphonenumber)", INTL_PHONE_REGEX, 0.6),
        Pattern("CN mobile (3-4-4)", CN_MOBILE_GROUPED_REGEX, 0.45),
        Pattern("CN mobile (11 digits)", CN_MOBILE_BARE_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "電話", "TEL", "Phone", "Mobile", "Cell", "Fax", "携帯", "連絡先", "contact",
        "电话", "手机", "联系", "传真",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = JpPhoneRecognizer.NEGATIVE_CONTEXT
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (40, 10)
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """libphonenumber must call it valid (+CC: any region but JP; else a CN mobile)."""
        digits = to_ascii_digits(_TRUNK_ZERO.sub("", pattern_text))
        international = pattern_text.lstrip().startswith(("+", "＋"))
        try:
            if international:
                parsed = phonenumbers.parse("+" + digits, None)
            else:
                parsed = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            return False
        if parsed.country_code == 81 or not phonenumbers.is_valid_number(parsed):
            return False
        if not international and phonenumbers.number_type(parsed) != PhoneNumberType.MOBILE:
            return False
        return None
