"""Identifier recognizers (corporate/invoice numbers, IDs, bank, card, IP, obfuscated e-mail).

Each block: positives with the keyword before and after, full-width and hyphen
variants, the keyword beyond the window, and the hard negatives that must stay
unmasked (order/slip numbers, bad check digits, JAN/ISBN, versions, dates,
prices, phone numbers).
"""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer

from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES
from kiyome.transforms.pii.recognizers.context_window import CharWindowPatternRecognizer
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_bank_account_recognizer import (
    JpBankAccountRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_basic_pension_number_recognizer import (  # noqa: E501
    JpBasicPensionNumberRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_corporate_number_recognizer import (  # noqa: E501
    JpCorporateNumberRecognizer,
    corporate_check_digit,
    is_corporate_number,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_drivers_license_recognizer import (
    JpDriversLicenseRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_employment_insurance_number_recognizer import (  # noqa: E501
    JpEmploymentInsuranceNumberRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_health_insurance_recognizer import (  # noqa: E501
    JpHealthInsuranceRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_invoice_number_recognizer import (
    JpInvoiceNumberRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_my_number_recognizer import (
    JpMyNumberRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_passport_recognizer import (
    JpPassportRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_residence_card_recognizer import (
    JpResidenceCardRecognizer,
)
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_resident_code_recognizer import (
    JpResidentCodeRecognizer,
)
from kiyome.transforms.pii.recognizers.generic.credit_card_recognizer import (
    JaCreditCardRecognizer,
    luhn_ok,
)
from kiyome.transforms.pii.recognizers.generic.email_recognizer import JaEmailRecognizer
from kiyome.transforms.pii.recognizers.generic.ip_recognizer import JaIpRecognizer
from kiyome.transforms.pii.recognizers.registry import japanese_recognizers
from tests.recognizer_helpers import HYPHENS, found

FULLWIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－",
)
HIGH = 0.85

#: Hard negatives no identifier recognizer may report at a maskable score (>= 0.4).
COMMON_NEGATIVES = [
    "注文番号 202610160001",
    "注文番号：2026101600017",
    "伝票番号 1234567",
    "請求書番号 INV-2026-0312",
    "JANコード 4901234567894",
    "ISBN978-4-06-123456-7",
    "ISBN 9784061234567",
    "v2.3.1",
    "バージョン 10.0.19045.1234",
    "2026-03-02",
    "2026年3月2日",
    "価格は34,500円",
    "電話 03-1234-5678",
    "TEL 090-1234-5678",
    "お客様番号 12345678901",
]

IDENTIFIER_RECOGNIZERS = [
    JpCorporateNumberRecognizer,
    JpInvoiceNumberRecognizer,
    JpPassportRecognizer,
    JpDriversLicenseRecognizer,
    JpResidenceCardRecognizer,
    JpBasicPensionNumberRecognizer,
    JpEmploymentInsuranceNumberRecognizer,
    JpHealthInsuranceRecognizer,
    JpResidentCodeRecognizer,
    JpBankAccountRecognizer,
    JaCreditCardRecognizer,
    JaIpRecognizer,
]


def score_of(recognizer: EntityRecognizer, text: str, value: str) -> float:
    """Best score of a result covering exactly ``value`` (0 if none)."""
    return max((s for span, s in found(recognizer, text) if span == value), default=0.0)


def fw(text: str) -> str:
    return text.translate(FULLWIDTH)


# -- registry, wiring -----------------------------------------------------------------


def test_registered_and_declared():
    recognizers = japanese_recognizers()
    emitted = {e for r in recognizers for e in r.supported_entities}
    assert emitted <= set(SUPPORTED_ENTITIES)
    registered = {type(r) for r in recognizers}
    for cls in IDENTIFIER_RECOGNIZERS:
        if cls is JaCreditCardRecognizer:
            continue  # see test_credit_card_not_registered_yet
        assert cls in registered, cls
        assert issubclass(cls, CharWindowPatternRecognizer)
        if cls.__name__.startswith("Jp"):
            assert cls.COUNTRY_CODE == "jp"


def test_credit_card_is_registered():
    assert "CREDIT_CARD" in SUPPORTED_ENTITIES
    assert JaCreditCardRecognizer in {type(r) for r in japanese_recognizers()}


@pytest.mark.parametrize("cls", IDENTIFIER_RECOGNIZERS)
@pytest.mark.parametrize("text", COMMON_NEGATIVES)
def test_common_hard_negatives(cls, text):
    assert [(s, p) for s, p in found(cls(), text) if p >= 0.4] == []


# -- extra_context ----------------------------------------------------------------------


def _by_entity(recognizers, entity):
    return next(r for r in recognizers if entity in r.supported_entities)


def test_extra_context_lifts_only_when_passed():
    text = "本人確認書類ナンバー TK1234567"
    plain = _by_entity(japanese_recognizers(ner=False), "JP_PASSPORT")
    extended = _by_entity(
        japanese_recognizers(ner=False, extra_context={"JP_PASSPORT": ["本人確認書類"]}),
        "JP_PASSPORT",
    )
    assert score_of(plain, text, "TK1234567") < 0.4
    assert score_of(extended, text, "TK1234567") >= HIGH
    # Built-in keywords still work, other entities are untouched.
    assert score_of(extended, "旅券番号 TK1234567", "TK1234567") >= HIGH
    other = _by_entity(
        japanese_recognizers(ner=False, extra_context={"JP_PASSPORT": ["本人確認書類"]}),
        "JP_RESIDENT_CODE",
    )
    assert found(other, "本人確認書類 12345678901") == []


def test_extra_context_keyword_required_recognizer():
    value = "301234567890"
    text = f"社内ID台帳 {value}"
    assert found(_by_entity(japanese_recognizers(ner=False), "JP_DRIVERS_LICENSE"), text) == []
    extended = japanese_recognizers(ner=False, extra_context={"JP_DRIVERS_LICENSE": ["ID台帳"]})
    assert score_of(_by_entity(extended, "JP_DRIVERS_LICENSE"), text, value) >= HIGH


def test_extra_context_rejects_typos_and_bare_strings():
    with pytest.raises(ValueError, match="JP_PASPORT"):
        japanese_recognizers(extra_context={"JP_PASPORT": ["旅券"]})
    with pytest.raises(TypeError):
        japanese_recognizers(extra_context={"JP_PASSPORT": "旅券"})  # type: ignore[dict-item]
    # LOCATION is known even in fast mode (no GiNZA recognizer built).
    japanese_recognizers(ner=False, extra_context={"LOCATION": ["所在地"]})


def test_build_detector_passes_extra_context():
    from kiyome.transforms.pii.detect import build_detector, detect

    text = "本人確認書類ナンバー TK1234567"
    detector = build_detector(ner="off", extra_context={"JP_PASSPORT": ["本人確認書類"]})
    [result] = detect(detector, text, entities=["JP_PASSPORT"])
    assert text[result.start : result.end] == "TK1234567" and result.score >= HIGH


# -- JP_CORPORATE_NUMBER ------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits", ["5835678256246", "4011001098993", "7123456789012", "2120901007402", "6010701027558"]
)
def test_corporate_check_digit_vectors(digits):
    assert corporate_check_digit(digits[1:]) == int(digits[0])
    assert is_corporate_number(digits)


def test_corporate_bad_check_digit():
    assert not is_corporate_number("2835678256246")
    r = JpCorporateNumberRecognizer()
    assert r.validate_result("2835678256246") is False
    assert r.validate_result("5835678256246") is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("法人番号：5835678256246", "5835678256246"),
        ("5835678256246（法人番号）", "5835678256246"),
        ("会社法人等番号 ４０１１００１０９８９９３", "４０１１００１０９８９９３"),
        ("法人番号指定通知書\n\n" + "記載事項。" * 50 + "7123456789012", "7123456789012"),
        ("Corporate Number: 6-0107-0102-7558", "6-0107-0102-7558"),
    ]
    + [(f"法人番号 2{h}1209{h}0100{h}7402", f"2{h}1209{h}0100{h}7402") for h in HYPHENS],
)
def test_corporate_number_with_keyword(text, value):
    assert found(JpCorporateNumberRecognizer(), text) == [(value, HIGH)]


def test_corporate_number_without_keyword_is_low():
    assert found(JpCorporateNumberRecognizer(), "取引先 5835678256246") == [("5835678256246", 0.3)]
    far = "法人番号" + "。" * 301 + "5835678256246"
    assert found(JpCorporateNumberRecognizer(), far) == [("5835678256246", 0.3)]


@pytest.mark.parametrize(
    "text",
    [
        "法人番号 2835678256246",  # bad check digit
        "注文番号 7123456789012",  # passes, but the nearer label is an order number
        "JAN 4912345678904",  # EAN-valid barcode
        "4912345678904",
        "T5835678256246",  # invoice registration number
        "58356782562461",  # 14 digits
        "法人番号 123456789018",  # 12 digits
        "1111111111111",
    ],
)
def test_corporate_number_negatives(text):
    assert found(JpCorporateNumberRecognizer(), text) == []


# -- JP_INVOICE_NUMBER -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, score",
    [
        ("登録番号：T5835678256246", "T5835678256246", HIGH),
        ("T4011001098993（適格請求書発行事業者）", "T4011001098993", HIGH),
        ("インボイス登録番号 Ｔ７１２３４５６７８９０１２", "Ｔ７１２３４５６７８９０１２", HIGH),
        ("発行元 T-7123-4567-89012 御中", "T-7123-4567-89012", 0.6),
    ]
    + [(f"登録番号 T2{h}1209{h}0100{h}7402", f"T2{h}1209{h}0100{h}7402", HIGH) for h in HYPHENS],
)
def test_invoice_numbers(text, value, score):
    assert found(JpInvoiceNumberRecognizer(), text) == [(value, score)]


def test_invoice_keyword_beyond_window_keeps_base_score():
    text = "登録番号" + "あ" * 301 + "T5835678256246"
    assert found(JpInvoiceNumberRecognizer(), text) == [("T5835678256246", 0.6)]


@pytest.mark.parametrize(
    "text",
    [
        "登録番号 T2835678256246",  # bad check digit
        "請求書番号 INV-2026-0312",
        "AT5835678256246",  # part of a longer code
        "t5835678256246",  # lower-case t
        "T583567825624",  # 12 digits
    ],
)
def test_invoice_number_negatives(text):
    assert found(JpInvoiceNumberRecognizer(), text) == []


# -- JP_PASSPORT ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("旅券番号：TK1234567", "TK1234567"),
        ("TR7654321（パスポート）", "TR7654321"),
        ("パスポートナンバーMZ1234567", "MZ1234567"),
        (fw("Passport No. TK1234567"), fw("TK1234567")),
        ("passport: tk 1234567", "tk 1234567"),
    ],
)
def test_passport_with_keyword(text, value):
    assert found(JpPassportRecognizer(), text) == [(value, HIGH)]


def test_passport_needs_keyword():
    assert found(JpPassportRecognizer(), "コード TK1234567") == [("TK1234567", 0.1)]
    far = "パスポート" + "あ" * 101 + "TK1234567"
    assert found(JpPassportRecognizer(), far) == [("TK1234567", 0.1)]


@pytest.mark.parametrize(
    "text",
    [
        "パスポート TK123456",  # 6 digits
        "パスポート TK12345678",  # 8 digits
        "パスポート ATK1234567",
        "パスポート AB-TK1234567",
        "パスポートの予約番号 AB1234567",
    ],
)
def test_passport_negatives(text):
    assert [s for s, p in found(JpPassportRecognizer(), text) if p >= 0.4] == []


# -- JP_DRIVERS_LICENSE ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("運転免許証 第 301234567890 号", "301234567890"),
        ("免許証番号：第６２１２３４５６７８９０号", "６２１２３４５６７８９０"),
        ("441234567890 が運転免許証の番号", "441234567890"),
        ("Driver's License No. 9712-3456-7890", "9712-3456-7890"),
    ]
    + [(f"免許証番号 3012{h}3456{h}7890", f"3012{h}3456{h}7890") for h in HYPHENS],
)
def test_drivers_license(text, value):
    assert found(JpDriversLicenseRecognizer(), text) == [(value, HIGH)]


