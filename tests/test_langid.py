"""Language ID: the document-level decision, script evidence, ja_ratio and the stage."""

from __future__ import annotations

import pytest

from kiyome.transforms.langid import LanguageId, identify, load_model
from kiyome.transforms.langid.decide import MAX_CHARS, SHORT, samples
from kiyome.transforms.records import new_document

PROSE = ("来週の定例会議は第二会議室で行います。議題は新製品の販売計画と物流倉庫の契約更新です。"
         "資料は前日までに共有フォルダへ置いてください。欠席の場合は事前にご連絡ください。\n")
ENGLISH = ("The shipment leaves the warehouse on Monday and should reach the customer by "
           "Thursday, provided that customs clearance goes as planned this week.\n")


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.mark.parametrize("text", [
    "第三四半期業績報告", "議事録", "株式会社山田商事 御中", "大阪府大阪市北区梅田一丁目",
    "見積書送付の件", "青森県弘前市", "関係各位", "働き方改革推進委員会",
])
def test_kanji_only_japanese_is_japanese(model, text):
    assert identify(model, text).lang == "ja"


@pytest.mark.parametrize("text", [
    "第三季度业绩报告", "会议记录", "这个文件无法读取", "國際會議資訊", "無法開啟檔案",
])
def test_kanji_only_chinese_stays_chinese(model, text):
    assert identify(model, text).lang == "zh"


#: Short UI strings written for these tests (in neither data set): every character is
#: one Japanese writes too, so only the words (and lid.176) tell them apart.
@pytest.mark.parametrize("text", [
    "檔案總管", "設定值", "選取範圍", "還原預設值", "顯示隱藏檔案", "电子邮件地址", "列印預覽",
    "開啟舊檔", "貼上", "搜尋結果",
])
def test_short_chinese_ui_strings_are_not_japanese(model, text):
    decision = identify(model, text)
    assert decision.lang == "zh" and decision.score <= 0.9


@pytest.mark.parametrize("text", [
    "検索結果一覧", "東京都千代田区", "神奈川県横浜市", "営業部売上報告", "会議室予約",
    "出張旅費精算", "人事異動通知", "年末調整", "有給休暇申請",
])
def test_short_kanji_only_japanese_stays_japanese(model, text):
    assert identify(model, text).lang == "ja"


@pytest.mark.parametrize("text", [
    "회의록을 공유합니다", "다음 주 회의는 월요일입니다. 자료를 미리 확인해 주세요.",
    "한국어 문서 (日本語 訳あり)",
])
def test_hangul_is_korean_never_japanese(model, text):
    assert identify(model, text).lang == "ko"


def test_half_width_kana_and_any_kana_make_japanese(model):
    assert identify(model, "ﾏｲﾅﾝﾊﾞｰの提出").lang == "ja"
    assert identify(model, "承知しました").lang == "ja"


def test_short_texts_get_an_answer_with_a_lower_score(model):
    short = identify(model, "Bonjour à tous")
    long_ = identify(model, "Bonjour à tous, la réunion de lundi est reportée à mardi "
                            "matin dans la grande salle du deuxième étage.")
    assert len("Bonjour à tous") < SHORT and short.lang == long_.lang == "fr"
    assert 0 < short.score < long_.score


def test_numbers_and_symbols_have_no_language(model):
    assert identify(model, "2026-03-02 10:00 / 42 %") == ("und", 0.0, 0.0)


def test_a_japanese_body_behind_an_english_cover_is_japanese(model):
    """lid.176 on the first lines would say English; the middle and end samples say Japanese."""
    text = ENGLISH * 20 + PROSE * 40
    assert len(text) > MAX_CHARS and len(samples(text)) == 3
    decision = identify(model, text)
    assert decision.lang == "ja" and 0.5 < decision.ja_ratio < 1.0


def test_ja_ratio_measures_mixed_documents_by_characters(model):
    assert identify(model, PROSE * 3).ja_ratio == 1.0
    assert identify(model, ENGLISH * 3).ja_ratio == 0.0
    mixed = identify(model, ENGLISH * 3 + PROSE)
    share = (len(PROSE) - PROSE.count(" ") - 1) / (
        len(ENGLISH * 3 + PROSE) - (ENGLISH * 3 + PROSE).count(" ") - 4)
    assert mixed.lang == "en" and mixed.ja_ratio == pytest.approx(share, abs=0.01)


def test_kanji_headings_count_as_japanese_in_a_japanese_document(model):
    decision = identify(model, "第三四半期業績報告\n営業部\n" + PROSE)
    assert decision == (decision.lang, decision.score, 1.0) and decision.lang == "ja"


def _doc(doc_id: str, text: str) -> dict:
    return new_document(doc_id, f"file:///{doc_id}.txt", text, {})


def test_stage_keeps_mixed_documents_by_ja_ratio_and_records_it(stage_runner):
    docs, rejected = stage_runner(LanguageId(["ja"], min_ja_ratio=0.2), [
        _doc("ja", PROSE), _doc("mixed", ENGLISH * 2 + PROSE), _doc("en", ENGLISH * 4 + PROSE),
        _doc("heading", "第三四半期業績報告"),
    ])
    kept = {doc["id"]: (doc["lang"], doc["ja_ratio"]) for doc in docs}
    assert kept["ja"] == ("ja", 1.0) and kept["heading"][0] == "ja"
    assert kept["mixed"][0] == "en" and kept["mixed"][1] >= 0.2
    assert [(r["id"], r["reason"], r["detail"]["lang"]) for r in rejected] == [
        ("en", "lang_not_allowed", "en")]
    assert 0 < rejected[0]["detail"]["ja_ratio"] < 0.2
