"""One Parquet file from more rows than a worker should hold: sorted chunks, then a
streaming assembly. Used by the shards and by the signature store.

A file can hold gigabytes, far more than a worker holds as Python rows (about
ten times the text's UTF-8 size once decoded from a shuffle; a signature
row's shingles, as Python ints, nine times their array). So a file is
written in two steps, each bounded by a setting, not by the file:

1. its rows are spread over chunks of about ``chunk_size`` units (characters
   of text, shingles) by a stable hash of their id -- the number of chunks
   comes from the file's size, summed in a small side step; each chunk is
   grouped, sorted and written to a hidden temporary Arrow IPC file (not
   compressed: LZ4 cost more time than it saved in writing; a file of one
   chunk skips this round trip and is written at once);
2. the chunk files of a file are read back in chunk order, one at a time, and
   written as Parquet row groups of ``row_group_bytes``; then deleted.

Memory per worker: one chunk of rows, or one row group plus one chunk as
Arrow columns. The bytes depend only on the set of rows (chunk boundaries
and row groups follow from it), so 1 and 2 workers write the same file.
Row order within a file: by chunk, then by the sort keys.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from apache_beam.io.filesystems import FileSystems

from kiyome.transforms.stage_metrics import add_time

MB = 1024 * 1024
#: Characters of text per chunk: ~6 MB of UTF-8; a chunk's rows, decoded from the
#: shuffle and converted, take a few tens of MB.
CHUNK_CHARS = 2_000_000
SORT_KEYS = [("id", "ascending"), ("text", "ascending"), ("source", "ascending")]
#: Rows converted to Arrow at a time while a chunk is built.
BATCH_ROWS = 10_000


def stable_hash(value: str, seed: int = 0) -> int:
    """A 64-bit hash of ``value`` that is the same in every process and Python version.

    >>> stable_hash("doc-1") == stable_hash("doc-1")
    True
    """
    return xxhash.xxh64_intdigest(value.encode("utf-8"), seed=seed)


def chunk_of(doc_id: str, chunks: int, seed: int = 0xC4A2) -> int:
    """The chunk of a row within its file, by a hash independent of the shard's.

    >>> chunk_of("doc-1", 1), 0 <= chunk_of("doc-1", 7) < 7
    (0, True)
    """
    return stable_hash(doc_id, seed=seed) % chunks


def chunk_count(chars: int, chunk_chars: int = CHUNK_CHARS) -> int:
    """Chunks for a shard of ``chars`` characters of text.

    >>> chunk_count(0), chunk_count(2_000_000), chunk_count(2_000_001)
    (1, 1, 2)
    """
    return max(1, math.ceil(chars / chunk_chars))


def rows_table(rows: Iterable[dict], schema: pa.Schema) -> pa.Table:
    """Python rows -> one Arrow table, converted a batch at a time."""
    batches, pending = [], []
    for row in rows:
        pending.append(row)
        if len(pending) >= BATCH_ROWS:
            batches.append(pa.RecordBatch.from_pylist(pending, schema=schema))
            pending = []
    if pending or not batches:
        batches.append(pa.RecordBatch.from_pylist(pending, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def sort_table(table: pa.Table, keys: list[tuple[str, str]] = SORT_KEYS) -> pa.Table:
    return table.take(pc.sort_indices(table, sort_keys=keys))


def sorted_table(rows: list[dict], schema: pa.Schema,
                 to_table: Callable[[list[dict], pa.Schema], pa.Table] = rows_table,
                 sort_keys: list[tuple[str, str]] = SORT_KEYS) -> pa.Table:
    """A chunk's rows -> one Arrow table sorted by ``sort_keys``.

    Ascending keys sort the Python rows before conversion, a quarter cheaper than
    a ``take`` over the table's text: Python orders strings by code point, which is
    the UTF-8 byte order Arrow sorts by, and puts missing values last, as Arrow does.

    >>> schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("source", pa.string())])
    >>> rows = [{"id": i, "text": "t", "source": "s"} for i in ("b", "é", "a", "B")]
    >>> sorted_table(rows, schema)["id"].to_pylist() == sort_table(rows_table(rows, schema))[
    ...     "id"].to_pylist() == ["B", "a", "b", "é"]
    True
    """
    if any(order != "ascending" for _, order in sort_keys):
        return sort_table(to_table(rows, schema), sort_keys)
    names = [name for name, _ in sort_keys]
    try:
        ordered = sorted(rows, key=itemgetter(*names))
    except TypeError:  # a missing value met a present one
        ordered = sorted(rows, key=lambda row: [(row[name] is None, row[name])
                                                for name in names])
    return to_table(ordered, schema)


def write_chunk(table: pa.Table, directory: str, stem: str) -> str:
    """A sorted chunk -> a hidden temporary IPC file in ``directory``; its path."""
    path = f"{directory}/.{stem}.{uuid.uuid4().hex}.tmp"
    if _is_local(path):  # Arrow writes its buffers straight to the file: half the time
        os.makedirs(directory, exist_ok=True)
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        return path
    sink = pa.BufferOutputStream()  # one write: a file object's many small ones cost 5x
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    with FileSystems.create(path) as handle:
        handle.write(sink.getvalue())
    return path


def _is_local(path: str) -> bool:
    """A path on this machine's disk (no ``gs://``-like scheme)."""
    return FileSystems.get_scheme(path) is None