@pytest.mark.parametrize(
    "text",
    [
        "301234567890",  # no keyword
        "運転免許証" + "あ" * 101 + "301234567890",  # keyword beyond the window
        "運転免許証 第 991234567890 号",  # no such commission
        "運転免許証 第 001234567890 号",
        "運転免許証 3012345678901",  # 13 digits
        "運転免許証の写し。マイナンバー 123456789018",  # nearer label is My Number
    ],
)
def test_drivers_license_negatives(text):
    assert found(JpDriversLicenseRecognizer(), text) == []


def test_my_number_not_taken_for_licence():
    text = "運転免許証番号 301234567890"
    assert found(JpMyNumberRecognizer(), text) == []


# -- JP_RESIDENCE_CARD ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("在留カード番号：AB12345678CD", "AB12345678CD"),
        ("特別永住者証明書 XY87654321ZW", "XY87654321ZW"),
        (fw("AB12345678CD") + "（在留カード）", fw("AB12345678CD")),
    ],
)
def test_residence_card(text, value):
    assert found(JpResidenceCardRecognizer(), text) == [(value, HIGH)]


def test_residence_card_shape_only_is_low():
    assert found(JpResidenceCardRecognizer(), "AB12345678CD") == [("AB12345678CD", 0.3)]
    far = "在留カード" + "あ" * 101 + "AB12345678CD"
    assert found(JpResidenceCardRecognizer(), far) == [("AB12345678CD", 0.3)]


