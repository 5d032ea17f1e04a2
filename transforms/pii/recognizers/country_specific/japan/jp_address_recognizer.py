"""Japanese street addresses: 市区町村 + 町域 + 丁目/番地/号 (+ building, room).

GiNZA tags ``東京都千代田区丸の内`` as a place but ``1丁目1番1号`` as Money, so
the part that actually identifies a home needs rules. The block part is the
anchor (``1丁目1番1号``, ``二丁目3番5号``, ``2-4-9``, ``123番地の4``, ``北1条西2丁目``);
what precedes it decides the score:

* prefecture/municipality + town + block: high;
* town + 丁目/番地 without a municipality: medium;
* town + ``N-N-N`` only: low, lifted by 住所/所在地/〒 nearby.

Building names (``梅田ビル5階``) and rooms (``101号室``, ``#101``) are appended.

>>> r = JpAddressRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["JP_ADDRESS"])]
>>> spans("住所は東京都千代田区丸の内1丁目1番1号です。")
[('東京都千代田区丸の内1丁目1番1号', 0.85)]
>>> spans("会場：大阪市北区梅田2-4-9 梅田ビル5階")
[('大阪市北区梅田2-4-9 梅田ビル5階', 0.85)]
>>> spans("横浜市西区みなとみらい二丁目3番5号の102号室")
[('横浜市西区みなとみらい二丁目3番5号の102号室', 0.85)]
>>> spans("Haruka Bldg. 12F, Marunouchi 1-1-1, Chiyoda-ku, Tokyo 100-0005, Japan")
[('Marunouchi 1-1-1, Chiyoda-ku, Tokyo', 0.85)]
>>> spans("梅田2-4-9です")
[('梅田2-4-9', 0.3)]
>>> spans("自宅：梅田2-4-9 梅田ハイツ201")
[('梅田2-4-9 梅田ハイツ201', 0.6)]
>>> spans("東京駅で待ち合わせ、2026-03-02の第3会議室、v1.2.3")
[]
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import HYPHEN, KANJI_NUMERAL

_PREFECTURE = (
    "(?:東京都|北海道|京都府|大阪府|"
    "(?:青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|神奈川|新潟|富山|石川|福井|"
    "山梨|長野|岐阜|静岡|愛知|三重|滋賀|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|"
    "香川|愛媛|高知|福岡|佐賀|長崎|熊本|大分|宮崎|鹿児島|沖縄)県)"
)
_HAN = r"[\p{Han}々〆ヶヵケ]"
_KATA = "[ァ-ヺー]"
# Municipality: kanji (+ katakana, as in 南アルプス市) ending in 市/区/町/村/郡, or
# one of the few hiragana city names.
_MUNI_KANA = "(?:" + "|".join(
    """さいたま つくばみらい つくば ひたちなか いわき かすみがうら いちき串木野 みどり あきる野
    うきは みやこ えびの たつの かほく みよし あま せたな むつ にかほ つがる うるま 南アルプス
    南さつま""".split()
) + ")"
_MUNI = rf"(?:{_MUNI_KANA}|{_HAN}(?:{_HAN}|{_KATA}|[のノがケ]{_HAN}){{0,5}})[市区町村郡]"
# Town (町域): kanji/kana, but never the particles that would pull in a sentence.
_TOWN_CHAR = rf"(?:(?![はをでにへも、。])(?:{_HAN}|[ぁ-ゖァ-ヺー・]))"
_TOWN_STRICT = rf"{_HAN}(?:{_HAN}|{_KATA}|[のノがケ](?={_HAN})){{0,7}}"

# Possessive and bounded: a run of digits is one number, never re-split on failure,
# and a 10,000-character run of numerals cannot make every attempt linear.
_NUM = rf"(?:[0-9０-９]{{1,6}}+|{KANJI_NUMERAL}{{1,8}}+)"
_UNIT = "(?:丁目|番地|番|号室|号|地割|条[東西南北]?|線)"
# Block: a number followed by a unit or a hyphen, then more numbers/units.
_BLOCK = (
    rf"{_NUM}(?:{_UNIT}|{HYPHEN}(?={_NUM}))"
    rf"(?:{_NUM}|{_UNIT}|{HYPHEN}(?={_NUM})|[のノ](?=[0-9０-９]))*"
)
_BLOCK_CHOME = rf"{_NUM}(?:丁目|番地)(?:{_NUM}|{_UNIT}|{HYPHEN}(?={_NUM})|[のノ](?=[0-9０-９]))*"
_BLOCK_HYPHEN3 = rf"[0-9０-９]+{HYPHEN}[0-9０-９]+{HYPHEN}[0-9０-９]+(?:{HYPHEN}[0-9０-９]+)?"

_BUILDING_SUFFIX = (
    "(?:ビルディング|ビル|マンション|ハイツ|コーポ|アパート|レジデンス|タワー|ハウス|プラザ|"
    "センター|会館|ヒルズ|パレス|コート|メゾン|ハイム|ガーデン|テラス|スクエア|荘|寮|棟|館)"
)
_BUILDING_CHAR = rf"(?:{_HAN}|[ァ-ヺー・A-Za-zＡ-Ｚａ-ｚのノが])"
_BUILDING = (
    rf"(?:[ 　]?{_BUILDING_CHAR}{{1,20}}{_BUILDING_SUFFIX}(?:{_KATA}|[A-Za-zＡ-Ｚａ-ｚ]){{0,3}})"
)
_FLOOR = r"(?:[ 　]?[0-9０-９]{1,3}(?:階|[FＦ])(?![A-Za-zＡ-Ｚａ-ｚ]))"
_ROOM = (
    rf"(?:[ 　]?(?:[のノ]?[0-9０-９]{{1,5}}号室?|[#＃][0-9０-９]{{1,5}}"
    rf"|{HYPHEN}[0-9０-９]{{1,5}}(?:号室?)?))"
)
# After a building name a bare number is the room (梅田ハイツ201), unless it is a floor.
_BUILDING_ROOM = r"(?:[ 　]?[0-9０-９]{1,5}(?:号室|号)?(?![0-9０-９階FＦ]))"
# Any building name (コーポ所野, グラン白金, 第3中鉢石町ビル) when a room number closes it:
# 101号室, #1102, or a bare 3-5 digit number that is not a year, time, amount or phone.
_NAMED_ROOM = (
    rf"(?:[ 　]?(?!TEL|FAX|Tel|Fax|電話|携帯|内線)(?:第[0-9０-９]{{1,2}})?{_BUILDING_CHAR}{{2,25}}"
    rf"[ 　]?(?:[#＃][0-9０-９]{{1,5}}|[0-9０-９]{{1,5}}号室|[0-9０-９]{{3,5}}号?)"
    rf"(?![0-9０-９.．:：年月日時分秒円件名人個回階歳才％%FＦ]|{HYPHEN}))"
)
_TAIL = (
    rf"(?:{_NAMED_ROOM}|(?:{_BUILDING}(?:{_FLOOR}|{_BUILDING_ROOM})?)?{_FLOOR}?{_ROOM}?)"
)
_END = "(?![0-9０-９])"

ADDRESS_FULL_REGEX = (
    rf"(?:{_PREFECTURE})?(?>(?:{_MUNI}){{1,3}}){_TOWN_CHAR}{{0,12}}{_BLOCK}{_END}{_TAIL}{_END}"
)
# Kyoto: 烏丸通三条上る場之町601 (street + crossing + 上る/下る/東入/西入 + town + number).
_KYOTO_TURN = "(?:上る|下る|上ル|下ル|東入る|西入る|東入ル|西入ル|東入|西入)"
ADDRESS_KYOTO_REGEX = (
    rf"(?:{_PREFECTURE})?(?>(?:{_MUNI}){{1,3}}){_TOWN_CHAR}{{1,12}}{_KYOTO_TURN}"
    rf"{_TOWN_CHAR}{{0,10}}?{_NUM}(?:{_UNIT}|{HYPHEN}(?={_NUM})|{_NUM})*{_END}{_TAIL}{_END}"
)
# Without a municipality the town must start a word: "北3条西4丁目" is not town "条西" + 4丁目.
_TOWN_START = "(?<![0-9０-９〇一二三四五六七八九十百千])"
# Stations named after a block (新宿三丁目駅) are not addresses.
_NOT_STATION = "(?!駅|前駅|線)"
ADDRESS_CHOME_REGEX = (
    rf"{_TOWN_START}{_TOWN_STRICT}{_BLOCK_CHOME}{_END}{_NOT_STATION}{_TAIL}{_END}"
)
ADDRESS_HYPHEN_REGEX = rf"{_TOWN_START}{_TOWN_STRICT}{_BLOCK_HYPHEN3}{_END}{_TAIL}{_END}"
# Sapporo grid without a municipality: 北3条西4丁目(5番地), 南1条東2丁目3-4.
ADDRESS_SAPPORO_REGEX = (
    rf"{_TOWN_START}(?<![東西南北])[東西南北]{_NUM}条[東西南北]{_NUM}丁目"
    rf"(?:{_NUM}|{_UNIT}|{HYPHEN}(?={_NUM})|[のノ](?=[0-9０-９]))*{_END}{_NOT_STATION}{_TAIL}{_END}"
)
# Kyoto without a municipality: a street (…通), a crossing, 上ル/下ル/東入ル/西入ル, town, number.
ADDRESS_KYOTO_STREET_REGEX = (
    rf"{_HAN}{{1,6}}通{_TOWN_CHAR}{{1,8}}?{_KYOTO_TURN}"
    rf"{_TOWN_CHAR}{{0,10}}?{_NUM}(?:{_UNIT}|{HYPHEN}(?={_NUM})|{_NUM})*{_END}{_TAIL}{_END}"
)

# Romaji, as in English signatures: "Marunouchi 1-1-1, Chiyoda-ku, Tokyo" or
# "1-1-1 Marunouchi, Chiyoda-ku". The ward/city suffix (-ku, -shi…) is required.
_R_WORD = "[A-Z][a-z]+"
_R_TOWN = f"{_R_WORD}(?:[- ]{_R_WORD})?(?:-(?:cho|machi|dori))?"
_R_NUM = "[0-9]{1,4}(?:-[0-9]{1,4}){1,3}"
_R_MUNI = f"{_R_WORD}-(?:ku|shi|cho|machi|gun|mura|son)"
_R_PREF = f"(?:Tokyo|Osaka|Kyoto|Hokkaido|{_R_WORD}(?:-(?:ken|fu|to))?)"
ADDRESS_ROMAJI_REGEX = (
    rf"(?-i:(?<![A-Za-z0-9-])(?:{_R_TOWN} {_R_NUM}|{_R_NUM},? {_R_TOWN}),? {_R_MUNI}"
    rf"(?:,? {_R_MUNI})?(?:,? {_R_PREF}(?![a-z]))?)"
)


class JpAddressRecognizer(CharWindowPatternRecognizer):
    """Street-level Japanese addresses (town, block numbers, building, room)."""

    COUNTRY_CODE = "jp"
    ENTITY = "JP_ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("JP address (municipality + block)", ADDRESS_FULL_REGEX, 0.85),
        Pattern("JP address (Kyoto 上る/下る)", ADDRESS_KYOTO_REGEX, 0.85),
        Pattern("JP address (Kyoto street, no municipality)", ADDRESS_KYOTO_STREET_REGEX, 0.6),
        Pattern("JP address (Sapporo 条/丁目 grid)", ADDRESS_SAPPORO_REGEX, 0.6),
        Pattern("JP address (town + 丁目/番地)", ADDRESS_CHOME_REGEX, 0.6),
        Pattern("JP address (town + N-N-N)", ADDRESS_HYPHEN_REGEX, 0.3),
        Pattern("JP address (romaji, ward suffix)", ADDRESS_ROMAJI_REGEX, 0.85),
    ]
    #: What each pattern cannot match without (most text holds no address at all).
    PATTERN_PREFILTERS: ClassVar[dict[str, str]] = {
        "JP address (municipality + block)": "[市区町村郡]",
        "JP address (Kyoto 上る/下る)": _KYOTO_TURN,
        "JP address (Kyoto street, no municipality)": _KYOTO_TURN,
        "JP address (Sapporo 条/丁目 grid)": "条",
        "JP address (town + 丁目/番地)": "丁目|番地",
        "JP address (town + N-N-N)": f"[0-9]{HYPHEN}[0-9]+{HYPHEN}[0-9]",
        "JP address (romaji, ward suffix)": "[a-z]-(?:ku|shi|cho|machi|gun|mura|son)(?![a-z])",
    }
    CONTEXT: ClassVar[list[str]] = [
        "住所", "所在地", "現住所", "住まい", "〒", "郵便番号", "送付先", "送り先", "届け先",
        "配送先", "発送先", "宛先", "本社", "本店", "支店", "事務所", "自宅", "実家", "address",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (40, 0)
    CONTEXT_SCORE: ClassVar[float] = 0.6
