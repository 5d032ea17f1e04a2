"""Every format companies store: Japanese text round-trips through ``Ingest``; every limit
rejects with its own reason. Fixtures are generated here, never downloaded."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kiyome.transforms.ingest import Ingest, IngestLimits
from tests import documents

MEMO = "社内連絡：来週の定例会議は第二会議室で行います。"


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def _one(stage_runner, path: str, transform=None) -> dict:
    docs, rejected = stage_runner(transform or Ingest(), [path])
    assert rejected == [], rejected
    assert len(docs) == 1, docs
    return docs[0]


def _reasons(rejected: list[dict]) -> list[str]:
    for record in rejected:
        assert set(record) == {"id", "source", "stage", "reason", "detail"}
        assert record["stage"] == "ingest"
    return sorted(record["reason"] for record in rejected)


# --- encodings through the transform -------------------------------------------------

@pytest.mark.parametrize(("codec", "prefix", "expected"), [
    ("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16-le"), ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ("cp932", b"", "cp932"), ("euc_jp", b"", "euc-jp"), ("iso2022_jp", b"", "iso-2022-jp"),
])
def test_text_in_every_encoding(tmp_path, stage_runner, codec, prefix, expected):
    path = _write(tmp_path, "memo.txt", prefix + (MEMO + "\r\n以上").encode(codec))
    doc = _one(stage_runner, path)
    assert doc["text"] == MEMO + "\n以上"
    assert doc["metadata"]["encoding"] == expected
    assert doc["metadata"]["format"] == "txt"


def test_html_charset_declared_honoured_and_lie_detected(tmp_path, stage_runner):
    page = ('<html><head><meta charset="{}"><title>お知らせ</title></head>'
            "<body><nav>ホーム</nav><p>{}</p><footer>©</footer></body></html>")
    true_euc = _write(tmp_path, "euc.html", page.format("EUC-JP", MEMO).encode("euc_jp"))
    lying = _write(tmp_path, "lie.html", page.format("Shift_JIS", MEMO).encode("utf-8"))
    docs, rejected = stage_runner(Ingest(), [true_euc, lying])
    assert rejected == []
    by_source = {doc["source"].rsplit("/", 1)[1]: doc for doc in docs}
    assert {doc["text"] for doc in docs} == {MEMO}
    assert by_source["euc.html"]["metadata"]["encoding"] == "euc-jp"
    assert "declared_encoding" not in by_source["euc.html"]["metadata"]
    assert by_source["euc.html"]["metadata"]["title"] == "お知らせ"
    assert by_source["lie.html"]["metadata"]["encoding"] == "utf-8"
    assert by_source["lie.html"]["metadata"]["declared_encoding"] == "shift_jis"


def test_mojibake_is_rejected(tmp_path, stage_runner):
    garbled = (MEMO * 3).encode("utf-8").decode("cp932", "replace")
    path = _write(tmp_path, "garbled.txt", garbled.encode("utf-8"))
    docs, rejected = stage_runner(Ingest(), [path])
    assert docs == []
    assert _reasons(rejected) == ["mojibake"]
    assert rejected[0]["detail"]["kind"] == "utf8_as_cp932"


# --- structured text -------------------------------------------------------------------

def test_csv_and_tsv_keep_the_header_and_join_rows(tmp_path, stage_runner):
    rows = [["氏名", "部署", "内線"], ["山田 太郎", "営業部", "1234"],
            ["佐藤, 花子", "総務部", "5678"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    csv_path = _write(tmp_path, "staff.csv", buffer.getvalue().encode("cp932"))
    tsv_path = _write(tmp_path, "staff.tsv",
                      "\n".join("\t".join(row) for row in rows).encode("utf-8"))
    docs, rejected = stage_runner(Ingest(), [csv_path, tsv_path])
    assert rejected == []
    expected = "氏名\t部署\t内線\n山田 太郎\t営業部\t1234\n佐藤, 花子\t総務部\t5678"
    assert [doc["text"] for doc in docs] == [expected, expected]
    encodings = sorted(doc["metadata"]["encoding"] for doc in docs)
    assert encodings == ["cp932", "utf-8"]
    assert {doc["metadata"]["rows"] for doc in docs} == {3}


def test_json_object_and_list(tmp_path, stage_runner):
    one = _write(tmp_path, "one.json", json.dumps(
        {"id": "faq-1", "text": "パスワードの再設定方法", "category": "IT"},
        ensure_ascii=False).encode())
    many = _write(tmp_path, "many.json", json.dumps(
        [{"text": "一件目"}, {"text": "二件目", "id": 7}, {"body": "本文なし"}],
        ensure_ascii=False).encode("utf-16"))
    broken = _write(tmp_path, "broken.json", b'{"text": ')
    docs, rejected = stage_runner(Ingest(), [one, many, broken])
    by_text = {doc["text"]: doc for doc in docs}
    assert set(by_text) == {"パスワードの再設定方法", "一件目", "二件目"}
    assert by_text["パスワードの再設定方法"]["id"] == "faq-1"
    assert by_text["パスワードの再設定方法"]["metadata"]["category"] == "IT"
    assert by_text["二件目"]["id"] == "7"
    assert _reasons(rejected) == ["invalid_json", "missing_text"]


def test_parquet_text_and_id_columns(tmp_path, stage_runner):
    table = pa.table({"doc_id": ["a-1", "a-2", "a-3"],
                      "body": ["一行目の本文", None, "三行目の本文"],
                      "text": ["使わない列", "使わない列", "使わない列"]})
    path = str(tmp_path / "export.parquet")
    pq.write_table(table, path, row_group_size=2)
    docs, rejected = stage_runner(Ingest(text_column="body", id_column="doc_id"), [path])
    assert sorted((doc["id"], doc["text"]) for doc in docs) == [
        ("a-1", "一行目の本文"), ("a-3", "三行目の本文")]
    assert _reasons(rejected) == ["missing_text"]
    assert rejected[0]["detail"] == {"row": 1}
    default_docs, _ = stage_runner(Ingest(), [path])
    assert {doc["text"] for doc in default_docs} == {"使わない列"}
    assert all(len(doc["id"]) == 24 for doc in default_docs)  # no "id" column: stable ids
    _, missing = stage_runner(Ingest(text_column="honbun"), [path])
    assert _reasons(missing) == ["missing_text_column"]


# --- mail ------------------------------------------------------------------------------

BODY = ("山田様\n\nいつもお世話になっております。\n納品日の件、承知いたしました。\n\n"
        "> 納品日を変更できますか。\n> よろしくお願いします。\n")


def _iso2022_mail(attachments: list[tuple[str, bytes, str]] = ()) -> bytes:
    from email.header import Header
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    body = MIMEText(BODY, "plain", "iso-2022-jp")
    if attachments:
        message = MIMEMultipart()
        message.attach(body)
        for name, data, subtype in attachments:
            part = MIMEApplication(data, subtype)
            part.add_header("Content-Disposition", "attachment",
                            filename=("utf-8", "", name))
            message.attach(part)
    else:
        message = body
    message["Subject"] = Header("Re: 納品日の変更について", "iso-2022-jp")
    message["From"] = f"{Header('佐藤 花子', 'iso-2022-jp').encode()} <hanako@example.co.jp>"
    message["To"] = "taro.yamada@example.com"
    message["Cc"] = "soumu@example.co.jp"
    return message.as_bytes()


def test_eml_in_iso_2022_jp_with_headers_and_quoted_lines(tmp_path, stage_runner):
    data = _iso2022_mail()
    assert b"\x1b$B" in data  # really ISO-2022-JP on the wire
    doc = _one(stage_runner, _write(tmp_path, "reply.eml", data))
    assert doc["text"] == BODY
    meta = doc["metadata"]
    assert meta["subject"] == "Re: 納品日の変更について"
    assert meta["from"] == "佐藤 花子 <hanako@example.co.jp>"
    assert meta["to"] == "taro.yamada@example.com"
    assert meta["cc"] == "soumu@example.co.jp"
    assert meta["encoding"] == "iso-2022-jp"
    assert meta["quoted_lines"] == 2
    assert meta["format"] == "eml"


def test_mail_with_a_lying_charset(tmp_path, stage_runner):
    data = (b"From: a@example.com\nSubject: test\n"
            b"Content-Type: text/plain; charset=iso-2022-jp\nContent-Transfer-Encoding: 8bit\n\n"
            + "本文は実はシフトJISです。\r\n".encode("cp932"))
    doc = _one(stage_runner, _write(tmp_path, "liar.eml", data))
    assert doc["text"] == "本文は実はシフトJISです。\n"
    assert doc["metadata"]["encoding"] == "cp932"
    assert doc["metadata"]["declared_encoding"] == "iso-2022-jp"


def test_mail_attachments_are_documents_of_their_own(tmp_path, stage_runner):
    minutes = "議事録：予算について協議した。".encode("cp932")
    data = _iso2022_mail([("議事録.txt", minutes, "octet-stream"),
                          ("scan.bmp", b"BM\x00\x00", "octet-stream")])
    path = _write(tmp_path, "with_files.eml", data)
    docs, rejected = stage_runner(Ingest(), [path])
    by_text = {doc["text"]: doc for doc in docs}
    assert set(by_text) == {BODY, "議事録：予算について協議した。"}
    mail_source = f"file://{path}"
    attachment = by_text["議事録：予算について協議した。"]
    assert attachment["source"] == f"{mail_source}#attachment=1/議事録.txt"
    assert attachment["metadata"]["parent"] == mail_source
    assert attachment["metadata"]["encoding"] == "cp932"
    assert by_text[BODY]["metadata"]["attachments"] == 2
    assert _reasons(rejected) == ["unsupported_format"]
    assert rejected[0]["source"] == f"{mail_source}#attachment=2/scan.bmp"


def test_inline_parts_besides_the_body_are_not_lost(tmp_path, stage_runner):
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "転送"
    message.set_content("本文です。")
    message.add_alternative("<p>本文です。</p>", subtype="html")
    message.make_mixed()
    message.attach(EmailMessage())
    forwarded = message.get_payload()[-1]
    forwarded.set_content("転送された連絡：会議は中止です。", charset="utf-8")
    docs, rejected = stage_runner(Ingest(), [_write(tmp_path, "fwd.eml", message.as_bytes())])
    assert rejected == []
    assert sorted(doc["text"] for doc in docs) == [
        "本文です。\n", "転送された連絡：会議は中止です。\n"]
    inline = next(doc for doc in docs if doc["text"].startswith("転送"))
    assert inline["source"].endswith("#attachment=1/part-1.txt")


def test_mbox_messages_each_count(tmp_path, stage_runner):
    first = _iso2022_mail()
    second = _iso2022_mail([("memo.txt", MEMO.encode(), "octet-stream")])
    mbox = b"".join(b"From sender@example.com Sat Nov 28 10:00:00 2026\n" + message + b"\n"
                    for message in (first, second))
    path = _write(tmp_path, "archive.mbox", mbox)
    docs, rejected = stage_runner(Ingest(), [path])
    assert rejected == []
    assert sorted(doc["text"] for doc in docs) == sorted([BODY, BODY, MEMO])
    sources = sorted(doc["source"].split("#", 1)[1] for doc in docs)
    assert sources == ["message=1", "message=2", "message=2!attachment=1/memo.txt"]


# --- office ----------------------------------------------------------------------------

def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "第3四半期 営業報告"
    heading = document.add_paragraph("営業報告書")
    document.add_paragraph("売上は前年同期比で増加しました。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "地域", "売上"
    table.cell(1, 0).text, table.cell(1, 1).text = "関東", "１２０百万円"
    document.add_paragraph("以上、ご報告いたします。")
    document.sections[0].header.paragraphs[0].text = "営業部資料"
    document.sections[0].footer.paragraphs[0].text = "株式会社サンプル"
    document.add_comment(heading.runs, text="数字を再確認してください。", author="校閲者")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx(empty_sheet: bool = False) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "売上"
    sheet.append(["月", "金額", "備考"])
    sheet.append(["４月", 1200, "好調"])
    sheet.append(["５月", 980, None])
    if empty_sheet:
        workbook.create_sheet("予備")
    other = workbook.create_sheet("担当者")
    other["A1"], other["B2"] = "営業部", "山田"
    workbook.properties.title = "売上集計"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pptx() -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    presentation.core_properties.title = "新製品発表"
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "新製品のご紹介"
    slide.placeholders[1].text = "軽量化と長時間駆動を実現"
    slide.notes_slide.notes_text_frame.text = "ここで価格を口頭で説明する。"
    second = presentation.slides.add_slide(presentation.slide_layouts[1])
    second.shapes.title.text = "今後の予定"
    second.placeholders[1].text = "来月から予約受付を開始"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_tables_headers_footers_comments(tmp_path, stage_runner):
    doc = _one(stage_runner, _write(tmp_path, "report.docx", _docx()))
    assert doc["text"] == ("営業報告書\n売上は前年同期比で増加しました。\n"
                           "地域\t売上\n関東\t１２０百万円\n以上、ご報告いたします。\n"
                           "営業部資料\n株式会社サンプル\n数字を再確認してください。")
    assert doc["metadata"]["title"] == "第3四半期 営業報告"
    assert doc["metadata"]["comments"] == 1
    assert doc["metadata"]["format"] == "docx"


def test_xlsx_each_sheet_is_a_document_in_reading_order(tmp_path, stage_runner):
    """Sheets of a workbook are separate tables: one document each, named in the metadata."""
    path = _write(tmp_path, "sales.xlsx", _xlsx(empty_sheet=True))
    docs, rejected = stage_runner(Ingest(), [path])
    assert rejected == []
    by_sheet = {doc["metadata"]["sheet"]: doc for doc in docs}
    assert sorted(by_sheet) == ["売上", "担当者"]  # the empty 予備 sheet is not a document
    assert by_sheet["売上"]["text"] == "月\t金額\t備考\n４月\t1200\t好調\n５月\t980"
    assert by_sheet["担当者"]["text"] == "営業部\n\t山田"
    assert [by_sheet[name]["metadata"]["sheet_index"] for name in ("売上", "担当者")] == [1, 3]
    assert by_sheet["売上"]["metadata"]["cells"] == 8
    for doc in docs:
        assert doc["metadata"]["sheets"] == 3
        assert doc["metadata"]["title"] == "売上集計"
        assert doc["metadata"]["format"] == "xlsx"
        assert doc["source"] == f"file://{path}"
    assert len({doc["id"] for doc in docs}) == 2
    again, _ = stage_runner(Ingest(), [path])
    assert sorted(doc["id"] for doc in again) == sorted(doc["id"] for doc in docs)
    assert _input_units([path], Ingest()) == 2


def test_xlsx_with_only_empty_sheets_has_no_documents(tmp_path, stage_runner):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.create_sheet("空")
    buffer = io.BytesIO()
    workbook.save(buffer)
    docs, rejected = stage_runner(Ingest(), [_write(tmp_path, "empty.xlsx", buffer.getvalue())])
    assert docs == [] and _reasons(rejected) == ["no_documents"]


def test_pptx_slides_and_speaker_notes(tmp_path, stage_runner):
    doc = _one(stage_runner, _write(tmp_path, "launch.pptx", _pptx()))
    assert doc["text"] == ("新製品のご紹介\n軽量化と長時間駆動を実現\n"
                           "ここで価格を口頭で説明する。\n\n今後の予定\n来月から予約受付を開始")
    assert doc["metadata"]["title"] == "新製品発表"
    assert (doc["metadata"]["slides"], doc["metadata"]["notes"]) == (2, 1)


def test_legacy_office_and_broken_office_files(tmp_path, stage_runner):
    paths = [_write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
             _write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0"),
             _write(tmp_path, "old.ppt", b"\xd0\xcf\x11\xe0"),
             _write(tmp_path, "broken.docx", b"PK\x03\x04 not really a zip")]
    docs, rejected = stage_runner(Ingest(), paths)
    assert docs == []
    assert _reasons(rejected) == ["corrupt", "legacy_office_format", "legacy_office_format",
                                  "legacy_office_format"]


# --- pdf -------------------------------------------------------------------------------

def _pdf(pages: list[list[str]], title: str = "") -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        if lines:
            pdf.setFont("HeiseiMin-W3", 12)
            for number, line in enumerate(lines):
                pdf.drawString(72, 760 - 20 * number, line)
        else:
            pdf.rect(72, 500, 300, 200, fill=1)  # a "scan": graphics, no text
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_text_layer_in_reading_order(tmp_path, stage_runner):
    data = _pdf([["議事録（第１回）", "日時：４月１日　場所：本社会議室"],
                 ["決定事項：次回は５月に開催する。"]], title="議事録")
    doc = _one(stage_runner, _write(tmp_path, "minutes.pdf", data))
    # pdfminer's layout analysis: lines 20 pt apart are separate text boxes (blank line
    # between), pages are separated by a blank line too.
    assert doc["text"] == ("議事録（第１回）\n\n日時：４月１日　場所：本社会議室\n\n"
                           "決定事項：次回は５月に開催する。")
    assert doc["metadata"]["pages"] == 2
    assert doc["metadata"]["title"] == "議事録"
    assert doc["metadata"]["format"] == "pdf"


def test_pdf_without_text_layer_and_too_many_pages(tmp_path, stage_runner):
    scan = _write(tmp_path, "scan.pdf", _pdf([[], []]))
    long = _write(tmp_path, "long.pdf", _pdf([["一ページ目"], ["二ページ目"], ["三ページ目"]]))
    broken = _write(tmp_path, "broken.pdf", b"%PDF-1.4\n")
    docs, rejected = stage_runner(Ingest(limits=IngestLimits(max_pages=2)), [scan, long, broken])
    assert docs == []
    assert _reasons(rejected) == ["corrupt", "no_text_layer", "too_many_pages"]


# --- archives --------------------------------------------------------------------------

_zip = documents.zip_file


def _tar_gz(members: dict[str, bytes]) -> bytes:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _input_units(paths: list[str], transform) -> int:
    """Run ``transform`` and return the ``input.units`` counter the manifest checks."""
    import apache_beam as beam
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.options.pipeline_options import PipelineOptions

    pipeline = beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"]))
    _ = pipeline | beam.Create(paths) | transform
    result = pipeline.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_name("input.units"))["counters"]
    return sum(counter.committed for counter in counters)


def test_zip_expanded_recursively_with_sources_and_parents(tmp_path, stage_runner):
    inner = _zip({"内側/メモ.txt": MEMO.encode("euc_jp")})
    # A member named in CP932 without the UTF-8 flag, as Japanese Windows writes them.
    outer = _zip({"報告書.docx": _docx(), "inner.zip": inner,
                  "XXXXXX.txt": "旧形式".encode("cp932"), "photo.jpg": b"\xff\xd8\xff"})
    outer = outer.replace(b"XXXXXX.txt", "議事録.txt".encode("cp932"))
    path = _write(tmp_path, "bundle.zip", outer)
    docs, rejected = stage_runner(Ingest(), [path])
    root = f"file://{path}"
    by_source = {doc["source"]: doc for doc in docs}
    assert set(by_source) == {f"{root}#member=報告書.docx", f"{root}#member=議事録.txt",
                              f"{root}#member=inner.zip!member=内側/メモ.txt"}
    assert by_source[f"{root}#member=inner.zip!member=内側/メモ.txt"]["text"] == MEMO
    assert by_source[f"{root}#member=inner.zip!member=内側/メモ.txt"]["metadata"]["parent"] == \
        f"{root}#member=inner.zip"
    assert by_source[f"{root}#member=議事録.txt"]["text"] == "旧形式"
    assert by_source[f"{root}#member=報告書.docx"]["metadata"]["parent"] == root
    assert by_source[f"{root}#member=報告書.docx"]["metadata"]["title"] == "第3四半期 営業報告"
    assert _reasons(rejected) == ["unsupported_format"]
    # Four units (three documents, one rejection); neither archive counts itself.
    assert _input_units([path], Ingest()) == 4


def test_tar_gz_round_trip(tmp_path, stage_runner):
    path = _write(tmp_path, "backup.tar.gz", _tar_gz({"a/memo.txt": MEMO.encode("cp932"),
                                                      "a/page.html": b"<p>\xe6\x9c\xac</p>"}))
    docs, rejected = stage_runner(Ingest(), [path])
    assert rejected == []
    assert sorted(doc["text"] for doc in docs) == sorted([MEMO, "本"])
    assert {doc["metadata"]["parent"] for doc in docs} == {f"file://{path}"}


@pytest.mark.parametrize(("limits", "reason"), [
    ({"max_archive_members": 2}, "archive_too_many_members"),
    ({"max_archive_bytes": 2 * 1024 * 1024}, "archive_too_large"),
    ({"max_compression_ratio": 50}, "archive_ratio"),
    ({"max_depth": 1}, "archive_too_deep"),
])
def test_archive_limits(tmp_path, stage_runner, limits, reason):
    limits = IngestLimits(**{"max_compression_ratio": 1e6, **limits})
    bomb = _zip({"zeros1.txt": b"0" * 3 * 1024 * 1024, "a.txt": b"a", "b.txt": b"b"})
    nested = _zip({"inner.zip": _zip({"deep.txt": b"x"}), "c.txt": b"c"})
    paths = [_write(tmp_path, "bomb.zip", bomb), _write(tmp_path, "nested.zip", nested),
             _write(tmp_path, "bomb.tgz", _tar_gz({"zeros.txt": b"0" * 3 * 1024 * 1024,
                                                   "a.txt": b"a", "b.txt": b"b"}))]
    docs, rejected = stage_runner(Ingest(limits=limits), paths)
    reasons = _reasons(rejected)
    assert reason in reasons
    for record in rejected:
        assert record["reason"] == reason
    # A rejected archive yields none of its members.
    rejected_archives = {record["source"] for record in rejected}
    assert not any(doc["source"].split("#")[0] in rejected_archives for doc in docs)


# --- limits and the rest ---------------------------------------------------------------

def test_single_gzip_file_and_spreadsheet_cell_limit(tmp_path, stage_runner):
    import gzip

    memo = _write(tmp_path, "memo.txt.gz", gzip.compress(MEMO.encode("euc_jp")))
    sheet = _write(tmp_path, "sales.xlsx", _xlsx())
    docs, rejected = stage_runner(Ingest(limits=IngestLimits(max_cells=5)), [memo, sheet])
    assert [doc["text"] for doc in docs] == [MEMO]
    assert docs[0]["source"] == f"file://{memo}#member=memo.txt"
    assert _reasons(rejected) == ["too_many_cells"]


def test_lone_cr_line_ends(tmp_path, stage_runner):
    doc = _one(stage_runner, _write(tmp_path, "mac.txt", "一行目\r二行目\r".encode("cp932")))
    assert doc["text"] == "一行目\n二行目\n"


def test_file_size_chars_cells_and_unsupported(tmp_path, stage_runner):
    paths = [_write(tmp_path, "big.txt", ("あ" * 400).encode()),
             _write(tmp_path, "long.jsonl", json.dumps({"text": "い" * 150}).encode()),
             _write(tmp_path, "wide.csv", ("a,b,c\n" * 20).encode()),
             _write(tmp_path, "ok.md", "短い".encode()),
             _write(tmp_path, "image.png", b"\x89PNG"),
             _write(tmp_path, "noext", b"data")]
    limits = IngestLimits(max_file_bytes=1000, max_chars=100, max_cells=30)
    docs, rejected = stage_runner(Ingest(limits=limits), paths)
    assert [doc["text"] for doc in docs] == ["短い"]
    assert _reasons(rejected) == ["file_too_large", "too_many_cells", "too_many_chars",
                                  "unsupported_format", "unsupported_format"]
    for record in rejected:
        assert "い" not in json.dumps(record, ensure_ascii=False)  # never the text


def test_time_limit(tmp_path, stage_runner):
    paths = [_write(tmp_path, "bundle.zip", _zip({"a.txt": b"a", "b.txt": b"b"})),
             _write(tmp_path, "rows.csv", b"a,b\nc,d\n")]
    # A deadline already passed: every file gives up at its first check, with one rejection.
    docs, rejected = stage_runner(Ingest(limits=IngestLimits(max_seconds=-1)), paths)
    assert docs == []
    assert _reasons(rejected) == ["timeout", "timeout"]


def test_every_member_counts_once(tmp_path):
    outer = _zip({"a.txt": b"a", "b.eml": _iso2022_mail([("c.txt", b"c", "octet-stream")]),
                  "d.bin": b"?", "empty.zip": _zip({})})
    path = _write(tmp_path, "count.zip", outer)
    # a.txt, b.eml body, its attachment c.txt, d.bin (rejected), empty.zip (rejected).
    assert _input_units([path], Ingest()) == 5


# --- into a shard ----------------------------------------------------------------------

def test_every_format_reaches_a_shard_with_mail_headers_masked(tmp_path):
    """The whole pipeline (``kiyome run``) on one file per format: the Japanese text of each
    reaches a shard, and the sender's address in the mail's metadata is masked."""
    from tests.pii_checks import rejected_records, shard_rows
    from tests.test_e2e import run_kiyome

    corpus = tmp_path / "corpus"
    mail = _iso2022_mail([("報告.docx", _docx(), "octet-stream")])
    pdf = _pdf([["決定事項：次回の定例会議は五月に本社で開催する予定です。"]])
    files = {"mail/reply.eml": mail, "office/sales.xlsx": _xlsx(), "office/launch.pptx": _pptx(),
             "pdf/minutes.pdf": pdf,
             "legacy/memo.txt": ("旧システムから出力した社内連絡です。" + MEMO).encode("euc_jp"),
             "bundle.zip": _zip({"中/手順書.txt": "手順書：申請は総務部の窓口で受け付けています。"
                                                 .encode("cp932")})}
    for name, data in files.items():
        _write(corpus, name, data)
    table = pa.table({"body": ["パーケット形式で書き出した問い合わせの本文です。"],
                      "key": ["pq-1"]})
    pq.write_table(table, corpus / "export.parquet")
    output = tmp_path / "out"
    completed = run_kiyome(output, "--text-column", "body", "--id-column", "key",
                           "--skip", "dedup", corpus=corpus)
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = shard_rows(output)
    texts = "\n".join(row["text"] for row in rows)
    for expected in ("いつもお世話になっております", "営業報告書", "好調", "軽量化と長時間駆動",
                     "次回の定例会議は五月", "旧システムから出力", "申請は総務部の窓口",
                     "パーケット形式で書き出した"):
        assert expected in texts, (expected, [r["reason"] for r in rejected_records(output)])
    assert "pq-1" in {row["id"] for row in rows}
    mail_row = next(row for row in rows if row["source"].endswith("reply.eml"))
    metadata = json.loads(mail_row["metadata"])
    assert metadata["subject"] == "Re: 納品日の変更について"
    assert "hanako@example.co.jp" not in mail_row["metadata"]
    assert "taro.yamada@example.com" not in mail_row["metadata"]
