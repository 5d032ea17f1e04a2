"""PDF: the text layer in reading order, with pdfminer.six's layout analysis.

A PDF without a text layer (a scan) is rejected as ``no_text_layer``; an encrypted
one as ``encrypted``; one with more than ``max_pages`` pages as ``too_many_pages``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.base import Extracted, ReadContext

EXTENSIONS = (".pdf",)


def _title(document: Any) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    for info in document.info or []:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _render(item: Any, out: list[str]) -> None:
    """Text of a layout item as pdfminer's ``extract_text`` writes it: boxes end in a blank line."""
    from pdfminer.layout import LTContainer, LTText, LTTextBox

    if isinstance(item, LTTextBox):
        out.append(item.get_text())
        out.append("\n")
    elif isinstance(item, LTContainer):
        for child in item:
            _render(child, out)
    elif isinstance(item, LTText):
        out.append(item.get_text())


def read_pdf(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    stream = io.BytesIO(data)
    try:
        document = PDFDocument(PDFParser(stream))
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise IngestError("encrypted") from None
    pages = 0
    for _ in PDFPage.create_pages(document):
        pages += 1
        if pages > ctx.limits.max_pages:
            raise IngestError("too_many_pages", limit=ctx.limits.max_pages)
    stream.seek(0)
    pages_text = []
    for page in extract_pages(stream, laparams=LAParams()):
        ctx.check_time()
        parts: list[str] = []
        _render(page, parts)
        pages_text.append("".join(parts).strip())
    text = "\n\n".join(page for page in pages_text if page)
    if not text.strip():
        raise IngestError("no_text_layer", pages=pages)
    metadata: dict[str, Any] = {"pages": pages}
    title = _title(document)
    if title:
        metadata["title"] = title
    yield Extracted(text, metadata)
