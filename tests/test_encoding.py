"""Encoding detection: Japanese texts re-encoded into every encoding companies store decode exactly.

The texts are varied on purpose: kana only, kanji heavy, half-width katakana,
full-width alphanumerics, NEC special characters (①㈱～), mixed with ASCII, short
and long, with CRLF. Each is encoded with the narrowest codec of its family that
can represent it (Shift_JIS texts with ① need CP932; ISO-2022-JP with half-width
katakana needs the JIS X 0201 extension), and must decode to the same string.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiyome.transforms.ingest.encoding import (
    _decode_cp50221,
    decode,
    mojibake,
    normalize_newlines,
)
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.html import declared_charset

TEXTS = [
    "こんにちは。きょうは いい てんき ですね。",
    "ありがとうございました。またよろしくおねがいします。",
    "アンケートにご協力ください。",
    "ｱﾝｹｰﾄﾆｺﾞｷｮｳﾘｮｸｸﾀﾞｻｲ｡",
    "ｶﾌﾞｼｷｶﾞｲｼｬ ﾔﾏﾀﾞｼｮｳｼﾞ ｹｲﾘﾌﾞ",
    "東京都千代田区丸の内一丁目",
    "第三四半期連結財務諸表作成基準適用指針改正",
    "令和八年度予算編成方針について（通知）",
    "株式会社山田商事　代表取締役社長　山田太郎",
    "①会議室の予約　②資料の印刷　③議事録の作成",
    "㈱サンプル・㈲テスト・㈹代表",
    "営業時間：９時～１８時（土日祝を除く）",
    "価格は￥１，２８０（税込）です。",
    "ＡＢＣ１２３とABC123は見た目が違います。",
    "メールアドレスはtaro.yamada@example.co.jpです。",
    "お問い合わせ番号：202610160001\r\n担当：営業部",
    "件名：納品日の変更のお願い\r\n\r\nいつもお世話になっております。\r\n"
    "先日ご注文いただいた商品の納品日を変更させていただきたく、ご連絡いたしました。",
    "「重要」――社外秘――取り扱いには十分注意してください。",
    "※この文書は社内限定です。【転送禁止】",
    "〒100-0005　東京都千代田区丸の内１－１－１",
    "電話番号：03-1234-5678（内線：1234）",
    "ＰＤＦファイルを添付いたしますので、ご確認のほどよろしくお願い申し上げます。",
    "彼は「明日までに終わらせる」と言ったが、結局終わらなかった。",
    "鬱蒼とした森の奥に、古い祠がひっそりと佇んでいた。",
    "薔薇・檸檬・葡萄・林檎・蜜柑",
    "ソフトウェア開発キット（ＳＤＫ）のバージョン2.3.1をリリースしました。",
    "議事録\n一、開会\n二、前回議事録の確認\n三、報告事項\n四、閉会",
    "ﾃｽﾄ用ﾃﾞｰﾀ：半角ｶﾅと全角カナの混在",
    "Ｑ．パスワードを忘れた場合は？\nＡ．情報システム部までご連絡ください。",
    "本日は晴天なり。" * 40,
    "週報（第11週）\n・売上：前年比１０５％\n・新規顧客：３社\n・課題：在庫管理の見直し",
    "a",
]

#: encoding label -> codecs to encode with, narrowest first.
FAMILIES = {
    "utf-8": ("utf-8",),
    "utf-8-bom": ("utf-8-sig",),
    "utf-16-le-bom": ("utf-16",),  # Python writes a BOM in native (little-endian) order
    "utf-16-be-bom": ("utf-16-be",),
    "cp932": ("cp932",),
    "shift_jis": ("shift_jis", "cp932"),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"),
}


def _encode(text: str, label: str) -> bytes | None:
    for codec in FAMILIES[label]:
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        return b"\xfe\xff" + data if label == "utf-16-be-bom" else data
    return None


def _cases():
    for label in FAMILIES:
        for text in TEXTS:
            data = _encode(text, label)
            if data is not None:
                yield label, text, data


def test_at_least_99_percent_decode_exactly():
    cases = list(_cases())
    failures = []
    for label, text, data in cases:
        try:
            decoded = decode(data).text
        except IngestError:
            decoded = None
        if decoded != text:
            failures.append((label, text[:20]))
    share = 1 - len(failures) / len(cases)
    print(f"\nencoding round trip: {len(cases) - len(failures)}/{len(cases)} "
          f"= {share:.2%} exact; failures: {failures}")
    assert len(cases) >= len(TEXTS) * len(FAMILIES) - 8  # nearly every text is encodable
    assert share >= 0.99, failures
    for label in FAMILIES:
        ours = [case for case in cases if case[0] == label]
        bad = [failure for failure in failures if failure[0] == label]
        assert len(bad) <= 1, (label, bad, len(ours))


def test_demo_corpus_lines_decode_in_legacy_encodings():
    """Harder than whole files: every non-empty *line* of the demo corpus on its own (short
    lines are where CP932 and EUC-JP are most alike), in CP932, EUC-JP and ISO-2022-JP."""
    corpus = Path(__file__).parents[1] / "examples" / "corpus"
    lines = [line for path in sorted(corpus.rglob("*")) if path.suffix in (".txt", ".md")
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = exact = 0
    for label in ("cp932", "euc-jp", "iso-2022-jp"):
        for line in lines:
            data = _encode(line, label)
            codec = next((c for c in FAMILIES[label] if _encodes(line, c)), None)
            if data is None or data.decode(codec) != line:  # e.g. 〜 has no CP932 round trip
                continue
            total += 1
            try:
                exact += decode(data).text == line
            except IngestError:
                pass
    print(f"\ndemo corpus lines: {exact}/{total} = {exact / total:.2%} exact")
    assert total > 1000
    assert exact / total >= 0.99


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(("codec", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"),
    ("cp932", "cp932"), ("euc_jp", "euc-jp"), ("iso2022_jp", "iso-2022-jp"),
])
def test_the_encoding_found_is_recorded(codec, expected):
    text = "お世話になっております。資料を送付いたします。"
    assert decode(text.encode(codec)).encoding == expected


def test_utf16_big_endian_with_bom():
    data = b"\xfe\xff" + "社内限定".encode("utf-16-be")
    assert decode(data).text == "社内限定"
    assert decode(data).encoding == "utf-16-be"


def test_outlook_iso_2022_jp_with_nec_characters():
    # ESC $ B, row 13 (NEC special characters): ① ㈱; back to ASCII with ESC ( B.
    data = b"\x1b$B-!-j\x1b(B OK"
    assert _decode_cp50221(data) == "①㈱ OK"
    assert decode(data).text == "①㈱ OK"
    assert decode(data).encoding == "cp50221"


def test_line_ends_are_normalized():
    assert normalize_newlines("一\r\n二\r三\n四") == "一\n二\n三\n四"


def test_a_declared_charset_is_honoured_when_true_and_ignored_when_it_lies():
    text = "会議室の予約は総務部まで。"
    # True declaration: EUC-JP declared, EUC-JP bytes.
    assert decode(text.encode("euc_jp"), declared="EUC-JP").encoding == "euc-jp"
    # Declared Shift_JIS, really UTF-8 (the classic lie): UTF-8 wins.
    found = decode(text.encode("utf-8"), declared="Shift_JIS")
    assert (found.text, found.encoding) == (text, "utf-8")
    # Declared UTF-8, really CP932.
    found = decode(text.encode("cp932"), declared="utf-8")
    assert (found.text, found.encoding) == (text, "cp932")
    # Declared EUC-JP, really CP932.
    found = decode(text.encode("cp932"), declared="euc-jp")
    assert (found.text, found.encoding) == (text, "cp932")


def test_html_declared_charset_is_found():
    assert declared_charset(b'<html><head><meta charset="EUC-JP">') == "euc-jp"
    assert declared_charset(
        b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    ) == "shift_jis"
    assert declared_charset(b"<p>no declaration</p>") is None


@pytest.mark.parametrize("garbled", [
    "お問い合わせありがとうございます。明日の会議は予定どおりです。".encode().decode(
        "cp932", "replace"),
    "お問い合わせありがとうございます。明日の会議は予定どおりです。".encode().decode(
        "latin-1").encode("latin-1").decode("cp1252", "replace"),
    "資料" + "\ufffd" * 5 + "を送付します",
])
def test_mojibake_is_flagged(garbled):
    assert mojibake(garbled) is not None


@pytest.mark.parametrize("text", [*TEXTS, "Café au lait, s'il vous plaît.", ""])
def test_clean_text_is_not_mojibake(text):
    assert mojibake(text) is None


def test_binary_is_undecodable():
    with pytest.raises(IngestError) as error:
        decode(bytes(range(256)) * 4)
    assert error.value.reason == "undecodable"
