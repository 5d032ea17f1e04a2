"""Keyword lexicon for 要配慮個人情報 (APPI 2条3項, 施行令2条) topics.

Not a recognizer: sensitive data is a *topic*, not a format. The usual corpus
action is to drop the sentence or document where a topic keyword co-occurs with
an identifiable person (a PERSON span); :func:`find_sensitive` supplies the
keyword half of that rule.

Categories: ``medical`` (病歴, 診療, 健康診断の結果), ``criminal`` (犯罪歴 and
criminal-procedure facts, juvenile procedures), ``creed`` (信条, religion,
political support), ``race_social_status`` (人種, 出自, 門地, 被差別部落),
``victim`` (犯罪被害), ``disability``.

False hits are cut with small negative lists: a keyword hit is dropped when it
sits inside a longer non-sensitive compound (``システム障害``, ``自己診断``,
``通信者``, ``がんばる``), a hiragana keyword glued to preceding hiragana is
not a word (``ながん``), and a few keywords count only with a discrimination
context nearby (``本籍地`` in a form is not sensitive; ``本籍地で差別`` is).

>>> find_sensitive("山田さんはうつ病で通院中。", ["medical"])
[(5, 8, 'medical'), (9, 11, 'medical')]
>>> find_sensitive("システム障害の自己診断ツール", SENSITIVE_CATEGORIES)
[]
>>> find_sensitive("彼は障害者手帳を持っている", ["disability"])
[(2, 7, 'disability')]
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .ja_chars import fold_width

SENSITIVE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "medical": tuple(
        """病歴 既往歴 既往症 持病 診断 診断書 診断名 診察 通院 入院 退院 手術 服薬 投薬 処方 治療中
        闘病 療養 うつ病 鬱病 適応障害 統合失調症 双極性障害 パニック障害 認知症 がん 癌
        白血病 糖尿病 高血圧 脳梗塞 心筋梗塞 HIV エイズ AIDS 肝炎 結核 難病 不妊治療 流産
        中絶 精神科 心療内科 メンタルクリニック カウンセリング 健康診断の結果 健康診断結果 健診結果
        人間ドック 再検査 要精密検査 ストレスチェックの結果 病名 発作 陽性 ワクチン未接種
        アルコール依存 依存症 薬物依存 摂食障害 自殺未遂""".split()
    ),
    "criminal": tuple(
        """前科 前歴 犯罪歴 逮捕 逮捕歴 送検 書類送検 起訴 不起訴 起訴猶予 有罪 有罪判決 無罪判決
        実刑 執行猶予 服役 懲役 禁錮 罰金刑 刑務所 仮釈放 保護観察 少年院 少年審判 家庭裁判所送致
        補導 勾留 拘留 拘置所 家宅捜索 容疑者 被疑者 被告人 指名手配 交通違反歴""".split()
    ),
    "creed": tuple(
        """信条 信仰 宗教 宗派 入信 信者 信徒 教団 創価学会 エホバ 統一教会 旧統一教会 キリスト教徒
        イスラム教徒 仏教徒 洗礼 改宗 布教 政党支持 支持政党 党員 後援会員 思想信条 政治信条
        政治的信条""".split()
    ),
    "race_social_status": tuple(
        """人種 民族 出自 出身民族 門地 家柄 血統 被差別部落 部落出身 同和地区 部落差別 非嫡出子
        婚外子 在日 帰化 アイヌ 本籍地 本籍 国籍差別 身元調査""".split()
    ),
    "victim": tuple(
        """被害者 犯罪被害 被害届 性被害 性犯罪被害 ストーカー被害 DV被害
        ドメスティック・バイオレンス 虐待 いじめ被害 痴漢被害 詐欺被害 被害に遭""".split()
    ),
    "disability": tuple(
        """障害 障がい 障碍 障害者 障がい者 障害者手帳 身体障害者手帳 療育手帳
        精神障害者保健福祉手帳 身体障害 知的障害 精神障害 発達障害 学習障害 ADHD 自閉症
        自閉スペクトラム症 アスペルガー
        車椅子 車いす 聴覚障害 視覚障害 難聴 失明 障害年金 障害等級 要介護 要支援""".split()
    ),
}

#: Longer compounds in which a keyword is not sensitive (keyword -> compounds).
NEGATIVE_COMPOUNDS: dict[str, tuple[str, ...]] = {
    "障害": tuple(
        """システム障害 通信障害 回線障害 ネットワーク障害 サーバ障害 サーバー障害 電波障害
        機器障害 設備障害 接続障害 大規模障害 障害対応 障害報告 障害発生 障害復旧 障害情報
        障害管理 障害票 障害物 障害時 障害検知 障害監視 障害箇所 障害原因 障害件数 障害試験
        障害訓練 障害対策 障害調査 障害通知 障害点 障害レベル 障害チケット 障害アラート 障害切り分け
        障害切分け 障害窓口 障害連絡 障害影響 障害範囲 障害児保育 電源障害 ディスク障害 DB障害
        運用障害 本番障害 性能障害 配信障害 ログイン障害 障害耐性 障害注入 単一障害点""".split()
    ),
    "診断": tuple(
        """自己診断 診断ツール 経営診断 企業診断 脆弱性診断 システム診断 性格診断 適性診断 故障診断
        耐震診断 診断機能 診断プログラム セキュリティ診断 無料診断 簡易診断 設備診断 劣化診断
        省エネ診断 組織診断 ネットワーク診断 診断コマンド 診断ログ 診断モード 診断レポート 診断士
        中小企業診断士 タイプ診断 相性診断""".split()
    ),
    "陽性": ("偽陽性",),
    "カウンセリング": ("キャリアカウンセリング", "カウンセリング販売", "カウンセリング営業"),
    "信者": tuple("通信者 発信者 送信者 受信者 返信者 着信者 配信者 交信者 自信者".split()),
    "信条": ("行動信条", "経営信条"),
    "宗教": ("宗教法人",),
    "民族": ("民族衣装", "民族音楽", "民族楽器"),
    "在日": ("在日米軍", "在日大使館", "在日外国人向けサービス"),
    "虐待": ("動物虐待",),
    "車椅子": ("車椅子対応", "車椅子用"),
    "車いす": ("車いす対応", "車いす用"),
}
#: Keywords that count only with one of these words within 30 characters.
REQUIRES_NEARBY: dict[str, tuple[str, ...]] = {
    "本籍地": ("差別", "出身", "身元調査", "部落", "就職差別", "結婚差別"),
    "本籍": ("差別", "出身", "身元調査", "部落", "就職差別", "結婚差別"),
    "帰化": ("差別", "出身", "元国籍", "旧国籍"),
    "在日": ("差別", "出身", "韓国", "朝鮮"),
    "要介護": ("認定", "度"),
    "要支援": ("認定",),
}
_NEARBY_WINDOW = 30

_HIRAGANA = regex.compile(r"\p{Hiragana}+")
_ASCII_ALNUM = regex.compile(r"[A-Za-z0-9]")
#: "がん" inside がんばる/がんこ/がんもどき is not cancer.
_GLUED_HIRAGANA_AFTER: dict[str, tuple[str, ...]] = {"がん": ("ば", "こ", "も", "じ", "ぜ", "ら")}


def _compile(words: Iterable[str]) -> regex.Pattern[str]:
    ordered = sorted({fold_width(w) for w in words}, key=lambda w: (-len(w), w))
    return regex.compile("|".join(regex.escape(w) for w in ordered), regex.IGNORECASE)


_CATEGORY_REGEX: dict[str, regex.Pattern[str]] = {
    name: _compile(words) for name, words in SENSITIVE_CATEGORIES.items()
}


def _inside_negative(text: str, start: int, end: int, keyword: str) -> bool:
    """True if text[start:end] (= keyword) is part of one of the keyword's negative compounds."""
    for compound in NEGATIVE_COMPOUNDS.get(keyword, ()):
        offset = compound.find(keyword)
        while offset >= 0:
            lo = start - offset
            if lo >= 0 and text[lo : lo + len(compound)] == compound:
                return True
            offset = compound.find(keyword, offset + 1)
    return False