def read_chunk(path: str) -> pa.Table:
    """A chunk file -> its table; a local file is mapped, not copied (its pages stay
    readable after the file is deleted, until the table is released)."""
    if _is_local(path):
        with pa.memory_map(path) as source:
            return pa.ipc.open_file(source).read_all()
    with FileSystems.open(path) as handle:
        return pa.ipc.open_file(pa.BufferReader(handle.read())).read_all()


def rows_per_group(table: pa.Table, row_group_bytes: int) -> int:
    """Rows per row group so that a group holds about ``row_group_bytes`` uncompressed."""
    if table.num_rows == 0:
        return 1
    return max(1, row_group_bytes // max(1, table.nbytes // table.num_rows))


def row_groups(tables: Iterable[pa.Table], row_group_bytes: int) -> Iterator[pa.Table]:
    """Consecutive tables -> tables of about ``row_group_bytes`` each, in the same row
    order, holding at most one group plus one input table at a time."""
    pending: list[pa.Table] = []
    pending_bytes = 0
    for table in tables:
        pending.append(table)
        pending_bytes += table.nbytes
        if pending_bytes < row_group_bytes:
            continue
        buffered = pa.concat_tables(pending)
        size = rows_per_group(buffered, row_group_bytes)
        full = buffered.num_rows - buffered.num_rows % size
        for start in range(0, full, size):
            yield buffered.slice(start, size)
        rest = buffered.slice(full)
        pending, pending_bytes = ([rest], rest.nbytes) if rest.num_rows else ([], 0)
    if pending:
        buffered = pa.concat_tables(pending)
        if buffered.num_rows:
            yield buffered


def assemble(handle, chunks: Iterable[pa.Table], schema: pa.Schema, row_group_bytes: int,
             **parquet_options: Any) -> int:
    """Sorted chunks, in order -> one Parquet file written with ``parquet_options``
    (``pq.ParquetWriter``'s); the number of rows written."""
    written = 0
    with pq.ParquetWriter(handle, schema, **parquet_options) as writer:
        for group in row_groups(chunks, row_group_bytes):
            writer.write_table(group, row_group_size=group.num_rows)
            written += group.num_rows
    return written


def write_file(final: str, tables: Iterable[pa.Table], schema: pa.Schema,
               row_group_bytes: int, parquet_options: dict[str, Any]) -> int:
    """Sorted tables, in order -> ``final``, via a hidden temporary name and a rename
    (a retried bundle never leaves half a file); the number of rows written."""
    directory, name = final.rsplit("/", 1)
    temporary = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
    with FileSystems.create(temporary) as handle:
        rows = assemble(handle, tables, schema, row_group_bytes, **parquet_options)
    if FileSystems.exists(final):
        FileSystems.delete([final])
    FileSystems.rename([temporary], [final])
    return rows


def assemble_file(chunk_paths: list[str], final: str, schema: pa.Schema, row_group_bytes: int,
                  parquet_options: dict[str, Any]) -> int:
    """Chunk files, in order -> ``final``; the chunk files are deleted; rows written."""
    rows = write_file(final, (read_chunk(path) for path in chunk_paths), schema,
                      row_group_bytes, parquet_options)
    FileSystems.delete(chunk_paths)
    return rows


#: (key, sorted keys of every non-empty file) -> the file's path below the directory.
FileName = Callable[[tuple, list[tuple]], str]


class _AssignChunk(beam.DoFn):
    def __init__(self, chunk_size: int) -> None:
        self._chunk_size = chunk_size

    def process(self, keyed, sizes):
        key, row = keyed
        chunks = chunk_count(sizes[key], self._chunk_size)
        yield (key, chunk_of(row["id"], chunks), chunks), row


class _WriteChunk(beam.DoFn):
    """((key, chunk, chunks), rows) -> (key, (chunk, temporary file)): the chunk sorted.

    A file of one chunk is written whole at once (output ``WRITTEN``: (path, rows)),
    without the round trip through a chunk file.
    """

    WRITTEN = "written"

    def __init__(self, directory: str, schema: pa.Schema,
                 to_table: Callable[[list[dict], pa.Schema], pa.Table],
                 sort_keys: list[tuple[str, str]], file_name: FileName, row_group_bytes: int,
                 parquet_options: dict[str, Any], stage: str) -> None:
        self._directory, self._schema, self._to_table = directory, schema, to_table
        self._sort_keys, self._file_name, self.stage = sort_keys, file_name, stage
        self._row_group_bytes, self._options = row_group_bytes, parquet_options

    def process(self, element, present) -> Iterator[tuple[Any, Any]]:
        started = time.perf_counter()
        (key, chunk, chunks), rows = element
        table = sorted_table(list(rows), self._schema, self._to_table, self._sort_keys)
        if chunks == 1:
            final = f"{self._directory}/{self._file_name(key, present)}"
            written = write_file(final, [table], self._schema, self._row_group_bytes,
                                 self._options)
            add_time(self.stage, time.perf_counter() - started)
            yield beam.pvalue.TaggedOutput(self.WRITTEN, (final, written))
            return
        path = write_chunk(table, self._directory, f"chunk-{chunk}")
        add_time(self.stage, time.perf_counter() - started)
        yield key, (chunk, path)


class _AssembleFile(beam.DoFn):
    """(key, chunk files) -> (final path, rows), by :func:`assemble_file`."""

    def __init__(self, directory: str, schema: pa.Schema, file_name: FileName,
                 row_group_bytes: int, parquet_options: dict[str, Any], stage: str) -> None:
        self._directory, self._schema, self._file_name = directory, schema, file_name
        self._row_group_bytes, self._options, self.stage = row_group_bytes, parquet_options, stage

    def process(self, element, present):
        started = time.perf_counter()
        key, chunks = element
        final = f"{self._directory}/{self._file_name(key, present)}"
        rows = assemble_file([path for _, path in sorted(chunks)], final, self._schema,
                             self._row_group_bytes, self._options)
        add_time(self.stage, time.perf_counter() - started)
        yield final, rows


class WriteChunkedParquet(beam.PTransform):
    """(key, row) -> one Parquet file per key, as ``(path, rows)``; see the module.

    ``size_of(row)`` is what ``chunk_size`` counts; ``to_table(rows, schema)`` turns a
    chunk's rows into Arrow; ``file_name(key, present)`` names a key's file below
    ``directory``; ``parquet_options`` go to ``pq.ParquetWriter``. ``stage`` names
    the time the two steps take (``time_us.<stage>``).
    """

    def __init__(self, directory: str, schema: pa.Schema, *, file_name: FileName,
                 size_of: Callable[[dict], int], chunk_size: int,
                 to_table: Callable[[list[dict], pa.Schema], pa.Table] = rows_table,
                 sort_keys: list[tuple[str, str]] = SORT_KEYS,
                 row_group_bytes: int = 128 * MB,
                 parquet_options: dict[str, Any] | None = None, stage: str = "write") -> None:
        super().__init__()
        self._directory, self._schema, self._file_name = directory, schema, file_name
        self._size_of, self._chunk_size, self._to_table = size_of, chunk_size, to_table
        self._sort_keys, self._row_group_bytes = sort_keys, row_group_bytes
        self._options = parquet_options or {}
        self._stage = stage

    def expand(self, keyed_rows):
        size_of = self._size_of
        sizes = (
            keyed_rows
            | "Sizes" >> beam.MapTuple(lambda key, row: (key, size_of(row)))
            | "SizePerFile" >> beam.CombinePerKey(sum)
        )
        present = (
            sizes
            | "FileKeys" >> beam.Keys()
            | "AllKeys" >> beam.combiners.ToList()
            | "Sorted" >> beam.Map(sorted)
        )
        write_chunk_fn = _WriteChunk(self._directory, self._schema, self._to_table,
                                     self._sort_keys, self._file_name, self._row_group_bytes,
                                     self._options, self._stage)
        assemble_fn = _AssembleFile(self._directory, self._schema, self._file_name,
                                    self._row_group_bytes, self._options, self._stage)
        chunks = (
            keyed_rows
            | "AssignChunk" >> beam.ParDo(_AssignChunk(self._chunk_size),
                                          sizes=beam.pvalue.AsDict(sizes))
            | "GroupByChunk" >> beam.GroupByKey()
            | "WriteChunk" >> beam.ParDo(write_chunk_fn, present=beam.pvalue.AsSingleton(
                present)).with_outputs(_WriteChunk.WRITTEN, main="chunks")
        )
        assembled = (
            chunks.chunks
            | "GroupByFile" >> beam.GroupByKey()
            | "AssembleFile" >> beam.ParDo(assemble_fn, present=beam.pvalue.AsSingleton(present))
        )
        return (assembled, chunks[_WriteChunk.WRITTEN]) | "AllFiles" >> beam.Flatten()
