"""Write: Parquet shards (zstd) with the schema from ``schemas/``, and the rejected records."""

from __future__ import annotations

import json

import apache_beam as beam

import kiyome
from kiyome.policies.policy import Policy
from kiyome.schemas.shard import SHARD_SCHEMA, to_row

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


class WriteShards(beam.PTransform):
    """Masked documents -> ``DIR/shards/part-NNNNN-of-MMMMM.parquet``."""

    def __init__(self, output_dir: str, policy: Policy, num_shards: int = 1) -> None:
        super().__init__()
        self._prefix = shard_prefix(output_dir)
        self._policy_hash = policy.content_hash
        self._num_shards = num_shards
        self._schema = SHARD_SCHEMA.with_metadata(file_metadata(policy))

    def expand(self, docs):
        policy_hash = self._policy_hash
        return (
            docs
            | "ToRow" >> beam.Map(to_row, policy_hash)
            | "WriteParquet" >> beam.io.WriteToParquet(
                self._prefix,
                schema=self._schema,
                codec="zstd",
                file_name_suffix=".parquet",
                num_shards=self._num_shards,
            )
        )


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