def _false_hit(text: str, start: int, end: int, keyword: str) -> bool:
    if _inside_negative(text, start, end, keyword):
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if keyword.isascii() and (
        _ASCII_ALNUM.match(before or " ") or _ASCII_ALNUM.match(after or " ")
    ):
        return True  # HIV inside an identifier, ADHDX
    if _HIRAGANA.fullmatch(keyword) and before and _HIRAGANA.match(before):
        return True  # ながん, そうがん
    if after and after in _GLUED_HIRAGANA_AFTER.get(keyword, ()):
        return True
    required = REQUIRES_NEARBY.get(keyword)
    if required:
        window = text[max(0, start - _NEARBY_WINDOW) : end + _NEARBY_WINDOW]
        return not any(word in window for word in required)
    return False


def find_sensitive(text: str, categories: Iterable[str]) -> list[tuple[int, int, str]]:
    """``(start, end, category)`` of every sensitive keyword hit, sorted by position.

    Offsets index ``text`` itself (matching runs on a 1:1 width fold, so ``ＨＩＶ``
    counts). A keyword listed under two categories (障害者手帳) yields one hit
    per category. Unknown category names raise ``ValueError``.

    >>> find_sensitive("前科があり、ＨＩＶ陽性。がんばります", ["criminal", "medical"])
    [(0, 2, 'criminal'), (6, 9, 'medical'), (9, 11, 'medical')]
    """
    wanted = list(dict.fromkeys(categories))
    unknown = [c for c in wanted if c not in SENSITIVE_CATEGORIES]
    if unknown:
        raise ValueError(f"unknown sensitive categories: {unknown}")
    if not text:
        return []
    folded = fold_width(text)
    hits: list[tuple[int, int, str]] = []
    for category in wanted:
        for m in _CATEGORY_REGEX[category].finditer(folded):
            if _false_hit(folded, m.start(), m.end(), m.group(0)):
                continue
            hits.append((m.start(), m.end(), category))
    return sorted(hits)
