"""Script evidence for Japanese where fastText is weak: kana, Hangul, and which kanji forms.

lid.176 takes kanji-only Japanese (headings, table cells, addresses) for Chinese
and gives short text confident guesses. Writing systems settle most of it:

* kana is Japanese; Hangul is Korean and never Japanese;
* kanji-only text is told apart by the character forms each writing standard
  uses. Japan's post-war forms (shinjitai) such as 気 対 売 読 図 関 説 and
  Japanese-made kanji (kokuji) such as 働 込 畑 峠 辻 exist in neither Chinese
  standard, while 这 们 说 (simplified) and 國 說 體 (traditional) are not
  written in modern Japanese. 国 会 学 are shared and prove nothing; text made
  only of shared kanji (儲存格格式, 記述統計) is settled by its words
  (:mod:`kiyome.transforms.langid.hanzi`).

The three sets come from the character sets of each standard, through Python's
own codecs (no data file): JIS X 0208 level 1 (the 2,965 kanji of everyday
Japanese), GB 2312 (simplified Chinese) and Big5 (traditional Chinese).
"""

from __future__ import annotations

import re
from functools import cache

_CJK = range(0x4E00, 0xA000)
KANA = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u31f0-\u31ff]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
LETTER = re.compile(r"[^\W\d_]")
#: A letter of no Latin alphabet (Latin-1, Extended A and B, Extended Additional: Vietnamese).
NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6"
                              r"\u00f8-\u024f\u1e00-\u1eff]")
#: Marks only Japanese writes among kanji (the iteration marks 々 〆 and the postal mark 〒).
#: Words are weighed by frequency in :mod:`kiyome.transforms.langid.hanzi`, not listed here.
JAPANESE_MARKS = re.compile(r"[々〆〒]")
#: Everyday kanji added to the Jōyō list in 2010 that JIS X 0208 has only at level 2
#: (挨拶, 進捗, 頬...): Japanese, though outside level 1.
JOYO_2010_LEVEL2 = frozenset(
    "挨曖宛嵐畏萎椅彙茨咽淫臼唄餌怨艶旺岡臆俺苛牙瓦楷潰諧崖蓋骸柿顎葛釜鎌韓玩伎亀毀畿嗅巾僅錦"
    "惧串窟熊詣憬稽隙桁拳鍵舷股虎錮勾梗喉乞傲駒頃痕沙挫采塞埼柵刹拶斬恣摯鹿𠮟嫉腫呪袖羞蹴憧拭"
    "尻芯腎須裾凄醒脊戚煎羨腺詮箋膳狙遡曽爽痩踪捉遜汰唾堆戴誰旦綻緻酎貼嘲捗椎爪鶴諦溺塡妬賭藤"
    "瞳栃頓貪丼那奈梨謎鍋匂虹捻罵剝箸氾汎阪斑眉膝肘訃阜蔽餅璧蔑哺蜂貌頰睦勃昧枕蜜冥麺冶弥闇喩"
    "湧妖瘍沃拉辣藍璃慄侶瞭瑠呂賂弄籠麓脇")


def latin_only(text: str) -> bool:
    """Whether ``text`` has letters and every one is Latin (English, Polish, Vietnamese...).

    >>> latin_only("Adicionar"), latin_only("Tiếng Việt"), latin_only("Ввод"), latin_only("42")
    (True, True, False, False)
    >>> latin_only("PDF を開く")
    False
    """
    return bool(LETTER.search(text)) and not NON_LATIN_LETTER.search(text)


def _jis_level(char: str) -> int:
    """JIS X 0208 level of a kanji (1 everyday, 2 rarer), 0 if not in JIS X 0208.

    >>> _jis_level("気"), _jis_level("國"), _jis_level("这")
    (1, 2, 0)
    """
    try:
        code = char.encode("euc_jp")
    except UnicodeEncodeError:
        return 0
    if len(code) != 2:
        return 0
    row = code[0] - 0xA0
    return 1 if 16 <= row <= 47 else 2 if 48 <= row <= 84 else 0


def in_charset(char: str, codec: str) -> bool:
    """Whether a character has a code in ``codec`` (a national character set)."""
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def kanji_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(Japanese-only, Chinese-only) kanji, derived once per process.

    Japanese-only: everyday Japanese kanji (JIS level 1) in neither Chinese standard.
    Chinese-only: GB 2312 or Big5 characters that everyday Japanese does not write
    (outside JIS level 1 and the 2010 Jōyō additions): simplified forms (这 说),
    traditional forms (國 說), and shared ones Japan writes otherwise (值: Japanese 値).

    >>> ja, zh = kanji_sets()
    >>> all(c in ja for c in "気対売読図働込畑峠辻様関説県")
    True
    >>> all(c in zh for c in "气对卖读图这们说國說體們值")
    True
    >>> any(c in s for c in "国会学人業拶捗" for s in (ja, zh))
    False
    """
    chars = [chr(code) for code in _CJK]
    gb2312 = {c for c in chars if in_charset(c, "gb2312")}
    big5 = {c for c in chars if in_charset(c, "big5")}
    level = {c: _jis_level(c) for c in chars}
    japanese = frozenset(c for c in chars if level[c] == 1 and c not in gb2312 | big5)
    chinese = frozenset(c for c in gb2312 | big5
                        if level[c] != 1 and c not in JOYO_2010_LEVEL2)
    return japanese, chinese


@cache
def _kanji_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    japanese, chinese = kanji_sets()
    return (re.compile("[" + "".join(sorted(japanese)) + "]"),
            re.compile("[" + "".join(sorted(chinese)) + "]"))


def kanji_evidence(text: str) -> tuple[int, int]:
    """(Japanese, Chinese) evidence in kanji-only text: character forms and marks.

    >>> kanji_evidence("気象情報")             # 気 is the Japanese form (Chinese 气 / 氣)
    (1, 0)
    >>> kanji_evidence("这个文件无法读取")      # 这 个 无 读: simplified forms
    (0, 4)
    >>> kanji_evidence("國際會議")              # 國 會: traditional forms
    (0, 2)
    >>> kanji_evidence("佐々木"), kanji_evidence("会议"), kanji_evidence("第三四半期")
    ((1, 0), (0, 1), (0, 0))
    """
    japanese, chinese = _kanji_patterns()
    return (len(japanese.findall(text)) + len(JAPANESE_MARKS.findall(text)),
            len(chinese.findall(text)))
