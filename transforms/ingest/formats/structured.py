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
from collections.abc import Iterator
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


def read_jsonl(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    decoded = decode(data)
    for line_no, line in enumerate(decoded.text.splitlines(), start=1):
        ctx.check_time()
        if not line.strip():
            continue
        locator, detail = f"line:{line_no}", {"line": line_no}
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            yield Skipped("invalid_json", locator, detail)
            continue
        yield _record_item(record, locator, detail, decoded.encoding)


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


def read_parquet(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(io.BytesIO(data))
    names = parquet.schema_arrow.names
    if ctx.text_column not in names:
        raise IngestError("missing_text_column", column=ctx.text_column)
    columns = [ctx.text_column] + ([ctx.id_column] if ctx.id_column in names else [])
    row = 0
    for group in range(parquet.num_row_groups):
        ctx.check_time()
        table = parquet.read_row_group(group, columns=columns)
        texts = table.column(ctx.text_column).to_pylist()
        ids = (table.column(ctx.id_column).to_pylist() if ctx.id_column in names
               else [None] * len(texts))
        for text, given_id in zip(texts, ids, strict=True):
            locator = f"row:{row}"
            if not isinstance(text, str):
                yield Skipped("missing_text", locator, {"row": row})
            else:
                doc_id = str(given_id) if given_id not in (None, "") else None
                yield Extracted(text, {"row_group": group}, locator, doc_id)
            row += 1
