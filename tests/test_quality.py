"""Quality filters: business documents survive ``business``; junk is dropped with its reason."""

from __future__ import annotations

import pytest

from kiyome.schemas.shard import QUALITY_NAMES
from kiyome.transforms.normalize import clean_text
from kiyome.transforms.quality import NAMES, QualityFilter, signals
from kiyome.transforms.quality.profiles import first_broken
from kiyome.transforms.records import new_document

RULE = "━" * 24
BUSINESS = {
    "table": "\n".join(
        ["品番,品名,数量,単価,納期"]
        + [f"A-{100 + i},ステンレスボルト M{6 + i % 4}×{20 + 5 * i},{50 * (i + 1)},{12 + i}"
           f",2026/04/{i + 1:02d}" for i in range(25)]),
    "bullets": ("第2四半期 営業方針（案）\n"
                "・重点顧客30社への訪問頻度を月1回から月2回に引き上げる\n"
                "・新製品Xの導入事例を5件作り、展示会で紹介する\n"
                "・見積回答を3営業日以内に短縮する\n"
                "・解約理由のヒアリングを全件実施する\n"
                "以上"),
    "form": (f"出張申請書\n{RULE}\n1. 申請者\n{RULE}\n所属：\n氏名：\n内線：\n"
             f"{RULE}\n2. 出張内容\n{RULE}\n出張先：\n期間：　年　月　日 ～ 　年　月　日\n"
             f"目的：\n同行者：\n{RULE}\n3. 費用\n{RULE}\n交通費：　　円\n宿泊費：　　円\n"
             f"日当：　　円\n合計：　　円\n□ 仮払い希望　□ 精算のみ\n"
             f"承認欄：部長　課長　担当"),
    "memo": "明日は直行します",
    "reply": "了解です",
    "minutes": ("第12回 製品企画会議 議事録\n日時：2026年3月2日（月）10:00〜11:30\n"
                "出席者：営業部、開発部、品質保証部\n"
                "1. 新パッケージのデザイン案は三案とも社内レビューを完了した。\n"
                "2. 第二四半期の出荷目標は前年同期比で一割増とする。\n"
                "3. 価格改定の影響試算を営業部がまとめ、次回報告する。"),
}
NAV = "ホーム | 会社概要 | 製品情報 | 採用情報 | お問い合わせ | サイトマップ"
JUNK = {
    "boilerplate page": "\n\n".join([NAV, "Copyright © 2026 Example Co., Ltd. All rights reserved."]
                                    * 12 + ["このページは移転しました。"]),
    "mojibake": clean_text(("お世話になっております。来週の打ち合わせの件でご連絡いたしました。"
                            "資料を添付いたしますのでご確認ください。" * 4)
                           .encode("utf-8").decode("cp932", errors="replace")),
    "latin-1 mojibake": clean_text(("お世話になっております。来週の打ち合わせの件でご連絡しました。"
                                    * 4).encode("utf-8").decode("latin-1")),
    "one line repeated": "\n".join(["アクセスランキング 1位 2位 3位 4位 5位"] * 30),
    "generated filler": "今すぐクリック！" * 80,
    "symbols only": "- -",
}


def _doc(doc_id: str, text: str, lang: str = "ja") -> dict:
    return {**new_document(doc_id, f"file:///{doc_id}.txt", text, {}), "lang": lang}


@pytest.mark.parametrize("name", sorted(BUSINESS))
def test_business_documents_survive_business(name):
    assert first_broken("business", signals(BUSINESS[name]), japanese=True) is None


@pytest.mark.parametrize("name", sorted(JUNK))
def test_junk_is_dropped_by_business(name):
    assert first_broken("business", signals(JUNK[name]), japanese=True) is not None


def test_web_thresholds_drop_what_business_keeps():
    """Why ``business`` exists: the published web thresholds drop every business sample."""
    for name, text in BUSINESS.items():
        assert first_broken("web", signals(text), japanese=True) is not None, name


def test_web_keeps_long_japanese_prose():
    prose = ("当社は本年度、物流拠点の再編を進めてきました。関東と関西の倉庫をそれぞれ一か所に"
             "まとめ、配送の待ち時間を短くすることが目的です。新しい倉庫では、入荷から出荷までの"
             "作業を記録し、遅れが出た工程をすぐに確かめられるようにしました。来年度は、この記録を"
             "もとに人員の配置を見直し、繁忙期にも安定して出荷できる体制を目指します。また、取引先と"
             "在庫の情報を共有する仕組みを整え、欠品による機会損失を減らしていきます。担当者向けの"
             "研修も春と秋に開き、新しい手順が現場に根付くよう支えていく考えです。\n"
             "一方で、課題も残っています。地方の取引先からは、締め日の前に注文が集中すると"
             "届くまでに日数がかかるという声が寄せられました。そこで、受注の締め時刻を地域ごとに"
             "分け、トラックの便を朝と夕方の二回に増やす案を検討しています。費用は増えますが、"
             "お客様の満足度が上がれば長い目で見て売上につながると考えています。\n"
             "最後に、安全への取り組みについて報告します。倉庫内での転倒や荷崩れを防ぐため、通路の"
             "照明を明るくし、棚の高さに応じて積み方の基準を定めました。この半年、休業を伴う事故は"
             "一件も起きていません。引き続き、現場の声を聞きながら改善を重ねてまいります。")
    assert first_broken("web", signals(prose), japanese=True) is None


def test_ruled_lines_are_layout_not_repetition():
    scores = signals(BUSINESS["form"])
    assert scores["top4gram_share"] < 0.2 and scores["dup_line_share"] < 0.3


def test_mojibake_share_sees_both_misreadings():
    assert signals(JUNK["mojibake"])["mojibake_share"] > 0.1
    assert signals(JUNK["latin-1 mojibake"])["mojibake_share"] > 0.1
    assert signals(BUSINESS["minutes"])["mojibake_share"] == 0.0


def test_schema_lists_every_signal():
    assert tuple(QUALITY_NAMES) == NAMES and set(signals("本文")) == set(NAMES)


def test_stage_scores_kept_documents_and_gives_each_drop_its_reason(stage_runner):
    docs, rejected = stage_runner(QualityFilter("business"), [
        _doc("memo", BUSINESS["memo"]), _doc("nav", JUNK["boilerplate page"]),
        _doc("bake", JUNK["mojibake"]), _doc("en", "Short note in English.", lang="en"),
    ])
    assert {doc["id"] for doc in docs} == {"memo", "en"}
    assert all(set(doc["quality"]) == set(NAMES) for doc in docs)
    reasons = {r["id"]: (r["stage"], r["reason"]) for r in rejected}
    assert reasons == {"nav": ("quality", "high_dup_line_share"),
                       "bake": ("quality", "high_mojibake_share")}
    assert all(set(r["detail"]) == {"profile", "value"} for r in rejected)


def test_japanese_rules_skip_other_languages(stage_runner):
    english = ("The warehouse team moved every pallet to the new site over the weekend, "
               "and the inventory count on Monday matched the records. ") * 5
    _, rejected = stage_runner(QualityFilter("web"), [_doc("en", english, lang="en")])
    scores = signals(english)
    assert first_broken("web", scores, japanese=True) == "low_hiragana_share"
    language_free = first_broken("web", scores, japanese=False)
    assert language_free not in {"low_hiragana_share", "low_japanese_share", None}
    assert [r["reason"] for r in rejected] == [language_free]


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="web, business, off"):
        QualityFilter("strict")
