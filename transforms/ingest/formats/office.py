"""Office Open XML: ``.docx`` (python-docx), ``.xlsx`` (openpyxl), ``.pptx`` (python-pptx).

- docx: body paragraphs and tables in document order, then headers and footers
  (each distinct one once), then comments; ``title``/``author`` from core properties.
- xlsx: every non-empty sheet is a document of its own (``sheet``: its name,
  ``sheet_index``: its 1-based position, in the metadata): rows top to bottom,
  cells left to right joined by tabs; formulas as their cached values. Sheets
  of one workbook are usually separate tables (売上, 担当者, 集計), so each is
  deduplicated, masked and dropped on its own; the cell limit still applies to
  the whole workbook, which is rejected before any of its sheets is emitted.
- pptx: every slide's shapes in reading order (top to bottom, left to right),
  tables included, then the slide's speaker notes.

Legacy binary ``.doc``/``.xls``/``.ppt`` are rejected as ``legacy_office_format``:
no maintained converter installs from the registries without LibreOffice.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.base import Extracted, ReadContext

DOCX_EXTENSIONS = (".docx", ".docm")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
PPTX_EXTENSIONS = (".pptx", ".pptm")
LEGACY_EXTENSIONS = (".doc", ".xls", ".ppt", ".rtf")


def _core_metadata(properties: Any) -> dict[str, str]:
    metadata = {}
    for key in ("title", "author"):
        value = getattr(properties, key, None)
        if value and str(value).strip():
            metadata[key] = str(value).strip()
    return metadata


def _table_lines(table: Any) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:  # merged cells repeat themselves
                cells.append(text)
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def read_docx(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        ctx.check_time()
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        elif block.text.strip():
            lines.append(block.text)
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer,
                     section.first_page_footer):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(p.text for p in part.paragraphs if p.text.strip())
            for table in part.tables:
                text += "\n" + "\n".join(_table_lines(table))
            text = text.strip()
            if text and text not in seen:
                seen.add(text)
                lines.append(text)
    comments = [comment.text for comment in document.comments if comment.text.strip()]
    lines.extend(comments)
    metadata: dict[str, Any] = _core_metadata(document.core_properties)
    metadata["comments"] = len(comments)
    yield Extracted("\n".join(lines), metadata)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _sheet_lines(sheet: Any, ctx: ReadContext, cells: int) -> tuple[list[str], int]:
    """A sheet's rows as tab-joined lines (empty rows dropped), and the workbook's cells so far."""
    lines: list[str] = []
    for row in sheet.iter_rows(values_only=True):
        ctx.check_time()
        texts = [_cell_text(value) for value in row]
        cells += sum(1 for text in texts if text)
        if cells > ctx.limits.max_cells:
            raise IngestError("too_many_cells", limit=ctx.limits.max_cells)
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            lines.append("\t".join(texts))
    return lines, cells


def read_xlsx(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets: list[tuple[int, str, list[str], int]] = []
        cells = 0
        for index, sheet in enumerate(workbook.worksheets, start=1):
            lines, total = _sheet_lines(sheet, ctx, cells)
            sheets.append((index, sheet.title, lines, total - cells))
            cells = total
        common: dict[str, Any] = _core_metadata(workbook.properties)
        common["sheets"] = len(workbook.worksheets)
    finally:
        workbook.close()
    for index, title, lines, sheet_cells in sheets:
        if lines:
            metadata = {**common, "sheet": title, "sheet_index": index, "cells": sheet_cells}
            yield Extracted("\n".join(lines), metadata, f"sheet:{index}")


def _shape_lines(shape: Any) -> list[str]:
    if getattr(shape, "shape_type", None) == 6:  # a group: its shapes in reading order
        return [line for child in _ordered(shape.shapes) for line in _shape_lines(child)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return _table_lines(shape.table)
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [p.text for p in shape.text_frame.paragraphs if p.text.strip()]
    return []


def _ordered(shapes: Any) -> list[Any]:
    return sorted(shapes, key=lambda shape: (shape.top or 0, shape.left or 0))


def read_pptx(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(data))
    lines: list[str] = []
    notes = 0
    for number, slide in enumerate(presentation.slides, start=1):
        ctx.check_time()
        if number > 1:
            lines.append("")
        for shape in _ordered(slide.shapes):
            lines.extend(_shape_lines(shape))
        if slide.has_notes_slide:
            text = slide.notes_slide.notes_text_frame.text.strip()
            if text:
                notes += 1
                lines.append(text)
    metadata: dict[str, Any] = _core_metadata(presentation.core_properties)
    metadata.update(slides=len(presentation.slides), notes=notes)
    yield Extracted("\n".join(lines), metadata)


def read_legacy(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    raise IngestError("legacy_office_format")