@pytest.mark.parametrize(
    "text", ["在留カード AB1234567CD", "在留カード AB123456789CD", "在留カード 1AB12345678CD"]
)
def test_residence_card_negatives(text):
    assert found(JpResidenceCardRecognizer(), text) == []


# -- JP_BASIC_PENSION_NUMBER ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("基礎年金番号：1234-567890", "1234-567890"),
        ("基礎年金番号 1234567890", "1234567890"),
        ("１２３４－５６７８９０（年金手帳）", "１２３４－５６７８９０"),
    ]
    + [(f"基礎年金番号 1234{h}567890", f"1234{h}567890") for h in HYPHENS],
)
def test_basic_pension(text, value):
    assert found(JpBasicPensionNumberRecognizer(), text) == [(value, HIGH)]


@pytest.mark.parametrize(
    "text",
    [
        "1234-567890",
        "基礎年金番号" + "あ" * 51 + "1234-567890",
        "基礎年金番号の窓口 電話 0120-123456",
        "基礎年金番号について 03-1234-5678",
        "基礎年金番号 1234-5678901",
        "基礎年金番号 01234-567890",
    ],
)
def test_basic_pension_negatives(text):
    assert found(JpBasicPensionNumberRecognizer(), text) == []


# -- JP_EMPLOYMENT_INSURANCE_NUMBER ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("雇用保険被保険者番号：1234-567890-1", "1234-567890-1"),
        ("雇用保険番号 12345678901", "12345678901"),
        ("５０１２－３４５６７８－９（雇用保険）", "５０１２－３４５６７８－９"),
    ]
    + [(f"雇用保険 1234{h}567890{h}1", f"1234{h}567890{h}1") for h in HYPHENS],
)
def test_employment_insurance(text, value):
    assert found(JpEmploymentInsuranceNumberRecognizer(), text) == [(value, HIGH)]


