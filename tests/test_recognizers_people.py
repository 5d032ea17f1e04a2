"""People, places, birth dates, confidentiality markers, deny-lists and sensitive topics."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from kiyome.transforms.pii.recognizers.confidential_marker_recognizer import (
    ConfidentialMarkerRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_address_recognizer import (
    JpAddressRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_date_of_birth_recognizer import (
    JpDateOfBirthRecognizer,
    kanji_to_int,
    parse_date,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_person_name_recognizer import (
    JpPersonNameRecognizer,
    is_romaji_name,
)
from kiyome.transforms.pii.recognizers.generic.term_list_recognizer import TermListRecognizer
from kiyome.transforms.pii.recognizers.sensitive_topics import (
    SENSITIVE_CATEGORIES,
    find_sensitive,
)
from tests.recognizer_helpers import covered, found

HONORIFICS = ("様", "さん", "氏", "殿", "君", "くん", "ちゃん", "先生", "-san", "部長")


def person(nlp, text: str) -> list[tuple[str, float]]:
    return found(JpPersonNameRecognizer(), text, nlp.process_text(text, "ja"))


# -- PERSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("ﾌﾘｶﾞﾅ：ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("フリガナ ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("宛先：高橋 一郎 様", "高橋 一郎"),
        ("差出人 伊藤美香", "伊藤美香"),
        ("担当 渡辺", "渡辺"),
        ("申請者：山口 恵", "山口 恵"),
        ("氏名：東海林 翔琉", "東海林 翔琉"),
        ("氏名: 五十嵐 心愛", "五十嵐 心愛"),
        ("東海林 翔琉様からの依頼", "東海林 翔琉"),
        ("五十嵐 心愛さんが来社", "五十嵐 心愛"),
        ("お名前：さくら", "さくら"),
        ("昨日は小林さんと田中部長が来た。", "小林"),
        ("昨日は小林さんと田中部長が来た。", "田中"),
        ("今日は健太くんと遊んだ", "健太"),
        ("山本殿", "山本"),
        ("加藤君の件", "加藤"),
        ("斉藤先生に相談した", "斉藤"),
        ("ヤマダ タロウ様", "ヤマダ タロウ"),
        ("ｽｽﾞｷさん", "ｽｽﾞｷ"),
        ("ヒカリさんが来た", "ヒカリ"),
        ("Taro YAMADA様", "Taro YAMADA"),
        ("Yamada-sanに連絡", "Yamada"),
        ("担当: Kenji ARAKAWA", "Kenji ARAKAWA"),
        ("Hanako-chanへ", "Hanako"),
        ("出席者：伊藤部長、高橋 春香課長、松本さん", "高橋 春香"),
        ("承認者：松本部長", "松本"),
        ("申請人：TRAN THI LAN（国籍：韓国）", "TRAN THI LAN"),
        ("渡航者：遠藤　晃 (ENDO AKIRA)", "遠藤　晃"),
        ("渡航者：遠藤　晃 (ENDO AKIRA)", "ENDO AKIRA"),
        ("氏名：藤井　あすか", "藤井　あすか"),
        ("[10:02] 山口: 坂本さん、番号わかります？", "山口"),
        ("田中：資料送りました", "田中"),
        ("松田建設合同会社\n木村太一部長\n", "木村太一"),
        ("村上 翼と申します。", "村上 翼"),
        ("氏名：リ・ウェイ", "リ・ウェイ"),
        ("氏名：グエン・バン・アン", "グエン・バン・アン"),
        ("出席者：森部長、中村香織課長", "森"),
        ("田中太郎元社長の挨拶", "田中太郎"),
        ("佐藤一郎副部長", "佐藤一郎"),
    ],
)
def test_person_names_strong(nlp, text, value):
    results = person(nlp, text)
    assert covered(results, value, 0.85), results
    assert all(not span.endswith(HONORIFICS) for span, _ in results)


@pytest.mark.parametrize(
    "text, value, score",
    [
        ("YAMADA Taro", "YAMADA Taro", 0.6),
        ("Taro Yamada", "Taro Yamada", 0.5),
        ("Kenji ARAKAWA", "Kenji ARAKAWA", 0.3),
    ],
)
def test_romaji_names_without_cue(text, value, score):
    assert found(JpPersonNameRecognizer(), text) == [(value, score)]


@pytest.mark.parametrize(
    "text",
    [
        "山田商事株式会社の会議",
        "佐藤製薬と鈴木自動車",
        "東京駅で待ち合わせ",
        "ヒカリ回線の工事",
        "担当：未定",
        "宛先：総務部 御中",
        "差出人：株式会社山田商事",
        "氏名：佐藤製薬",
        "本田技研工業の新車",
        "豊田市で会議",
        "Apache Beam と Data Platform",
        "Yamada Shoji Co., Ltd. と Suzuki Motor、Tokyo Station",
        "taro.yamada@example.com",
        "https://example.com/Yamada-san",
        "Company Name: ACME JAPAN",
        "Toyota様、Hitachi様",
        "横浜支店長に報告",
        "NTT DATA の PDF API",
        "阿部長官が来た",
    ],
)
def test_person_hard_negatives(nlp, text):
    assert [r for r in person(nlp, text) if r[1] >= 0.4] == []


def test_honorific_kept_outside_span(nlp):
    text = "山田太郎様、佐藤さん、鈴木氏、高橋殿、中村君、小林くん、加藤ちゃん、伊藤先生"
    spans = {span for span, _ in person(nlp, text)}
    assert {"山田太郎", "佐藤", "鈴木", "高橋", "中村", "小林", "加藤", "伊藤"} <= spans


@pytest.mark.parametrize(
    "text, value",
    [
        ("担当：営業部 山田", "山田"),
        ("担当：人事部 伊藤", "伊藤"),
        ("お客様：青木浩 様", "青木浩"),
        ("代表取締役　山口亮介　印", "山口亮介"),
        ("阿部長官が来た", "阿部"),
        ("山田副社長", "山田"),
    ],
)
def test_field_value_span_is_the_name_only(nlp, text, value):
    assert {s for s, _ in person(nlp, text)} == {value}


@pytest.mark.parametrize(
    "text, value",
    [
        ("取次：行政書士 佐々木", "佐々木"),
        ("議題は高橋部長から", "高橋"),
        ("担当：人事部 佐藤", "佐藤"),
        ("フリガナ ナカジマ クミコ", "ナカジマ クミコ"),
    ],
)
def test_ginza_spans_trimmed(nlp, text, value):
    from kiyome.transforms.pii.recognizers.ginza_recognizer import GinzaRecognizer

    spans = [s for s, _ in found(GinzaRecognizer(), text, nlp.process_text(text, "ja"))]
    assert spans == [value]


@pytest.mark.parametrize(
    "text, value",
    [
        ("阿部 太郎さんが来た", "阿部 太郎"),
        ("服部 半蔵様", "服部 半蔵"),
        ("氷室 京介", "氷室 京介"),
    ],
)
def test_surnames_ending_like_departments_are_kept(nlp, text, value):
    from kiyome.transforms.pii.recognizers.ginza_recognizer import GinzaRecognizer

    artifacts = nlp.process_text(text, "ja")
    assert [s for s, _ in found(GinzaRecognizer(), text, artifacts)] == [value]
    assert covered(found(JpPersonNameRecognizer(), text, artifacts), value, 0.6)
    field = f"氏名：{value}"
    assert [s for s, _ in person(nlp, field)] == [value]


@pytest.mark.parametrize("text", ["会場は金沢駅から徒歩5分です。", "金融機関：福岡銀行　店番517"])
def test_ginza_facilities_and_banks_are_not_people(nlp, text):
    from kiyome.transforms.pii.recognizers.ginza_recognizer import GinzaRecognizer

    assert found(GinzaRecognizer(), text, nlp.process_text(text, "ja")) == []


def test_romaji_shape():
    assert is_romaji_name("Shinichiro HATTORI") and is_romaji_name("Ohno")
    assert not is_romaji_name("Apache Beam") and not is_romaji_name("Yamada Shoji")


# -- JP_ADDRESS ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, min_score",
    [
        ("京都市中京区烏丸通三条上ル場之町599", "烏丸通三条上ル場之町599", 0.85),
        ("京都市下京区四条通烏丸東入ル長刀鉾町20番地", "四条通烏丸東入ル長刀鉾町20番地", 0.85),
        ("京都市上京区今出川通烏丸西入ル玄武町601", "今出川通烏丸西入ル玄武町601", 0.85),
        ("京都市左京区下鴨本通北大路下ル下鴨東本町1-2", "下ル下鴨東本町1-2", 0.85),
        ("住所：烏丸通三条上ル場之町599", "烏丸通三条上ル場之町599", 0.6),
        ("札幌市中央区北1条西2丁目1番地", "北1条西2丁目1番地", 0.85),
        ("住所：北3条西4丁目", "北3条西4丁目", 0.6),
        ("南1条東2丁目3-4 サッポロハイツ#203", "南1条東2丁目3-4 サッポロハイツ#203", 0.6),
        ("札幌市北区北七条西四丁目5番地", "北七条西四丁目5番地", 0.85),
        ("東京都港区六本木1－2－3", "六本木1－2－3", 0.85),
        ("東京都港区六本木一丁目2番3号 六本木マンション203号室", "六本木マンション203号室", 0.85),
        ("本町1丁目2番3号 〇〇マンション203号室", "本町1丁目2番3号 〇〇マンション203号室", 0.85),
        ("大阪市北区梅田1-2-3 梅田ハイツ#203", "梅田1-2-3 梅田ハイツ#203", 0.85),
        ("大阪市北区梅田1-2-3-203", "梅田1-2-3-203", 0.85),
        ("福島県会津若松市大戸町大字高川甲123番地", "大字高川甲123番地", 0.85),
        ("熊本県阿蘇郡小国町大字宮原1567番地", "大字宮原1567番地", 0.85),
        ("住所：大字高川甲123番地", "大字高川甲123番地", 0.6),
        ("横浜市中区山下町１２３番地", "山下町１２３番地", 0.85),
        ("練馬区東和町九丁目8番8号 グラン白金#501", "グラン白金#501", 0.85),
        ("金沢市卯の里5丁目8番10号　第3中鉢石町ビル102号室", "第3中鉢石町ビル102号室", 0.85),
        ("茨城県つくば市日光9丁目31番15号　サンシャイン台場1102", "サンシャイン台場1102", 0.85),
        ("旭川市竜泉6-22-22コーポ南赤田 305号室", "コーポ南赤田 305号室", 0.85),
    ],
)
def test_address_forms(text, value, min_score):
    assert covered(found(JpAddressRecognizer(), text), value, min_score)


@pytest.mark.parametrize(
    "text", ["新宿三丁目駅で待ち合わせ", "北2条", "第1条第2項", "2条件", "会議室は3番"]
)
def test_address_negatives_people(text):
    assert found(JpAddressRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("大阪府大阪市北区梅田1-2-3 TEL 06-1234-5678", "大阪府大阪市北区梅田1-2-3"),
        ("東京都港区六本木1-2-3 2026年", "東京都港区六本木1-2-3"),
        ("東京都港区六本木1-2-3の会議室で10時", "東京都港区六本木1-2-3"),
    ],
)
def test_address_tail_stops_before_other_data(text, value):
    assert [s for s, _ in found(JpAddressRecognizer(), text)] == [value]


def test_sapporo_span_starts_at_the_grid():
    assert [s for s, _ in found(JpAddressRecognizer(), "住所：北3条西4丁目")] == ["北3条西4丁目"]


# -- DATE_OF_BIRTH ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("生年月日：1985年4月12日", "1985年4月12日"),
        ("生年月日: １９８５／０４／１２", "１９８５／０４／１２"),
        ("生年月日 1985-4-12", "1985-4-12"),
        ("1985-4-12生", "1985-4-12"),
        ("昭和六十年四月十二日生まれ", "昭和六十年四月十二日"),
        ("誕生日は平成元年1月8日です", "平成元年1月8日"),
        ("生年月日 ㍼60年4月12日", "㍼60年4月12日"),
        ("生年月日 ㍻2年1月2日", "㍻2年1月2日"),
        ("生年月日 ㋿元年5月1日", "㋿元年5月1日"),
        ("生年月日 ㍽2年3月4日", "㍽2年3月4日"),
        ("生年月日 ㍾40年3月4日", "㍾40年3月4日"),
        ("DOB: S60.4.12", "S60.4.12"),
        ("DOB: H2/1/2", "H2/1/2"),
        ("生年月日 R元.5.1", "R元.5.1"),
        ("生年月日 昭和60.4.12", "昭和60.4.12"),
        ("Date of birth: 1992-02-29", "1992-02-29"),
        ("生年月日：明治45年7月30日", "明治45年7月30日"),
        ("生年月日：大正15年12月25日", "大正15年12月25日"),
        ("生年月日：昭和64年1月7日", "昭和64年1月7日"),
        ("氏名：山田太郎\n1985年4月12日", "1985年4月12日"),
        ("山田 太郎（1985年4月12日生、40歳）", "1985年4月12日"),
        ("1985年4月12日（40歳）", "1985年4月12日"),
        ("1990年4月1日入社、生年月日は1967年5月5日", "1967年5月5日"),
        ("Date of birth: April 12, 1985", "April 12, 1985"),
        ("DOB: 12 Apr 1985", "12 Apr 1985"),
        ("Born on 3rd March 1990", "3rd March 1990"),
    ],
)
def test_date_of_birth(text, value):
    assert found(JpDateOfBirthRecognizer(), text) == [(value, 0.85)]


@pytest.mark.parametrize(
    "text",
    [
        "生年月日 昭和64年1月8日",  # 平成 had started
        "生年月日 平成31年5月1日",  # 令和 had started
        "生年月日：大正15年12月26日",
        "生年月日：令和1年4月30日",
        "生年月日：1985年2月30日",
        "Date of birth: 1990-02-29",
        "生年月日 1985年13月1日",
        "生年月日 1985.4.12.3",
        "生年月日 v1985.4.12",
        "入社日 2010年4月1日",
        "提出日：2026年3月2日",
        "会議：2026年3月2日 10:00〜",
        "氏名：山田太郎\n提出日：2026年3月2日",
        "氏名：山田太郎　2026年3月2日(月)に面談",
        "締切は2026/03/31です",
        "平成3年4月1日",
        "2026-03-02",
        "Birthday: Feb 30, 1990",
        "Date of birth: see below. Meeting: May 1, 2026",
    ],
)
def test_date_of_birth_negatives(text):
    assert found(JpDateOfBirthRecognizer(), text) == []


def test_date_of_birth_other_date_field_on_the_line():
    text = "生年月日：昭和24年9月17日\n確認日：2026/09/22　確認者：近藤"
    assert found(JpDateOfBirthRecognizer(), text) == [("昭和24年9月17日", 0.85)]


def test_date_of_birth_nearest_label_wins():
    text = "生年月日：S60.4.12　入社日：H20.4.1"
    assert found(JpDateOfBirthRecognizer(), text) == [("S60.4.12", 0.85)]


def test_date_helpers():
    assert kanji_to_int("三十一") == 31 and kanji_to_int("元") == 1
    assert str(parse_date("H2/1/2")) == "1990-01-02"
    assert str(parse_date("S６０．４．１２")) == "1985-04-12"
    assert parse_date("昭和64年1月8日") is None


# -- CONFIDENTIAL -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, score",
    [
        ("【社外秘】2026年度 事業計画", "社外秘", 0.95),
        ("［極秘］", "極秘", 0.95),
        ("(Confidential)", "Confidential", 0.95),
        ("【秘】", "秘", 0.95),
        ("㊙ 資料", "㊙", 0.95),
        ("機密区分：社外秘", "社外秘", 0.95),
        ("Classification: Internal Only", "Internal Only", 0.95),
        ("関係者外秘\n本資料は", "関係者外秘", 0.85),
        ("部外秘 2026年度 計画", "部外秘", 0.85),
        ("社内限り\n", "社内限り", 0.85),
        ("■持出禁止", "持出禁止", 0.85),
        ("2026年度 議事録　取扱注意", "取扱注意", 0.85),
        ("STRICTLY CONFIDENTIAL", "STRICTLY CONFIDENTIAL", 0.85),
        ("ＣＯＮＦＩＤＥＮＴＩＡＬ", "ＣＯＮＦＩＤＥＮＴＩＡＬ", 0.85),
        ("秘", "秘", 0.85),
        ("社外秘の文書の扱いについて", "社外秘", 0.3),
        ("極秘に進める", "極秘", 0.3),
        ("Confidential information must be protected.", "Confidential", 0.3),
    ],
)
def test_confidential_markers(text, value, score):
    assert (value, score) in found(ConfidentialMarkerRecognizer(), text)


@pytest.mark.parametrize(
    "text", ["秘書課の便秘薬、神秘的", "秘密保持契約", "Confidentiality agreement"]
)
def test_confidential_negatives(text):
    assert found(ConfidentialMarkerRecognizer(), text) == []


# -- TermListRecognizer -------------------------------------------------------------------


def test_term_list_next_to_kana():
    r = TermListRecognizer(["プロジェクト桜", "Sakura"])
    text = "プロジェクト桜の進捗とsakura案件、Sakurajima、ProjectSakura、SAKURA2"
    assert found(r, text) == [("プロジェクト桜", 1.0), ("sakura", 1.0)]


def test_term_list_longest_first_and_width_fold():
    r = TermListRecognizer(["ACME", "ACME Japan", "アクメ"], entity="ORGANIZATION", score=0.9)
    text = "ＡＣＭＥ　Ｊａｐａｎ様とacme社、アクメの件"
    assert found(r, text) == [("ＡＣＭＥ　Ｊａｐａｎ", 0.9), ("acme", 0.9), ("アクメ", 0.9)]
    assert r.supported_entities == ["ORGANIZATION"]


def test_term_list_longest_across_edge_shapes():
    r = TermListRecognizer(["ACME", "ACME桜", "桜", "桜井"])
    text = "ACME桜の件とACME、桜井さん"
    assert [s for s, _ in found(r, text)] == ["ACME桜", "ACME", "桜井"]


def test_term_list_large_list():
    terms = [f"顧客{i:04d}" for i in range(3000)] + [f"Client{i}" for i in range(3000)]
    r = TermListRecognizer(terms)
    text = "顧客0042様とClient7、Client70、Client30000。" * 200
    assert [s for s, _ in found(r, text)][:3] == ["顧客0042", "Client7", "Client70"]


def test_term_list_metadata_and_edge_cases():
    r = TermListRecognizer(["A.I.", "", "  "], name="deny")
    assert r.name == "deny"
    [result] = r.analyze("xA.I.y と A.I.", ["CONFIDENTIAL"])
    assert result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY]
    assert TermListRecognizer([]).analyze("何でも", ["CONFIDENTIAL"]) == []
    with pytest.raises(TypeError):
        TermListRecognizer("プロジェクト桜")


# -- sensitive topics ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, keyword, category",
    [
        ("山田さんはうつ病で通院中", "うつ病", "medical"),
        ("健康診断の結果、再検査", "健康診断の結果", "medical"),
        ("胃がんで手術", "がん", "medical"),
        ("ＨＩＶ陽性", "ＨＩＶ", "medical"),
        ("前科があり逮捕された", "前科", "criminal"),
        ("熱心な信者だ", "信者", "creed"),
        ("本籍地による就職差別", "本籍地", "race_social_status"),
        ("被差別部落の出身", "被差別部落", "race_social_status"),
        ("事件の被害者", "被害者", "victim"),
        ("発達障害の診断", "発達障害", "disability"),
        ("障害者手帳を持つ", "障害者手帳", "disability"),
    ],
)
def test_sensitive_hits(text, keyword, category):
    hits = find_sensitive(text, SENSITIVE_CATEGORIES)
    assert any(text[s:e] == keyword and c == category for s, e, c in hits), hits


@pytest.mark.parametrize(
    "text",
    [
        "システム障害と通信障害の報告",
        "本番障害の障害対応",
        "自己診断ツールと脆弱性診断",
        "送信者と受信者",
        "がんばります、がんこな人",
        "本籍地：東京都",
        "情報の出所",
        "キャリアカウンセリング",
        "HIVEとARCHIVE",
        "宗教法人の登記",
    ],
)
def test_sensitive_negatives(text):
    assert find_sensitive(text, SENSITIVE_CATEGORIES) == []


def test_sensitive_category_filter_and_errors():
    text = "前科があり、うつ病で通院"
    assert {c for _, _, c in find_sensitive(text, ["criminal"])} == {"criminal"}
    assert find_sensitive("", ["medical"]) == []
    with pytest.raises(ValueError):
        find_sensitive(text, ["health"])


# -- wiring ------------------------------------------------------------------------------


def test_new_entities_are_registered_and_declared():
    from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES
    from kiyome.transforms.pii.recognizers.registry import japanese_recognizers

    emitted = {e for r in japanese_recognizers(ner=False) for e in r.supported_entities}
    assert {"DATE_OF_BIRTH", "CONFIDENTIAL"} <= emitted <= set(SUPPORTED_ENTITIES)


def test_term_list_as_ad_hoc_recognizer(nlp):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    analyzer = AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=[], supported_languages=["ja"]),
        nlp_engine=nlp,
        supported_languages=["ja"],
    )
    text = "プロジェクト桜の進捗とＡＣＭＥ社の件"
    results = analyzer.analyze(
        text,
        language="ja",
        ad_hoc_recognizers=[TermListRecognizer(["プロジェクト桜", "ACME"], score=0.95)],
    )
    assert sorted((text[r.start : r.end], r.entity_type, r.score) for r in results) == [
        ("プロジェクト桜", "CONFIDENTIAL", 0.95),
        ("ＡＣＭＥ", "CONFIDENTIAL", 0.95),
    ]
