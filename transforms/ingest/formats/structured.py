"""Structured text: ``.jsonl``, ``.json``, ``.csv``/``.tsv`` and ``.parquet``.

- JSONL: one document per line (``text`` required, ``id`` optional, every other
  field kept as metadata); a bad line is rejected on its own (``invalid_json``,
  ``missing_text``), the rest of the file still counts.
- JSON: an object with ``text``, or a list of them.
- CSV/TSV: one document per file, rows joined by newlines, cells by tabs, the
  header row kept as the first line.
- Parquet: one document per row of the text column (``--text-column``, default
  ``text``), ids from the id column (``--id-column``, default ``id``) when present;
  read one row group at a time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kiyome.transforms.ingest.encoding import decode, normalize_newlines
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.base import Extracted, Item, ReadContext, Skipped

JSONL_EXTENSIONS = (".jsonl", ".ndjson")
JSON_EXTENSIONS = (".json",)
CSV_EXTENSIONS = (".csv", ".tsv")
PARQUET_EXTENSIONS = (".parquet",)


def _record_item(record: Any, locator: str, detail: dict[str, Any],
                 encoding: str | None = None) -> Item:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return Skipped("missing_text", locator, detail)
    record = dict(record)
    text = record.pop("text")
    given_id = record.pop("id", None)
    if encoding:
        record.setdefault("encoding", encoding)
    doc_id = str(given_id) if given_id not in (None, "") else None
    return Extracted(text, record, locator, doc_id)


def text_lines(text: str) -> list[str]:
    r"""JSONL lines: split at LF (CRLF too), as the byte ranges of a split file are.

    Only ``\n`` ends a record: U+2028, U+0085 and friends are legal inside JSON
    strings, so they must not split one (``str.splitlines`` would). A file
    without a single LF but with CRs (classic Mac) is split at CR.

    >>> text_lines('{"a": 1}\r\n\n{"text": "改\u2028行"}\n')
    ['{"a": 1}', '', '{"text": "改\u2028行"}']
    >>> text_lines('{"a": 1}\r{"a": 2}\r')
    ['{"a": 1}', '{"a": 2}']
    """
    if not text:
        return []
    end = "\n" if "\n" in text or "\r" not in text else "\r"
    lines = text.split(end)
    if text.endswith(end):
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def jsonl_items(lines: Iterable[tuple[int, str | None]], encoding: str,
                ctx: ReadContext) -> Iterator[Item]:
    """Items of numbered JSONL lines (None: a line that does not decode)."""
    for line_no, line in lines:
        ctx.check_time()
        locator, detail = f"line:{line_no}", {"line": line_no}
        if line is None:
            yield Skipped("undecodable", locator, detail)
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            yield Skipped("invalid_json", locator, detail)
            continue
        yield _record_item(record, locator, detail, encoding)


def read_jsonl(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    decoded = decode(data)
    numbered = enumerate(text_lines(decoded.text), start=1)
    yield from jsonl_items(numbered, decoded.encoding, ctx)


def read_json(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    decoded = decode(data)
    try:
        value = json.loads(decoded.text)
    except json.JSONDecodeError as error:
        raise IngestError("invalid_json", line=error.lineno) from None
    if isinstance(value, list):
        for index, record in enumerate(value):
            yield _record_item(record, f"item:{index}", {"item": index}, decoded.encoding)
    else:
        item = _record_item(value, "", {}, decoded.encoding)
        if isinstance(item, Skipped):
            raise IngestError("missing_text")
        yield item


def read_csv(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    decoded = decode(data)
    content = normalize_newlines(decoded.text)
    delimiter = "\t" if ctx.name.lower().endswith(".tsv") else ","
    lines: list[str] = []
    cells = columns = 0
    for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter):
        ctx.check_time()
        cells += sum(1 for cell in row if cell)
        if cells > ctx.limits.max_cells:
            raise IngestError("too_many_cells", limit=ctx.limits.max_cells)
        columns = max(columns, len(row))
        if any(cell.strip() for cell in row):
            lines.append("\t".join(cell.strip() for cell in row))
    yield Extracted("\n".join(lines), {"encoding": decoded.encoding, "rows": len(lines),
                                      "columns": columns})


def parquet_text_columns(parquet: Any, ctx: ReadContext) -> list[str]:
    """The columns to read: the text column (``missing_text_column`` without it), the id's."""
    names = parquet.schema_arrow.names
    if ctx.text_column not in names:
        raise IngestError("missing_text_column", column=ctx.text_column)
    return [ctx.text_column] + ([ctx.id_column] if ctx.id_column in names else [])


def parquet_rows(parquet: Any, groups: range, first_row: int,
                 ctx: ReadContext) -> Iterator[Item]:
    """Items of row groups ``groups``, rows numbered from ``first_row`` (the file's row index)."""
    columns = parquet_text_columns(parquet, ctx)
    row = first_row
    for group in groups:
        ctx.check_time()
        table = parquet.read_row_group(group, columns=columns)
        texts = table.column(ctx.text_column).to_pylist()
        ids = (table.column(ctx.id_column).to_pylist() if ctx.id_column in columns
               else [None] * len(texts))
        for text, given_id in zip(texts, ids, strict=True):
            locator = f"row:{row}"
            if not isinstance(text, str):
                yield Skipped("missing_text", locator, {"row": row})
            else:
                doc_id = str(given_id) if given_id not in (None, "") else None
                yield Extracted(text, {"row_group": group}, locator, doc_id)
            row += 1


def read_parquet(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(io.BytesIO(data))
    yield from parquet_rows(parquet, range(parquet.num_row_groups), 0, ctx)