def test_employment_insurance_shape_only():
    r = JpEmploymentInsuranceNumberRecognizer()
    assert found(r, "番号 1234-567890-1") == [("1234-567890-1", 0.3)]
    assert found(r, "12345678901") == []
    assert found(r, "雇用保険" + "あ" * 61 + "12345678901") == []


@pytest.mark.parametrize(
    "text", ["雇用保険の窓口 携帯 09012345678", "雇用保険 1234-567890-12", "雇用保険 123-567890-1"]
)
def test_employment_insurance_negatives(text):
    assert found(JpEmploymentInsuranceNumberRecognizer(), text) == []


# -- JP_HEALTH_INSURANCE ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("保険者番号：06123456", ["06123456"]),
        ("保険者番号 138057", ["138057"]),
        ("被保険者証\n記号 4567 番号 12 枝番 01", ["4567", "12", "01"]),
        ("記号：ＡＢ１２　番号：３４５（健康保険証）", ["ＡＢ１２", "３４５"]),
        ("資格確認書の記号・番号 12-345・678", ["12-345・678"]),
        ("保険証の被保険者番号 1234567", ["1234567"]),
        ("保険証記号 ７７８８　保険証番号 ９９", ["７７８８", "９９"]),
    ],
)
def test_health_insurance(text, values):
    assert found(JpHealthInsuranceRecognizer(), text) == [(v, HIGH) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        "記号 4567 番号 12",  # no health-insurance keyword
        "保険証" + "あ" * 151 + "記号 4567",  # keyword beyond the window
        "保険証を持参。電話番号 0312345678",
        "保険証を持参。注文番号 202610160001",
        "保険証を持参。会員番号 12345",
        "保険者番号 1234567",  # 7 digits
        "保険証の写し：番号 2 の欄は空欄で可",  # prose
        "被保険者証の記号 3 個目",
        "ゆうちょ銀行 記号 12345 番号 12345671",
    ],
)
def test_health_insurance_negatives(text):
    assert found(JpHealthInsuranceRecognizer(), text) == []


