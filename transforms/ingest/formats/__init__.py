"""One reader per format family, and the table that picks one by file name.

=================  ==========================================  =========================
module             formats                                     library
=================  ==========================================  =========================
``text``           .txt .md                                    (encoding detection)
``html``           .html .htm                                  stdlib ``html.parser``
``structured``     .jsonl .json .csv .tsv .parquet             stdlib ``json``/``csv``,
                                                               pyarrow
``mail``           .eml .mbox                                  stdlib ``email``/``mailbox``
``office``         .docx .xlsx .pptx (.doc .xls .ppt rejected) python-docx, openpyxl,
                                                               python-pptx
``pdf``            .pdf                                        pdfminer.six
``archive``        .zip .tar .tar.gz .tgz .gz                  stdlib ``zipfile``/``tarfile``
=================  ==========================================  =========================
"""

from __future__ import annotations

import posixpath

from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats import archive, html, mail, office, pdf, structured, text
from kiyome.transforms.ingest.formats.base import (
    Extracted,
    Item,
    Member,
    ReadContext,
    Reader,
    Skipped,
)

#: extension -> reader; compound extensions (``.tar.gz``) are matched first.
READERS: dict[str, Reader] = {
    **dict.fromkeys(text.EXTENSIONS, text.read_text),
    **dict.fromkeys(html.EXTENSIONS, html.read_html),
    **dict.fromkeys(structured.JSONL_EXTENSIONS, structured.read_jsonl),
    **dict.fromkeys(structured.JSON_EXTENSIONS, structured.read_json),
    **dict.fromkeys(structured.CSV_EXTENSIONS, structured.read_csv),
    **dict.fromkeys(structured.PARQUET_EXTENSIONS, structured.read_parquet),
    **dict.fromkeys(mail.EML_EXTENSIONS, mail.read_eml),
    **dict.fromkeys(mail.MBOX_EXTENSIONS, mail.read_mbox),
    **dict.fromkeys(office.DOCX_EXTENSIONS, office.read_docx),
    **dict.fromkeys(office.XLSX_EXTENSIONS, office.read_xlsx),
    **dict.fromkeys(office.PPTX_EXTENSIONS, office.read_pptx),
    **dict.fromkeys(office.LEGACY_EXTENSIONS, office.read_legacy),
    **dict.fromkeys(pdf.EXTENSIONS, pdf.read_pdf),
    **dict.fromkeys(archive.ZIP_EXTENSIONS, archive.read_zip),
    **dict.fromkeys(archive.TAR_EXTENSIONS, archive.read_tar),
    **dict.fromkeys(archive.GZIP_EXTENSIONS, archive.read_gzip),
}
_COMPOUND = tuple(ext for ext in READERS if ext.count(".") > 1)


def format_of(name: str) -> str:
    """The format key of a path or URI: its (compound) extension, lower-cased.

    >>> format_of("gs://bucket/議事録/2026-03.HTML"), format_of("/x/backup.Tar.Gz")
    ('.html', '.tar.gz')
    >>> format_of("README")
    ''
    """
    base = posixpath.basename(name).lower()
    for ext in _COMPOUND:
        if base.endswith(ext):
            return ext
    return posixpath.splitext(base)[1]


def reader_for(name: str) -> tuple[str, Reader]:
    """(format, reader) for ``name``; ``unsupported_format`` when there is none."""
    ext = format_of(name)
    reader = READERS.get(ext)
    if reader is None:
        raise IngestError("unsupported_format", extension=ext or "(none)")
    return ext.lstrip("."), reader


__all__ = ["READERS", "Extracted", "IngestError", "Item", "Member", "ReadContext", "Skipped",
           "format_of", "reader_for"]
