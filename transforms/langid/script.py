"""Script evidence for Japanese where fastText is weak: kana, Hangul, and which kanji forms.

lid.176 takes kanji-only Japanese (headings, table cells, addresses) for Chinese
and gives short text confident guesses. Writing systems settle most of it:

* kana is Japanese; Hangul is Korean and never Japanese;
* kanji-only text is told apart by the character forms each writing standard
  uses. Japan's post-war forms (shinjitai) such as 気 対 売 読 図 関 説 and
  Japanese-made kanji (kokuji) such as 働 込 畑 峠 辻 exist in neither Chinese
  standard, while 这 们 说 (simplified) and 國 說 體 (traditional) are not
  written in modern Japanese. 国 会 学 are shared and prove nothing.

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
#: Words and marks only Japanese writes (kanji-only, so the kana rule misses them).
#: Not 「」『』: Traditional Chinese quotes with them too.
JAPANESE_WORDS = re.compile(
    r"株式会社|有限会社|合同会社|御中|各位|四半期|令和|平成|昭和|大正|丁目|番地|都道府県"
    r"|議事録|稟議|見積|請求書|届出|取締役|部長|課長|係長|御社|貴社|弊社|担当者|手続|取扱"
    r"|入力|出力|名前|矢印|宛先|日時|引数|一覧|場合|場所|上記|下記|[々〆ヶ・〒]")
#: Chinese function words modern Japanese does not write (了 only where Japanese
#: words such as 終了 完了 了解 cannot be meant).
CHINESE_WORDS = re.compile(
    r"無法|无法|沒有|没有|已經|已经|可以|因為|因为|所以|如果|但是|還是|还是|什麼|什么|怎麼|怎么"
    r"|之後|之后|之間|之间|之前|以及|或者|並且|并且|而且|目前|我們|我们|你們|你们|他們|他们"
    r"|(?<![終完修満校魅])了(?![解承])|[嗎吗呢吧]|為(?!替)|被(?![害告験疑災])"
    r"|訊息|資訊|檔案|档案|視窗|窗口|連線|錯誤|错误|位元|字元|預設|预设|使用者|伺服器|服务器"
    r"|網路|网络|軟體|软件|硬體|程式|記憶體|内存|函式|函数|參數|参数|進位|进位|[中時]有"
    r"|登入|登出|選項|选项|表達式|表达式|相符"
    r"|的(?=[\u4e00-\u9fff])")
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


def _in_charset(char: str, codec: str) -> bool:
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
    gb2312 = {c for c in chars if _in_charset(c, "gb2312")}
    big5 = {c for c in chars if _in_charset(c, "big5")}
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
    """(Japanese, Chinese) evidence in kanji-only text: character forms and words.

    >>> kanji_evidence("第三四半期業績報告")   # 四半期 is a Japanese word
    (1, 0)
    >>> kanji_evidence("気象情報")             # 気 is the Japanese form (Chinese 气 / 氣)
    (1, 0)
    >>> kanji_evidence("这个文件无法读取")      # 这 个 无 读, and the word 无法
    (0, 5)
    >>> kanji_evidence("國際會議")              # 國 會: traditional forms
    (0, 2)
    >>> kanji_evidence("大阪府大阪市北区梅田一丁目"), kanji_evidence("会议")  # 丁目; 议
    ((1, 0), (0, 1))
    """
    japanese, chinese = _kanji_patterns()
    return (len(japanese.findall(text)) + len(JAPANESE_WORDS.findall(text)),
            len(chinese.findall(text)) + len(CHINESE_WORDS.findall(text)))
