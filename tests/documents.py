"""Build one input file per format from lines of text, for corpus-level tests.

The hostile corpus truncates and corrupts these; the canary test plants
personal data in them. Every builder takes the lines a reader should find.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Sequence


def txt(lines: Sequence[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def csv_file(lines: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["番号", "内容"])
    for number, line in enumerate(lines, start=1):
        writer.writerow([number, line])
    return buffer.getvalue().encode("utf-8")


def jsonl(lines: Sequence[str]) -> bytes:
    """One record holding every line (plus a metadata field holding the first)."""
    record = {"text": "\n".join(lines), "author_note": lines[0]}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def html(lines: Sequence[str]) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>社内報</title></head>"
            f"<body><main>{body}</main></body></html>").encode()


def eml(lines: Sequence[str], sender: str = "総務部 <soumu@example.com>") -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "週次のご連絡"
    message["From"] = sender
    message["To"] = "all@example.com"
    message.set_content("\n".join(lines), charset="utf-8")
    return message.as_bytes()


def docx(lines: Sequence[str]) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(lines: Sequence[str]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "記録"
    for line in lines:
        sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx(lines: Sequence[str]) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "連絡事項"
    slide.placeholders[1].text = "\n".join(lines)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def pdf(lines: Sequence[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.setFont("HeiseiMin-W3", 11)
    for number, line in enumerate(lines):
        document.drawString(50, 780 - 18 * number, line)
    document.showPage()
    document.save()
    return buffer.getvalue()


def zip_file(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


#: Extension -> builder, for every format a run reads from lines of text.
BUILDERS: dict[str, Callable[[Sequence[str]], bytes]] = {
    ".txt": txt, ".csv": csv_file, ".jsonl": jsonl, ".html": html, ".eml": eml,
    ".docx": docx, ".xlsx": xlsx, ".pptx": pptx, ".pdf": pdf,
    ".zip": lambda lines: zip_file({"inner/memo.txt": txt(lines)}),
}
