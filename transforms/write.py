"""Write: Parquet shards (zstd) with the schema from ``schemas/``, and the rejected records."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

import kiyome
from kiyome.policies.policy import Policy
from kiyome.schemas.shard import SHARD_SCHEMA, to_row
from kiyome.transforms.stage_metrics import tally, timed
from kiyome.transforms.tokens import MorphemeCounter

SHARDS_DIR = "shards"
REJECTED_DIR = "rejected"
AUDIT_DIR = "audit"


def file_metadata(policy: Policy) -> dict[str, str]:
    """Key-value metadata of every shard file: who made it, under which policy."""
    return {
        "kiyome.version": kiyome.__version__,
        "kiyome.policy.name": policy.name,
        "kiyome.policy.version": policy.version,
        "kiyome.policy.mode": policy.mode,
        "kiyome.policy.content_hash": policy.content_hash,
    }


def shard_prefix(output_dir: str) -> str:
    return f"{output_dir.rstrip('/')}/{SHARDS_DIR}/part"


def rejected_prefix(output_dir: str) -> str:
    return f"{output_dir.rstrip('/')}/{REJECTED_DIR}/rejected"


MB = 1024 * 1024
#: Split values: ``--validation-fraction`` sends this share of ids to ``split=validation``.
TRAIN, VALIDATION = "train", "validation"
PARTITION_KEYS = ("lang", "source_prefix")


@dataclass(frozen=True)
class ShardLayout:
    """How rows are spread over files: shards, partitions, split, Parquet layout."""

    num_shards: int = 1
    row_group_mb: float = 128.0
    compression_level: int = 3
    partition_by: str | None = None
    validation_fraction: float = 0.0


def stable_hash(value: str, seed: int = 0) -> int:
    """A 64-bit hash of ``value`` that is the same in every process and Python version.

    >>> stable_hash("doc-1") == stable_hash("doc-1")
    True
    """
    return xxhash.xxh64_intdigest(value.encode("utf-8"), seed=seed)


def shard_of(doc_id: str, num_shards: int) -> int:
    """The shard of a document: its id's stable hash modulo the shard count.

    >>> [shard_of("doc-1", 1), 0 <= shard_of("doc-1", 12) < 12]
    [0, True]
    """
    return stable_hash(doc_id) % num_shards


def split_of(doc_id: str, validation_fraction: float) -> str:
    """``validation`` for a fraction of ids (by a hash independent of the shard's), else train.

    >>> split_of("doc-1", 0.0), split_of("doc-1", 1.0)
    ('train', 'validation')
    """
    bucket = stable_hash(doc_id, seed=0x5EED) % 1_000_000
    return VALIDATION if bucket < round(validation_fraction * 1_000_000) else TRAIN


def source_prefix(source: str) -> str:
    """The first directory of a source below the common input root, else its scheme/host.

    Without knowing the input root, the prefix is the parent directory's name:
    >>> source_prefix("file:///data/corpus/mail/a.eml")
    'mail'
    >>> source_prefix("gs://bucket/x.jsonl")
    'bucket'
    """
    path = source.split("://", 1)[-1].split("!", 1)[0].rstrip("/")
    parts = [part for part in path.split("/") if part]
    return parts[-2] if len(parts) >= 2 else (parts[0] if parts else "unknown")


def _partition_value(value: str | None) -> str:
    """A directory-safe partition value (``__null__`` for a missing one)."""
    if value is None or value == "":
        return "__null__"
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in value)


def partition_dir(row: dict, layout: ShardLayout) -> str:
    """The subdirectory of ``shards/`` a row belongs to ('' without partitioning or split).

    >>> partition_dir({"id": "a", "lang": "ja"}, ShardLayout(partition_by="lang"))
    'lang=ja'
    >>> partition_dir({"id": "a", "lang": "ja"}, ShardLayout(validation_fraction=1.0))
    'split=validation'
    """
    parts = []
    if layout.validation_fraction > 0:
        parts.append(f"split={split_of(row['id'], layout.validation_fraction)}")
    if layout.partition_by == "lang":
        parts.append(f"lang={_partition_value(row.get('lang'))}")
    elif layout.partition_by == "source_prefix":
        parts.append(f"source_prefix={_partition_value(source_prefix(row['source']))}")
    return "/".join(parts)


def shard_name(index: int, count: int) -> str:
    """The file name of shard ``index`` of ``count`` (both counting non-empty shards only).

    >>> shard_name(0, 12)
    'part-00000-of-00012.parquet'
    """
    return f"part-{index:05d}-of-{count:05d}.parquet"


class ToRow(beam.DoFn):
    """Masked document -> shard row, with ``n_tokens`` from Sudachi (built in setup),
    unless the PII stage already counted the final text's morphemes."""

    def __init__(self, policy_hash: str, layout: ShardLayout) -> None:
        self._policy_hash = policy_hash
        self._layout = layout
        self._shared = Shared()
        self._tokenizer: MorphemeCounter | None = None

    def setup(self) -> None:
        self._tokenizer = self._shared.acquire(MorphemeCounter)

    def process(self, doc):  # cheap per row: timed and counted where shards are written
        # The PII stage passes the count on when its Sudachi pass saw the final text whole.
        n_tokens = doc.get("n_tokens")
        if n_tokens is None:
            n_tokens = self._tokenizer.count(doc["text"])
        row = to_row(doc, self._policy_hash, n_tokens=n_tokens)
        key = (partition_dir(row, self._layout), shard_of(row["id"], self._layout.num_shards))
        yield key, row


def _row_group_rows(table: pa.Table, row_group_bytes: int) -> int:
    """Rows per row group so that a group holds about ``row_group_bytes`` uncompressed."""
    if table.num_rows == 0:
        return 1
    per_row = max(1, table.nbytes // table.num_rows)
    return max(1, row_group_bytes // per_row)


def write_parquet(handle, table: pa.Table, layout: ShardLayout,
                  order: pa.Array | None = None) -> None:
    """One shard file: zstd, statistics, no dictionary on ``text``, sized row groups.

    ``order`` (row indices) is applied one row group at a time, so sorting costs
    one row group of memory on top of the table.
    """
    dictionary_columns = [name for name in table.schema.names if name != "text"]
    rows_per_group = _row_group_rows(table, int(layout.row_group_mb * MB))
    if order is None:
        order = pa.array(range(table.num_rows), type=pa.int64())
    with pq.ParquetWriter(handle, table.schema, compression="zstd",
                          compression_level=layout.compression_level,
                          use_dictionary=dictionary_columns, write_statistics=True,
                          store_schema=True) as writer:
        for start in range(0, table.num_rows, rows_per_group):
            group = table.take(order[start:start + rows_per_group])
            writer.write_table(group, row_group_size=group.num_rows)


class WriteShard(beam.DoFn):
    """(partition, shard) and its rows -> one file, rows sorted by ``id``.

    Memory (a known limit): the rows of one shard are held as Arrow columns while
    they are sorted -- about the shard's uncompressed size, a few GB for a 512 MB
    shard, plus one row group while writing; no external sort. Lower
    ``--shard-size-mb`` if workers run short. The file is written under a hidden
    temporary name (``.part-….tmp``, ignored by readers) and renamed, so a retried
    bundle never leaves half a file under a shard's name.
    """

    BATCH_ROWS = 10_000

    def __init__(self, shards_dir: str, schema: pa.Schema, layout: ShardLayout) -> None:
        self._shards_dir = shards_dir
        self._schema = schema
        self._layout = layout

    @timed("write", count=False)
    def process(self, element, present):
        (subdir, shard), rows = element
        in_dir = [key[1] for key in present if key[0] == subdir]
        name = shard_name(in_dir.index(shard), len(in_dir))
        batches, pending = [], []
        for row in rows:
            pending.append(row)
            if len(pending) >= self.BATCH_ROWS:
                batches.append(pa.RecordBatch.from_pylist(pending, schema=self._schema))
                pending = []
        if pending:
            batches.append(pa.RecordBatch.from_pylist(pending, schema=self._schema))
        table = pa.Table.from_batches(batches, schema=self._schema)
        keys = [("id", "ascending"), ("text", "ascending"), ("source", "ascending")]
        order = pc.sort_indices(table, sort_keys=keys)
        directory = f"{self._shards_dir}/{subdir}" if subdir else self._shards_dir
        final = f"{directory}/{name}"
        temporary = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
        with FileSystems.create(temporary) as handle:
            write_parquet(handle, table, self._layout, order)
        if FileSystems.exists(final):
            FileSystems.delete([final])
        FileSystems.rename([temporary], [final])
        Metrics.counter("kiyome", "write.shards").inc()
        tally("write.out", table.num_rows)  # progress: rows now in finished shard files
        yield final, table.num_rows


class WriteShards(beam.PTransform):
    """Masked documents -> ``DIR/shards/[split=…/][lang=…/]part-NNNNN-of-MMMMM.parquet``.

    Deterministic: a row's shard is a stable hash of its id, rows are sorted by id
    within a shard, and empty shards are not written (files are numbered by the
    shards that hold rows), so the same inputs, policy and options give the same
    bytes under the same names.
    """

    def __init__(self, output_dir: str, policy: Policy, num_shards: int = 1,
                 layout: ShardLayout | None = None) -> None:
        super().__init__()
        self._shards_dir = f"{output_dir.rstrip('/')}/{SHARDS_DIR}"
        self._policy_hash = policy.content_hash
        self._layout = replace(layout or ShardLayout(), num_shards=num_shards)
        self._schema = SHARD_SCHEMA.with_metadata(file_metadata(policy))

    def expand(self, docs):
        grouped = (
            docs
            | "ToRow" >> beam.ParDo(ToRow(self._policy_hash, self._layout))
            | "GroupByShard" >> beam.GroupByKey()
        )
        present = (
            grouped
            | "ShardKeys" >> beam.Keys()
            | "AllKeys" >> beam.combiners.ToList()
            | "Sorted" >> beam.Map(sorted)
        )
        written = grouped | "WriteShard" >> beam.ParDo(
            WriteShard(self._shards_dir, self._schema, self._layout),
            present=beam.pvalue.AsSingleton(present))
        (
            written
            | "CountWritten" >> beam.combiners.Count.Globally()
            | "RemoveTemporaries" >> beam.Map(remove_temporaries, self._shards_dir)
        )
        return written


def remove_temporaries(_, shards_dir: str) -> int:
    """Delete the ``.tmp`` files failed attempts left under ``shards_dir``; how many."""
    try:
        found = FileSystems.match([f"{shards_dir}/**.tmp"])[0].metadata_list
    except Exception:  # no shards directory: nothing written, nothing to clean
        return 0
    if found:
        FileSystems.delete([meta.path for meta in found])
    return len(found)


class WriteRejected(beam.PTransform):
    """Rejection records -> ``DIR/rejected/rejected-NNNNN-of-MMMMM.jsonl`` (never text)."""

    def __init__(self, output_dir: str) -> None:
        super().__init__()
        self._prefix = rejected_prefix(output_dir)

    def expand(self, rejections):
        return (
            rejections
            | "ToJson" >> beam.Map(
                lambda record: json.dumps(record, ensure_ascii=False, sort_keys=True)
            )
            | "WriteJsonl" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=".jsonl", num_shards=1
            )
        )


class WriteAudit(beam.PTransform):
    """((source, entity, action), count) -> ``DIR/audit/pii_counts-*.jsonl``, summed.

    What the PII stage did per input file: counts, never values.
    """

    def __init__(self, output_dir: str) -> None:
        super().__init__()
        self._prefix = f"{output_dir.rstrip('/')}/{AUDIT_DIR}/pii_counts"

    def expand(self, counts):
        return (
            counts
            | "Sum" >> beam.CombinePerKey(sum)
            | "ToJson" >> beam.MapTuple(lambda key, count: json.dumps(
                {"source": key[0], "entity": key[1], "action": key[2], "count": count},
                ensure_ascii=False, sort_keys=True))
            | "WriteJsonl" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=".jsonl", num_shards=1
            )
        )
