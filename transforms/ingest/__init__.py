"""Ingest: bytes -> documents, one file at a time, never dying on a bad file.

Layout (one module per job):

- ``encoding.py`` — bytes -> text: BOMs, UTF-8, CP932, EUC-JP, ISO-2022-JP,
  declared charsets verified, mojibake detection;
- ``formats/`` — one reader per format family (``text``, ``html``, ``structured``,
  ``mail``, ``office``, ``pdf``, ``archive``) and the table choosing one by name;
- ``limits.py`` — :class:`IngestLimits`, each limit with its own reject reason;
- ``split.py`` — read tasks: JSONL byte ranges (line-aligned), Parquet row-group runs;
- ``plan.py`` — path -> read tasks (a large JSONL/Parquet file becomes many);
- ``errors.py`` — :class:`IngestError`, the reason-carrying error readers raise;
- this module — the :class:`Ingest` PTransform and the DoFn reading one task.

Graph: paths -> Reshuffle -> plan (one task per file, or ranges / row-group
runs of a large JSONL/Parquet file; JSONL ranges are surveyed in parallel and
numbered per file) -> Reshuffle -> read. Ids and line/row numbers do not depend
on the split size; ``ingest.files`` counts files, ``ingest.ranges`` the split
tasks read.

Accounting: every *unit* — a file, a JSONL line / Parquet row, an archive member,
a mail attachment, an mbox message — ends as exactly one document or one
rejection and increments ``input.units`` once. Containers (archives, mboxes)
are not units themselves unless they produce nothing (then their rejection is).

Reject reasons (``rejected.ingest.<reason>`` counters):

- reading: ``unsupported_format``, ``legacy_office_format`` (.doc/.xls/.ppt),
  ``unreadable`` (I/O), ``corrupt`` (a library could not parse it), ``encrypted``,
  ``not_a_mail``, ``no_documents`` (read fine, held nothing: an empty JSONL);
- text: ``undecodable``, ``mojibake``, ``no_text_layer`` (a scanned PDF), ``invalid_text``
  (lone surrogates, e.g. a JSON ``\\ud800`` escape: UTF-8 cannot hold them);
- not a file: ``not_a_regular_file`` (a FIFO, socket or device: opening one can block
  forever), ``symlink_loop``; a dangling symlink is ``unreadable``;
- records: ``invalid_json``, ``missing_text``, ``missing_text_column`` (Parquet);
- limits: ``file_too_large``, ``too_many_chars``, ``too_many_pages``, ``too_many_cells``,
  ``timeout``, ``archive_too_many_members``, ``archive_too_large``, ``archive_ratio``,
  ``archive_too_deep``, ``empty_archive``.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from kiyome.transforms.ingest.encoding import lone_surrogates, mojibake
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.filetype import check_regular_file
from kiyome.transforms.ingest.formats import (
    Extracted,
    Member,
    ReadContext,
    Skipped,
    format_of,
    reader_for,
)
from kiyome.transforms.ingest.formats.base import Item
from kiyome.transforms.ingest.formats.structured import jsonl_items, parquet_rows
from kiyome.transforms.ingest.limits import IngestLimits
from kiyome.transforms.ingest.plan import (
    RANGES,
    PlanReadsDoFn,
    file_metadata,
    number_file,
    source_uri,
    survey_range,
)
from kiyome.transforms.ingest.split import (
    LINES,
    REJECT,
    ROW_GROUPS,
    WHOLE,
    ReadTask,
    block_lines,
    owned_block,
)
from kiyome.transforms.records import (
    METRICS_NAMESPACE,
    REJECTED,
    emit_rejection,
    new_document,
    rejection,
    stable_id,
)
from kiyome.transforms.stage_metrics import timed

STAGE = "ingest"

#: Counter of every unit that entered the pipeline: a document, or a unit that
#: could not become one. The manifest checks in == out + dropped against it.
INPUT_UNITS = "input.units"
#: Counter of split read tasks (JSONL ranges, Parquet row-group runs) read.
INGEST_RANGES = "ingest.ranges"

__all__ = ["INGEST_RANGES", "INPUT_UNITS", "STAGE", "Ingest", "IngestError", "IngestLimits",
           "ReadDocumentsDoFn", "ReadTask", "extension", "source_uri"]


def extension(path: str) -> str:
    """Lower-cased (compound) extension of a path or URI.

    >>> extension("gs://bucket/議事録/2026-03.HTML"), extension("/a/b.tar.gz")
    ('.html', '.tar.gz')
    """
    return format_of(path)


def member_source(parent: str, locator: str) -> str:
    """Source of a unit inside ``parent``: ``#`` before the first locator, ``!`` after.

    >>> member_source("file:///x.zip", "member=a/b.eml")
    'file:///x.zip#member=a/b.eml'
    >>> member_source("file:///x.zip#member=a/b.eml", "attachment=1/c.pdf")
    'file:///x.zip#member=a/b.eml!attachment=1/c.pdf'
    """
    return f"{parent}{'!' if '#' in parent else '#'}{locator}"


def _decoded_lines(block: bytes, at_file_start: bool, first: int
                   ) -> Iterator[tuple[int, str | None]]:
    """Numbered UTF-8 lines of a block; a BOM is dropped only at the file's first byte."""
    for number, line in enumerate(block_lines(block), start=first):
        if at_file_start and number == first and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError:  # the file changed since it was surveyed
            yield number, None


