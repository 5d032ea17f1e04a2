"""Ingest: bytes -> documents, one file at a time, never dying on a bad file.

Layout (one module per job):

- ``encoding.py`` — bytes -> text: BOMs, UTF-8, CP932, EUC-JP, ISO-2022-JP,
  declared charsets verified, mojibake detection;
- ``formats/`` — one reader per format family (``text``, ``html``, ``structured``,
  ``mail``, ``office``, ``pdf``, ``archive``) and the table choosing one by name;
- ``limits.py`` — :class:`IngestLimits`, each limit with its own reject reason;
- ``errors.py`` — :class:`IngestError`, the reason-carrying error readers raise;
- this module — the :class:`Ingest` PTransform and its DoFn.

Accounting: every *unit* — a file, a JSONL line / Parquet row, an archive member,
a mail attachment, an mbox message — ends as exactly one document or one
rejection and increments ``input.units`` once. Containers (archives, mboxes)
are not units themselves unless they produce nothing (then their rejection is).

Reject reasons (``rejected.ingest.<reason>`` counters):

- reading: ``unsupported_format``, ``legacy_office_format`` (.doc/.xls/.ppt),
  ``unreadable`` (I/O), ``corrupt`` (a library could not parse it), ``encrypted``,
  ``not_a_mail``, ``no_documents`` (read fine, held nothing: an empty JSONL);
- text: ``undecodable``, ``mojibake``, ``no_text_layer`` (a scanned PDF);
- records: ``invalid_json``, ``missing_text``, ``missing_text_column`` (Parquet);
- limits: ``file_too_large``, ``too_many_chars``, ``too_many_pages``, ``too_many_cells``,
  ``timeout``, ``archive_too_many_members``, ``archive_too_large``, ``archive_ratio``,
  ``archive_too_deep``, ``empty_archive``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import time
from collections.abc import Iterator
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from kiyome.transforms.ingest.encoding import mojibake
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats import (
    Extracted,
    Member,
    ReadContext,
    Skipped,
    format_of,
    reader_for,
)
from kiyome.transforms.ingest.limits import IngestLimits
from kiyome.transforms.records import (
    METRICS_NAMESPACE,
    REJECTED,
    emit_rejection,
    new_document,
    rejection,
    stable_id,
)

STAGE = "ingest"

#: Counter of every unit that entered the pipeline: a document, or a unit that
#: could not become one. The manifest checks in == out + dropped against it.
INPUT_UNITS = "input.units"

__all__ = ["INPUT_UNITS", "STAGE", "Ingest", "IngestError", "IngestLimits",
           "ReadDocumentsDoFn", "extension", "source_uri"]


def extension(path: str) -> str:
    """Lower-cased (compound) extension of a path or URI.

    >>> extension("gs://bucket/議事録/2026-03.HTML"), extension("/a/b.tar.gz")
    ('.html', '.tar.gz')
    """
    return format_of(path)


def source_uri(path: str) -> str:
    """The ``source`` column: a URI, ``file://`` for local paths (kept readable, not %-encoded).

    >>> source_uri("/data/議事録/a.txt"), source_uri("gs://bucket/a.txt")
    ('file:///data/議事録/a.txt', 'gs://bucket/a.txt')
    """
    return path if "://" in path else f"file://{path}"


def member_source(parent: str, locator: str) -> str:
    """Source of a unit inside ``parent``: ``#`` before the first locator, ``!`` after.

    >>> member_source("file:///x.zip", "member=a/b.eml")
    'file:///x.zip#member=a/b.eml'
    >>> member_source("file:///x.zip#member=a/b.eml", "attachment=1/c.pdf")
    'file:///x.zip#member=a/b.eml!attachment=1/c.pdf'
    """
    return f"{parent}{'!' if '#' in parent else '#'}{locator}"


def _file_metadata(path: str) -> dict[str, Any]:
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


class ReadDocumentsDoFn(beam.DoFn):
    """One input file in, its documents (main output) or rejections (``rejected``) out."""

    def __init__(self, limits: IngestLimits | None = None, text_column: str = "text",
                 id_column: str = "id") -> None:
        self._limits = limits or IngestLimits()
        self._text_column = text_column
        self._id_column = id_column
        self._units = Metrics.counter(METRICS_NAMESPACE, INPUT_UNITS)
        self._files = Metrics.counter(METRICS_NAMESPACE, "ingest.files")

    def process(self, path: str):
        self._files.inc()
        for item in self._read_file(path, source_uri(path)):
            self._units.inc()
            yield item

    def _reject(self, source: str, reason: str, locator: str = "",
                **detail: Any) -> beam.pvalue.TaggedOutput:
        return emit_rejection(rejection(stable_id(source, "", locator), source, STAGE, reason,
                                        **detail))

    def _read_file(self, path: str, source: str) -> Iterator[Any]:
        try:
            reader_for(path)
            facts = _file_metadata(path)
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

    ``limits`` bounds what one file may cost (see :class:`IngestLimits`);
    ``text_column``/``id_column`` name the Parquet columns holding text and ids.
    """

    def __init__(self, limits: IngestLimits | None = None, text_column: str = "text",
                 id_column: str = "id") -> None:
        super().__init__()
        self._limits = limits or IngestLimits()
        self._text_column = text_column
        self._id_column = id_column

    def expand(self, paths):
        return (
            paths
            | "Spread" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(
                ReadDocumentsDoFn(self._limits, self._text_column, self._id_column)
            ).with_outputs(REJECTED, main="docs")
        )