# -- JP_RESIDENT_CODE ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("住民票コード：12345678901", "12345678901"),
        ("１２３４５６７８９０１は住民票コード", "１２３４５６７８９０１"),
        ("住民票コード 1234-5678-901", "1234-5678-901"),
    ],
)
def test_resident_code(text, value):
    assert found(JpResidentCodeRecognizer(), text) == [(value, HIGH)]


@pytest.mark.parametrize("h", HYPHENS)
def test_resident_code_hyphens(h):
    value = f"1234{h}5678{h}901"
    assert found(JpResidentCodeRecognizer(), f"住民票コード {value}") == [(value, HIGH)]


@pytest.mark.parametrize(
    "text",
    [
        "12345678901",
        "住民票コード" + "あ" * 101 + "12345678901",
        "住民票コードの件、携帯 09012345678",
        "住民票コード 09012345678",  # a mobile number shape
        "住民票コード 123456789012",
        "住民票コード 11111111111",
    ],
)
def test_resident_code_negatives(text):
    assert found(JpResidentCodeRecognizer(), text) == []


# -- JP_BANK_ACCOUNT -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("普通 1234567", "1234567"),
        ("普通預金口座番号：１２３４５６７", "１２３４５６７"),
        ("当座 No.7654321", "7654321"),
        ("貯蓄預金 1234567", "1234567"),
        ("口座番号 7654321", "7654321"),
        ("7654321（振込先口座）", "7654321"),
        ("ゆうちょ銀行 12345-12345671", "12345-12345671"),
        ("振替口座 １２３４５ー１２３４５６７１", "１２３４５ー１２３４５６７１"),
    ],
)
def test_bank_account(text, value):
    assert score_of(JpBankAccountRecognizer(), text, value) >= HIGH


@pytest.mark.parametrize("h", HYPHENS)
def test_yucho_hyphens(h):
    value = f"12345{h}12345671"
    assert score_of(JpBankAccountRecognizer(), f"ゆうちょ {value}", value) >= HIGH


