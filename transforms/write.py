"""Write: Parquet shards (zstd) with the schema from ``schemas/``, and the rejected records."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

import kiyome
from kiyome.policies.policy import Policy
from kiyome.schemas.shard import SHARD_SCHEMA, to_row
from kiyome.transforms.shard_chunks import CHUNK_CHARS, MB, WriteChunkedParquet, stable_hash
from kiyome.transforms.stage_metrics import tally
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
    #: Characters of text per sorted chunk: bounds a writing worker's memory.
    chunk_chars: int = CHUNK_CHARS


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


def shard_file_name(key: tuple[str, int], present: list[tuple[str, int]]) -> str:
    """``[partition/]part-NNNNN-of-MMMMM.parquet``, numbered among the partition's
    non-empty shards.

    >>> shard_file_name(("lang=ja", 7), [("lang=en", 0), ("lang=ja", 3), ("lang=ja", 7)])
    'lang=ja/part-00001-of-00002.parquet'
    """
    subdir, shard = key
    in_dir = [other[1] for other in present if other[0] == subdir]
    name = shard_name(in_dir.index(shard), len(in_dir))
    return f"{subdir}/{name}" if subdir else name


def shard_parquet_options(layout: ShardLayout, schema: pa.Schema) -> dict:
    """How a shard is encoded: zstd, statistics, dictionaries on every column but ``text``."""
    return {"compression": "zstd", "compression_level": layout.compression_level,
            "use_dictionary": [name for name in schema.names if name != "text"],
            "write_statistics": True, "store_schema": True}


def _text_chars(row: dict) -> int:
    return len(row["text"])


def _count_shard(written: tuple[str, int]) -> tuple[str, int]:
    Metrics.counter("kiyome", "write.shards").inc()
    tally("write.out", written[1])  # progress: rows now in finished shard files
    return written


class WriteShards(beam.PTransform):
    """Masked documents -> ``DIR/shards/[split=…/][lang=…/]part-NNNNN-of-MMMMM.parquet``.

    Deterministic: a row's shard is a stable hash of its id, rows are ordered by
    chunk and id within a shard (transforms/shard_chunks.py), and empty shards are
    not written (files are numbered by the shards that hold rows), so the same
    inputs, policy and options give the same bytes under the same names. Memory
    per worker is bounded by ``chunk_chars`` and ``row_group_mb``, not by the shard.
    """

    def __init__(self, output_dir: str, policy: Policy, num_shards: int = 1,
                 layout: ShardLayout | None = None) -> None:
        super().__init__()
        self._shards_dir = f"{output_dir.rstrip('/')}/{SHARDS_DIR}"
        self._policy_hash = policy.content_hash
        self._layout = replace(layout or ShardLayout(), num_shards=num_shards)
        self._schema = SHARD_SCHEMA.with_metadata(file_metadata(policy))

    def expand(self, docs):
        layout = self._layout
        written = (
            docs
            | "ToRow" >> beam.ParDo(ToRow(self._policy_hash, layout))
            | "Files" >> WriteChunkedParquet(
                self._shards_dir, self._schema, file_name=shard_file_name,
                size_of=_text_chars, chunk_size=layout.chunk_chars,
                row_group_bytes=int(layout.row_group_mb * MB),
                parquet_options=shard_parquet_options(layout, self._schema))
            | "Counted" >> beam.Map(_count_shard)
        )
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
