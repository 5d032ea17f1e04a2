"""Planning the reads: one input path -> the read tasks its bytes are shared out as.

Small files, compressed files and every format but JSONL/Parquet are one task
(the file). A JSONL file larger than ``IngestLimits.split_bytes`` becomes byte
ranges, surveyed in parallel (:func:`survey_range`) and numbered per file
(:func:`number_file`); a Parquet file larger than that becomes runs of row
groups, numbered from its footer. Each file is counted once here
(``ingest.files``), whatever it is split into.
"""

from __future__ import annotations

import codecs
import datetime as dt
import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.filetype import check_regular_file
from kiyome.transforms.ingest.formats import format_of, reader_for
from kiyome.transforms.ingest.formats.base import ReadContext
from kiyome.transforms.ingest.formats.structured import (
    JSONL_EXTENSIONS,
    PARQUET_EXTENSIONS,
    parquet_text_columns,
)
from kiyome.transforms.ingest.limits import IngestLimits
from kiyome.transforms.ingest.split import (
    REJECT,
    ROW_GROUPS,
    WHOLE,
    RangeSurvey,
    ReadTask,
    byte_ranges,
    number_ranges,
    owned_block,
    row_group_chunks,
    survey_block,
)
from kiyome.transforms.records import METRICS_NAMESPACE, rejection, stable_id

#: Tag of the planner's output of unnumbered JSONL ranges: ``(path, (start, end, bom, facts))``.
RANGES = "ranges"
#: BOMs of encodings whose newline is not the byte ``\n``: such files are read whole.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def source_uri(path: str) -> str:
    """The ``source`` column: a URI, ``file://`` for local paths (kept readable, not %-encoded).

    >>> source_uri("/data/議事録/a.txt"), source_uri("gs://bucket/a.txt")
    ('file:///data/議事録/a.txt', 'gs://bucket/a.txt')
    """
    return path if "://" in path else f"file://{path}"


def file_metadata(path: str) -> dict[str, Any]:
    """Size and modification time from FileSystems, when a cheap match finds the file."""
    try:
        found = FileSystems.match([path])[0].metadata_list
    except Exception:
        return {}
    for meta in found:
        if meta.path == path or posixpath.normpath(meta.path) == posixpath.normpath(path):
            result: dict[str, Any] = {"size": meta.size_in_bytes}
            seconds = getattr(meta, "last_updated_in_seconds", None)
            if seconds:
                result["modified"] = dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(
                    timespec="seconds")
            return result
    return {}


class PlanReadsDoFn(beam.DoFn):
    """Path in; read tasks out (main), JSONL ranges to survey (``ranges``)."""

    def __init__(self, limits: IngestLimits, text_column: str = "text",
                 id_column: str = "id") -> None:
        self._limits = limits
        self._text_column = text_column
        self._id_column = id_column
        self._files = Metrics.counter(METRICS_NAMESPACE, "ingest.files")

    def process(self, path: str) -> Iterator[Any]:
        self._files.inc()
        source = source_uri(path)
        try:
            check_regular_file(path)
            reader_for(path)
            facts = file_metadata(path)
            if "size" in facts:
                self._limits.check_file_size(facts["size"])
        except IngestError as error:
            record = rejection(stable_id(source, ""), source, "ingest", error.reason,
                               **error.detail)
            yield ReadTask(path, REJECT, record=record)
            return
        size = facts.get("size", 0)
        fmt = format_of(path)
        if size > self._limits.split_bytes and fmt in JSONL_EXTENSIONS:
            yield from self._jsonl_ranges(path, size, facts)
        elif size > self._limits.split_bytes and fmt in PARQUET_EXTENSIONS:
            yield from self._row_group_runs(path, source, facts)
        else:
            yield ReadTask(path, WHOLE, facts=facts)

    def _jsonl_ranges(self, path: str, size: int, facts: dict[str, Any]) -> Iterator[Any]:
        try:
            with FileSystems.open(path, compression_type="uncompressed") as handle:
                head = handle.read(len(codecs.BOM_UTF8))
        except OSError:
            yield ReadTask(path, WHOLE, facts=facts)  # the reader reports it as unreadable
            return
        if head.startswith(_WIDE_BOMS):
            yield ReadTask(path, WHOLE, facts=facts)
            return
        bom = head.startswith(codecs.BOM_UTF8)
        for start, end in byte_ranges(size, self._limits.split_bytes):
            yield beam.pvalue.TaggedOutput(RANGES, (path, (start, end, bom, facts)))

    def _row_group_runs(self, path: str, source: str, facts: dict[str, Any]) -> Iterator[Any]:
        import pyarrow.parquet as pq

        ctx = ReadContext(source, path, self._limits, self._text_column, self._id_column)
        try:
            with FileSystems.open(path, compression_type="uncompressed") as handle:
                parquet = pq.ParquetFile(handle)
                parquet_text_columns(parquet, ctx)
                metadata = parquet.metadata
        except IngestError as error:
            record = rejection(stable_id(source, ""), source, "ingest", error.reason,
                               **error.detail)
            yield ReadTask(path, REJECT, record=record)
            return
        except Exception:  # unreadable or corrupt: the whole-file reader says which
            yield ReadTask(path, WHOLE, facts=facts)
            return
        groups = [metadata.row_group(i) for i in range(metadata.num_row_groups)]
        chunks = row_group_chunks([g.total_byte_size for g in groups],
                                  [g.num_rows for g in groups], self._limits.split_bytes)
        if len(chunks) <= 1:
            yield ReadTask(path, WHOLE, facts=facts)
            return
        for first_group, end_group, first_row in chunks:
            yield ReadTask(path, ROW_GROUPS, first_group, end_group, first_row, facts=facts)


def survey_range(element: tuple[str, tuple[int, int, bool, dict[str, Any]]]
                 ) -> tuple[str, tuple[RangeSurvey, bool, dict[str, Any]]]:
    """Survey one JSONL range: lines it owns, byte facts (unreadable: read the file whole)."""
    path, (start, end, bom, facts) = element
    try:
        with FileSystems.open(path, compression_type="uncompressed") as handle:
            survey = survey_block(start, end, owned_block(handle, start, end))
    except OSError:
        survey = RangeSurvey(start, end, 0, False, False, False, False, False)
    return path, (survey, bom, facts)


def number_file(element: tuple[str, Iterable[tuple[RangeSurvey, bool, dict[str, Any]]]]
                ) -> Iterator[ReadTask]:
    """All surveys of one file -> its numbered line-range tasks (or one whole-file task)."""
    path, surveyed = element
    surveyed = list(surveyed)
    _, bom, facts = surveyed[0]
    yield from number_ranges(path, [survey for survey, _, _ in surveyed], bom, facts)