def test_yucho_labelled_symbol_and_number():
    r = JpBankAccountRecognizer()
    text = "ゆうちょ銀行 記号：１２３４５、番号：１２３４５６７１"
    assert found(r, text) == [("１２３４５", HIGH), ("１２３４５６７１", HIGH)]
    assert found(r, "会員 記号 12345 番号 12345671") == []


def test_bank_branch_needs_account_context():
    r = JpBankAccountRecognizer()
    assert score_of(r, "振込先口座 支店番号 123", "123") >= HIGH
    assert found(r, "支店番号 123") == []


@pytest.mark.parametrize(
    "text",
    [
        "社員 1234567",  # 7 digits, no account keyword
        "口座" + "あ" * 61 + "1234567",
        "口座の件は 03-1234-5678 まで",
        "振込金額 1234567円",
        "口座振込 1,234,567円",
        "振込先の電話 0312345678",
        "振込依頼 〒1000005",
        "12345-12345671",  # ゆうちょ shape without keyword
        "普通 1234567件",
        "普通 12345678",
    ],
)
def test_bank_account_negatives(text):
    assert found(JpBankAccountRecognizer(), text) == []


# -- CREDIT_CARD ------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["4111111111111111", "378282246310005", "3566002020360505"])
def test_luhn_vectors(digits):
    assert luhn_ok(digits)
    assert not luhn_ok(digits[:-1] + str((int(digits[-1]) + 1) % 10))


IDEOGRAPHIC_CARD = "5555\u30005555\u30005555\u30004444"


@pytest.mark.parametrize(
    "text, value, score",
    [
        ("カード番号：4111-1111-1111-1111", "4111-1111-1111-1111", HIGH),
        ("4111 1111 1111 1111 のクレジット", "4111 1111 1111 1111", HIGH),
        (fw("決済 5555 5555 5555 4444 済"), fw("5555 5555 5555 4444"), 0.6),
        ("決済 " + fw(IDEOGRAPHIC_CARD), fw(IDEOGRAPHIC_CARD), 0.6),
        ("AMEX 3782-822463-10005", "3782-822463-10005", HIGH),
        ("決済 3566 0020\n2036 0505 済", "3566 0020\n2036 0505", 0.6),
        ("参照 4111111111111111", "4111111111111111", 0.3),
        ("引落しカード：5302479478645500", "5302479478645500", HIGH),
    ]
    + [
        (f"カード番号 4111{h}1111{h}1111{h}1111", f"4111{h}1111{h}1111{h}1111", HIGH)
        for h in HYPHENS
    ],
)
def test_credit_cards(text, value, score):
    assert found(JaCreditCardRecognizer(), text) == [(value, score)]


def test_credit_card_keyword_beyond_window():
    text = "カード番号" + "あ" * 51 + "4111-1111-1111-1111"
    assert found(JaCreditCardRecognizer(), text) == [("4111-1111-1111-1111", 0.6)]


@pytest.mark.parametrize(
    "text",
    [
        "カード番号 4111-1111-1111-1112",  # Luhn fails
        "カード番号 1234-5678-9018-3456",  # no card network uses 12
        "注文番号 4111111111111111",
        "JAN 4901234567894",
        "4111111111111",  # 13 bare digits without keyword
        "4111-1111-1111-1111-2222-3",
    ],
)
def test_credit_card_negatives(text):
    assert found(JaCreditCardRecognizer(), text) == []


# -- IP_ADDRESS -------------------------------------------------------------------------------

IPV6_FULL = "2fd4:cdef:17e:506a:4305:6383:7f5f:dc33"