class ReadDocumentsDoFn(beam.DoFn):
    """One read task (or a bare path: the whole file) in; documents or rejections out."""

    def __init__(self, limits: IngestLimits | None = None, text_column: str = "text",
                 id_column: str = "id") -> None:
        self._limits = limits or IngestLimits()
        self._text_column = text_column
        self._id_column = id_column
        self._units = Metrics.counter(METRICS_NAMESPACE, INPUT_UNITS)
        self._ranges = Metrics.counter(METRICS_NAMESPACE, INGEST_RANGES)

    @timed("ingest")
    def process(self, task: ReadTask | str):
        if isinstance(task, str):
            task = ReadTask(task, WHOLE, facts=file_metadata(task))
        for item in self._read_task(task):
            self._units.inc()
            yield item

    def _reject(self, source: str, reason: str, locator: str = "",
                **detail: Any) -> beam.pvalue.TaggedOutput:
        return emit_rejection(rejection(stable_id(source, "", locator), source, STAGE, reason,
                                        **detail))

    def _read_task(self, task: ReadTask) -> Iterator[Any]:
        source = source_uri(task.path)
        if task.kind == REJECT and task.record is not None:
            yield emit_rejection(task.record)
        elif task.kind in (LINES, ROW_GROUPS):
            self._ranges.inc()
            yield from self._read_split(task, source)
        else:
            yield from self._read_file(task.path, source, dict(task.facts))

    def _read_file(self, path: str, source: str, facts: dict[str, Any]) -> Iterator[Any]:
        try:
            check_regular_file(path)
            reader_for(path)
            if "size" in facts:
                self._limits.check_file_size(facts["size"])
        except IngestError as error:
            yield self._reject(source, error.reason, **error.detail)
            return
        try:
            with FileSystems.open(path, compression_type="uncompressed") as handle:
                data = handle.read(self._limits.max_file_bytes + 1)
        except OSError as error:
            yield self._reject(source, "unreadable", error=type(error).__name__)
            return
        facts["size"] = facts.get("size", len(data))
        deadline = time.monotonic() + self._limits.max_seconds
        yield from self._read_unit(data, path, source, 0, facts, deadline)

    def _read_split(self, task: ReadTask, source: str) -> Iterator[Any]:
        """A JSONL range or a run of Parquet row groups; failures reject the range, not the file."""
        import pyarrow.parquet as pq

        fmt = format_of(task.path).lstrip(".")
        facts = {"format": fmt, **task.facts}
        deadline = time.monotonic() + self._limits.max_seconds
        ctx = ReadContext(source, task.path, self._limits, self._text_column, self._id_column,
                          0, deadline)
        try:
            with FileSystems.open(task.path, compression_type="uncompressed") as handle:
                if task.kind == LINES:
                    block = owned_block(handle, task.start, task.end)
                    lines = _decoded_lines(block, task.start == 0, task.first)
                    items: Iterable[Item] = jsonl_items(lines, task.encoding, ctx)
                else:
                    parquet = pq.ParquetFile(handle)
                    items = parquet_rows(parquet, range(task.start, task.end), task.first, ctx)
                yield from self._items(items, source, facts)
        except IngestError as error:
            yield self._reject(source, error.reason, f"range:{task.start}", **error.detail)
        except Exception as error:
            reason = "unreadable" if isinstance(error, OSError) else "corrupt"
            yield self._reject(source, reason, f"range:{task.start}", format=fmt,
                               error=type(error).__name__)

    def _items(self, items: Iterable[Item], source: str,
               facts: dict[str, Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, Extracted):
                yield self._document(item, source, facts)
            elif isinstance(item, Skipped):
                yield self._reject(source, item.reason, item.locator, **item.detail)

    def _read_unit(self, data: bytes, name: str, source: str, depth: int,
                   facts: dict[str, Any], deadline: float) -> Iterator[Any]:
        fmt = format_of(name).lstrip(".")
        produced = 0
        try:
            self._limits.check_file_size(len(data))
            fmt, reader = reader_for(name)
            ctx = ReadContext(source, name, self._limits, self._text_column, self._id_column,
                              depth, deadline)
            for item in reader(data, ctx):
                ctx.check_time()
                produced += 1
                if isinstance(item, Extracted):
                    yield self._document(item, source, {"format": fmt, **facts})
                elif isinstance(item, Member):
                    child = member_source(source, item.locator)
                    child_facts = {"size": len(item.data), **item.metadata, "parent": source}
                    yield from self._read_unit(item.data, item.name, child, depth + 1,
                                               child_facts, deadline)
                elif isinstance(item, Skipped):
                    yield self._reject(source, item.reason, item.locator, **item.detail)
        except IngestError as error:
            yield self._reject(source, error.reason, **error.detail)
            return
        except Exception as error:  # a reader's library choking: the file, not the run, fails
            yield self._reject(source, "corrupt", format=fmt or "(none)",
                               error=type(error).__name__)
            return
        if not produced:
            yield self._reject(source, "no_documents", format=fmt)

    def _document(self, item: Extracted, source: str, facts: dict[str, Any]):
        detail = {"line": item.locator.split(":", 1)[1]} if item.locator.startswith(
            "line:") else {}
        if len(item.text) > self._limits.max_chars:
            return self._reject(source, "too_many_chars", item.locator, chars=len(item.text),
                                limit=self._limits.max_chars, **detail)
        surrogates = lone_surrogates([item.text, item.doc_id, item.metadata])
        if surrogates:
            return self._reject(source, "invalid_text", item.locator, surrogates=surrogates,
                                **detail)
        bad = mojibake(item.text)
        if bad:
            return self._reject(source, "mojibake", item.locator, **bad, **detail)
        metadata = dict(item.metadata)
        for key, value in facts.items():
            metadata.setdefault(key, value)
        doc_id = item.doc_id or stable_id(source, item.text, item.locator)
        return new_document(doc_id, source, item.text, metadata)


class Ingest(beam.PTransform):
    """File paths (a PCollection of URIs) -> documents, with a ``rejected`` side output.

    ``limits`` bounds what one file may cost (see :class:`IngestLimits`) and sets
    ``split_bytes``, the size above which JSONL/Parquet files are read in parts;
    ``text_column``/``id_column`` name the Parquet columns holding text and ids.
    """

    def __init__(self, limits: IngestLimits | None = None, text_column: str = "text",
                 id_column: str = "id") -> None:
        super().__init__()
        self._limits = limits or IngestLimits()
        self._text_column = text_column
        self._id_column = id_column

    def expand(self, paths):
        planned = (
            paths
            | "Spread" >> beam.Reshuffle()
            | "Plan" >> beam.ParDo(
                PlanReadsDoFn(self._limits, self._text_column, self._id_column)
            ).with_outputs(RANGES, main="tasks")
        )
        numbered = (
            planned[RANGES]
            | "SpreadRanges" >> beam.Reshuffle()
            | "SurveyRanges" >> beam.Map(survey_range)
            | "RangesPerFile" >> beam.GroupByKey()
            | "NumberRanges" >> beam.FlatMap(number_file)
        )
        return (
            (planned.tasks, numbered)
            | "AllTasks" >> beam.Flatten()
            | "SpreadTasks" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(
                ReadDocumentsDoFn(self._limits, self._text_column, self._id_column)
            ).with_outputs(REJECTED, main="docs")
        )
