"""Japanese recognizers one by one: what they catch, and the hard negatives they must not."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from kiyome.transforms.pii.recognizers.context_window import (
    NEGATIVE,
    POSITIVE,
    ContextWindow,
)
from kiyome.transforms.pii.recognizers.country_specific.japan import (
    JpAddressRecognizer,
    JpMyNumberRecognizer,
    JpPersonNameRecognizer,
    JpPhoneRecognizer,
    JpPostalCodeRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_my_number_recognizer import (
    my_number_check_digit,
)
from kiyome.transforms.pii.recognizers.generic import (
    IntlPhoneRecognizer,
    JaEmailRecognizer,
    LatinNameRecognizer,
)
from kiyome.transforms.pii.recognizers.ginza_recognizer import GinzaRecognizer
from kiyome.transforms.pii.recognizers.registry import japanese_recognizers
from tests.recognizer_helpers import HYPHENS, covered, found

# -- registry -------------------------------------------------------------------


def test_registry_is_japanese_and_country_tagged():
    recognizers = japanese_recognizers()
    assert {r.supported_language for r in recognizers} == {"ja"}
    jp = [r for r in recognizers if type(r).__name__.startswith("Jp")]
    assert jp and all(r.country_code() == "jp" for r in jp)
    assert len({type(r) for r in recognizers}) == len(recognizers)


# -- context window ---------------------------------------------------------------


def test_context_window_after_and_far_before():
    window = ContextWindow(["マイナンバー", "個人番号"], before=300, after=300)
    text = "マイナンバー（個人番号）の記載欄には、以下の番号を記入してください：123456789018"
    start = text.index("1234")
    assert window.decide(text, start, start + 12).polarity == POSITIVE
    text = "x" * 301 + "マイナンバー" + "x" * 301
    assert window.decide(text, 0, 1).polarity == 0


def test_context_window_nearest_label_wins():
    window = ContextWindow(["マイナンバー"], negative=["注文番号"])
    text = "マイナンバー：123456789018\n注文番号：202610160001"
    start = text.index("2026")
    assert window.decide(text, start, start + 12).polarity == NEGATIVE
    start = text.index("1234")
    assert window.decide(text, start, start + 12).polarity == POSITIVE


def test_context_results_bypass_lemma_enhancer():
    result = JpMyNumberRecognizer().analyze("マイナンバー 123456789018", ["JP_MY_NUMBER"])[0]
    assert result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY]


# -- JP_MY_NUMBER -----------------------------------------------------------------


@pytest.mark.parametrize(
    "digits", ["123456789018", "621498320257", "111111111118", "000111111111"]
)
def test_my_number_check_digit_vectors(digits):
    assert my_number_check_digit(digits[:11]) == int(digits[11])


@pytest.mark.parametrize(
    "text, value",
    [
        ("123456789018がマイナンバーです", "123456789018"),
        ("マイナンバー：1234 5678 9018", "1234 5678 9018"),
        ("個人番号 １２３４－５６７８－９０１８", "１２３４－５６７８－９０１８"),
        ("通知カードの番号は 6214.9832.0257 です", "6214.9832.0257"),
        ("My Number: 621498320257", "621498320257"),
        ("マイナンバーカード番号 1234ー5678ー9018", "1234ー5678ー9018"),
        ("ﾏｲﾅﾝﾊﾞｰ 123456789018", "123456789018"),
        ("被扶養者のマイナンバー\n\n" + "記入欄。" * 60 + "123456789018", "123456789018"),
    ],
)
def test_my_number_with_keyword_is_high(text, value):
    assert found(JpMyNumberRecognizer(), text) == [(value, 0.9)]


def test_my_number_without_keyword_is_low():
    [(value, score)] = found(JpMyNumberRecognizer(), "管理コード 621498320257")
    assert value == "621498320257" and 0.1 <= score <= 0.3


@pytest.mark.parametrize(
    "text",
    [
        "マイナンバー 123456789019",  # bad check digit
        "個人番号：621498320258",  # bad check digit
        "注文番号 202610160001",  # passes the check digit: order number
        "202610160001",  # date-shaped, no keyword
        "マイナンバーは別紙。注文番号：202610160001",  # the nearer label wins
        "JANコード 4901234567894",  # 13 digits
        "法人番号 5835678256246",  # 13 digits
        "個人番号 1234-5678-9018-3456",  # card-like 16 digits
        "マイナンバー 000000000000",  # filler
        "請求書番号 621498320257",
        "マイナンバー A123456789018",
    ],
)
def test_my_number_hard_negatives(text):
    assert found(JpMyNumberRecognizer(), text) == []


def test_my_number_validate_result_never_true():
    r = JpMyNumberRecognizer()
    assert r.validate_result("123456789018") is None
    assert r.validate_result("123456789019") is False


# -- EMAIL_ADDRESS ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("メールはtaro@example.co.jpです", "taro@example.co.jp"),
        ("連絡先：taro.yamada+pii@mail.example.com まで", "taro.yamada+pii@mail.example.com"),
        ("宛先＝ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐへ", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
        ("takayuki.saito＠example.co.jpに送付", "takayuki.saito＠example.co.jp"),
        ("「all-staff@example.co.jp」", "all-staff@example.co.jp"),
        ("E-mail: yamada_t@corp.local。", "yamada_t@corp.local"),
    ],
)
def test_email_span_excludes_japanese(text, value):
    assert [span for span, _ in found(JaEmailRecognizer(), text)] == [value]


@pytest.mark.parametrize(
    "text", ["@channel に連絡", "user@localhost", "価格は1,200円@個", "＠山田さん"]
)
def test_email_negatives(text):
    assert found(JaEmailRecognizer(), text) == []


# -- PHONE_NUMBER -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "03-1234-5678", "06-6123-4567", "045-123-4567", "0166-12-3456", "070-1111-2222",
        "080-9876-5432", "090-1234-5678", "060-1234-5678", "050-1234-5678", "0120-123-456",
        "0800-123-4567", "0570-123-456", "+81-3-1234-5678", "+81 90 1234 5678",
        "+81 (0)90 1234 5678", "+81(0)3-1234-5678", "＋８１ ９０ １２３４ ５６７８",
        "０９０－１２３４－５６７８", "090 1234 5678", "03 - 1234 - 5678", "09012345678",
        "(03)1234-5678", "０３（１２３４）５６７８", "090-12345678",
    ]
    + [f"090{h}1234{h}5678" for h in HYPHENS],
)
def test_phone_numbers(value):
    assert [span for span, _ in found(JpPhoneRecognizer(), f"TEL：{value}（代表）")] == [value]


def test_phone_context_lifts_score():
    [(_, bare)] = found(JpPhoneRecognizer(), "予備：03-1234-5678")
    [(_, labelled)] = found(JpPhoneRecognizer(), "電話番号：03-1234-5678")
    assert bare < labelled and labelled >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "会議は2026-03-02に開催", "2026/03/02", "受付 09:00-18:00", "v10.0.19045.1234",
        "バージョン1.2.3", "価格は12,345円", "¥1,234,567", "注文番号 0312345678",
        "注文番号202610160001", "JAN 4901234567894", "〒060-0001", "ISBN978-4-06-123456-7",
        "0123-4567-8901", "1234-5678-9012-3456", "INV-2026-000123", "03-0000-0000-1", "1-2-3",
    ],
)
def test_phone_hard_negatives(text):
    assert found(JpPhoneRecognizer(), text) == []


def test_international_phone():
    assert found(IntlPhoneRecognizer(), "Phone: +49 40 5550 1827") == [("+49 40 5550 1827", 0.85)]
    assert found(IntlPhoneRecognizer(), "+44 (0)20 7946 0958") == [("+44 (0)20 7946 0958", 0.6)]
    assert found(IntlPhoneRecognizer(), "电话 139 0211 5862。") == [("139 0211 5862", 0.85)]
    for text in ("+81 3 1234 5678、+12 345、1+1=2", "注文番号 13512345678", "14012345678"):
        assert found(IntlPhoneRecognizer(), text) == []


# -- JP_POSTAL_CODE -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, min_score",
    [
        ("〒100-0005 東京都千代田区", "〒100-0005", 0.85),
        ("〶 530ー0001", "〶 530ー0001", 0.85),
        ("〒１００－０００５", "〒１００－０００５", 0.85),
        ("郵便番号：220-0012", "220-0012", 0.85),
        ("住所 211-0025 川崎市", "211-0025", 0.5),
        ("530-0001 大阪府大阪市北区", "530-0001", 0.5),
        ("Chiyoda-ku, Tokyo 100-0005, Japan", "100-0005", 0.5),
    ],
)
def test_postal_codes(text, value, min_score):
    assert covered(found(JpPostalCodeRecognizer(), text), value, min_score)


def test_postal_code_bare_is_low():
    assert found(JpPostalCodeRecognizer(), "部品 530-0001 を発注") == [("530-0001", 0.1)]


@pytest.mark.parametrize(
    "text", ["03-123-4567", "2026-0302", "ISBN 978-4-06-123456-7", "〒000-0000", "202610160001"]
)
def test_postal_code_negatives(text):
    assert found(JpPostalCodeRecognizer(), text) == []


# -- JP_ADDRESS ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("住所は東京都千代田区丸の内1丁目1番1号です。", "丸の内1丁目1番1号"),
        ("大阪府大阪市北区梅田2-4-9 梅田ビル5階", "梅田2-4-9 梅田ビル5階"),
        ("神奈川県横浜市西区みなとみらい二丁目3番5号", "みなとみらい二丁目3番5号"),
        ("東京都新宿区西新宿２－８－１", "西新宿２－８－１"),
        ("東京都世田谷区桜新町1ー2ー3 サンハイツ201号室", "桜新町1ー2ー3 サンハイツ201号室"),
        ("北海道札幌市中央区北1条西2丁目3-1", "北1条西2丁目3-1"),
        ("神奈川県横浜市緑区十日市場町801番地8", "十日市場町801番地8"),
        ("京都市中京区烏丸通三条上る場之町601", "烏丸通三条上る場之町601"),
        ("さいたま市浦和区高砂3丁目15番1号", "高砂3丁目15番1号"),
        ("Marunouchi 1-1-1, Chiyoda-ku, Tokyo", "Marunouchi 1-1-1"),
    ],
)
def test_addresses_cover_town_and_below(text, value):
    assert covered(found(JpAddressRecognizer(), text), value, 0.85)


def test_address_without_municipality_needs_context():
    assert found(JpAddressRecognizer(), "梅田2-4-9です") == [("梅田2-4-9", 0.3)]
    assert covered(found(JpAddressRecognizer(), "住所：梅田2-4-9"), "梅田2-4-9", 0.6)
    assert covered(found(JpAddressRecognizer(), "中之島三丁目6番12号"), "中之島三丁目6番12号", 0.6)


@pytest.mark.parametrize(
    "text",
    [
        "東京駅で待ち合わせ", "2026-03-02に大阪市で会議", "第3会議室", "v1.2.3",
        "山田商事株式会社", "価格は1,200円", "大阪市内で2-3件", "3番線から出発",
        "東京都の人口は1400万人", "平成3年4月1日", "品番AB-12-34-56",
    ],
)
def test_address_negatives(text):
    assert found(JpAddressRecognizer(), text) == []


# -- PERSON -------------------------------------------------------------------------


def person(nlp, text: str) -> list[tuple[str, float]]:
    artifacts = nlp.process_text(text, "ja")
    return found(JpPersonNameRecognizer(), text, artifacts)


@pytest.mark.parametrize(
    "text, value",
    [
        ("山田太郎様のご依頼", "山田太郎"),
        ("鈴木一郎さんと高橋さん", "鈴木一郎"),
        ("佐藤部長に確認", "佐藤"),
        ("氏名：山田　太郎", "山田　太郎"),
        ("担当者: 佐々木 結愛", "佐々木 結愛"),
        ("From: 田中 健太 <tanaka@example.co.jp>", "田中 健太"),
        ("フリガナ　ヤマダ　タロウ", "ヤマダ　タロウ"),
        ("ふりがな：やまだ たろう", "やまだ たろう"),
        ("メンターは前田 悠人さんです", "前田 悠人"),
        ("3/5に原田様が来社", "原田"),
        ("申請者：小野寺 美穂子（オノデラ ミホコ）", "オノデラ ミホコ"),
        ("中村翔太くん、小林美咲ちゃん", "小林美咲"),
    ],
)
def test_person_names(nlp, text, value):
    results = person(nlp, text)
    assert covered(results, value, 0.85)
    assert all(not span.endswith(("様", "さん", "部長", "くん", "ちゃん")) for span, _ in results)


@pytest.mark.parametrize(
    "text",
    [
        "山田商事株式会社の会議",
        "東京駅で待ち合わせ",
        "斎藤建設と加藤工業",
        "株式会社山田に訪問",
        "松本駅で降りる",
        "みどり物流様に提案",
        "hanako.suzuki@example.co.jp",
    ],
)
def test_person_hard_negatives(nlp, text):
    assert person(nlp, text) == []


def test_ginza_person_filtered_for_companies(nlp):
    text = "山田商事株式会社と吉田商店、担当は高橋様"
    artifacts = nlp.process_text(text, "ja")
    spans = found(GinzaRecognizer(), text, artifacts)
    assert ("高橋", 0.85) in spans
    assert not any("商事" in s or "商店" in s for s, _ in spans)


def test_latin_names_need_a_cue():
    text = "To: Anna Becker <anna.becker@example.com>\nDear Ms. Becker, thanks Anna."
    spans = [s for s, _ in found(LatinNameRecognizer(), text)]
    assert "Anna Becker" in spans and "Ms. Becker" in spans and "Anna" in spans
    assert found(LatinNameRecognizer(), "Apache Beam on Data Platform, sales@example.com") == []


def test_prefilters_name_real_patterns_and_never_hide_a_match():
    """A pattern prefilter is a necessary condition: on every labelled document and
    hard negative, each recognizer finds the same with and without its prefilters."""
    import json

    from kiyome.transforms.pii.recognizers.context_window import CharWindowPatternRecognizer
    from kiyome.transforms.pii.recognizers.registry import japanese_recognizers
    from tests import pii_eval

    texts = [doc["text"] for doc in pii_eval.load_jsonl(pii_eval.LABELLED_PATH)]
    texts += [ex["text"] for ex in pii_eval.load_jsonl(pii_eval.HARD_NEGATIVES_PATH)]
    for recognizer in japanese_recognizers(ner=False):
        if not isinstance(recognizer, CharWindowPatternRecognizer):
            continue
        names = {pattern.name for pattern in recognizer.patterns}
        assert set(type(recognizer).PATTERN_PREFILTERS) <= names, recognizer.name
        if recognizer.prefilter is None and not recognizer.pattern_prefilters:
            continue
        plain = type(recognizer)(supported_language="ja")
        plain.prefilter, plain.pattern_prefilters = None, {}
        for text in texts:
            with_filters = [(r.start, r.end, r.score) for r in recognizer.analyze(
                text, recognizer.supported_entities)]
            without = [(r.start, r.end, r.score) for r in plain.analyze(
                text, plain.supported_entities)]
            assert with_filters == without, (recognizer.name, json.dumps(text)[:80])