@pytest.mark.parametrize(
    "text, value, score",
    [
        ("IPアドレスは192.168.10.25です", "192.168.10.25", HIGH),
        ("192.168.10.25からアクセス", "192.168.10.25", 0.6),
        ("サーバ１０．０．０．１２に接続", "１０．０．０．１２", HIGH),
        ("送信元 203.0.113.7:8080", "203.0.113.7", HIGH),
        ("ネットワーク 10.1.0.0/16", "10.1.0.0", 0.6),
        ("接続元IPは2001:db8::8a2e:370:7334でした", "2001:db8::8a2e:370:7334", HIGH),
        ("ログ fe80::1ff:fe23:4567:890aより", "fe80::1ff:fe23:4567:890a", 0.6),
        (
            "ログ 2001:0db8:0000:0000:0000:ff00:0042:8329。",
            "2001:0db8:0000:0000:0000:ff00:0042:8329",
            0.6,
        ),
        ("ログ ::ffff:192.0.2.128 から", "::ffff:192.0.2.128", 0.6),
        ("IP 127.0.0.1", "127.0.0.1", 0.3),
        ("IPアドレス：" + IPV6_FULL, IPV6_FULL, HIGH),
        ("ID:fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a", 0.6),
        ("IPアドレスを10.0.0.5に更新", "10.0.0.5", HIGH),
    ],
)
def test_ip_addresses(text, value, score):
    assert found(JaIpRecognizer(), text) == [(value, score)]


@pytest.mark.parametrize(
    "text",
    [
        "v2.3.1",
        "v10.0.19045.1234",
        "Version 1.2.3.4",
        "2026.03.02",
        "256.1.1.1",
        "1.2.3.4.5",
        "会議は12:30:45開始",
        "std::vector",
        "01.02.03.04",
        "ライブラリを7.9.9.99へ更新後",
        "3.3.0.42 にアップデートしてください",
        "1:2:3:4:5:6:7:8:9",
        "価格 1.234.567.890",
    ],
)
def test_ip_negatives(text):
    assert found(JaIpRecognizer(), text) == []


def test_ip_keyword_after_and_beyond_window():
    assert found(JaIpRecognizer(), "10.0.0.5 のサーバ") == [("10.0.0.5", HIGH)]
    assert found(JaIpRecognizer(), "サーバ" + "あ" * 41 + "10.0.0.5") == [("10.0.0.5", 0.6)]


def test_ip_section_number_is_shape_only():
    assert found(JaIpRecognizer(), "3.1.2.1 概要") == [("3.1.2.1", 0.2)]
    assert found(JaIpRecognizer(), "サーバー手順書 3.1.2.1 節") == [("3.1.2.1", 0.2)]


# -- EMAIL_ADDRESS (obfuscated) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("連絡先 taro[at]example.co.jp まで", "taro[at]example.co.jp"),
        ("taro(at)example.co.jpへ", "taro(at)example.co.jp"),
        ("宛先：taro.yamada (at) example (dot) com", "taro.yamada (at) example (dot) com"),
        ("hanako＠example［dot］jp に送付", "hanako＠example［dot］jp"),
        ("taro＜アット＞example.jp", "taro＜アット＞example.jp"),
        ("ｔａｒｏ［ａｔ］ｅｘａｍｐｌｅ．ｊｐ", "ｔａｒｏ［ａｔ］ｅｘａｍｐｌｅ．ｊｐ"),
        ("メール: taro at example.co.jp", "taro at example.co.jp"),
        ("taro at example.co.jp までメールで", "taro at example.co.jp"),
        ("reach jiro at example dot com", "jiro at example dot com"),
    ],
)
def test_email_obfuscated(text, value):
    assert score_of(JaEmailRecognizer(), text, value) >= HIGH


@pytest.mark.parametrize(
    "text",
    [
        "We met at example.com's booth.",
        "Look at docs.python.org for details",
        "Email us at support.example.com",  # a host, and "us" is prose
        "taro at example.co.jp",  # plain " at " without a mail keyword
        "mail: meet at home.The next day",
        "Arrive at 10.30 at Tokyo.",
        "see you at 3 p.m.",
        "[at] example.com",
    ],
)
def test_email_plain_at_negatives(text):
    assert found(JaEmailRecognizer(), text) == []


def test_email_plain_forms_still_work():
    assert found(JaEmailRecognizer(), "メールはtaro@example.co.jpです") == [
        ("taro@example.co.jp", 0.95)
    ]
