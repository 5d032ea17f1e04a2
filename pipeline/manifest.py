"""The run manifest: what went in, what came out, why the rest was dropped, with what.

Counts come from the written files themselves (shard row counts, rejected
records), and ``documents.in`` from the ingest counter, so ``accounted`` is a
real check that every input ended in a shard or in ``rejected/``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

import kiyome
from kiyome.pipeline.graph import RunConfig, near_dedup
from kiyome.pipeline.provenance import models, versions
from kiyome.transforms.dedup.signatures import SIGNATURES_DIR
from kiyome.transforms.ingest import INPUT_UNITS
from kiyome.transforms.quality.boilerplate import KINDS as BOILERPLATE_KINDS
from kiyome.transforms.stage_metrics import TIME_PREFIX, stage_seconds
from kiyome.transforms.write import AUDIT_DIR, REJECTED_DIR, SHARDS_DIR

MANIFEST_NAME = "manifest.json"


def _files(output_dir: str, subdir: str, suffix: str) -> list[str]:
    pattern = f"{output_dir.rstrip('/')}/{subdir}/*{suffix}"
    matched = FileSystems.match([pattern])[0].metadata_list
    return sorted(meta.path for meta in matched)


def _relative(output_dir: str, path: str) -> str:
    return path[len(output_dir.rstrip("/")) + 1:] if path.startswith(output_dir) else path


def shard_files(output_dir: str) -> list[str]:
    """Every shard, also under partition and split directories (``shards/split=…/lang=…/``)."""
    found: set[str] = set()
    for depth in range(3):
        found.update(_files(output_dir, SHARDS_DIR + "/*" * depth, ".parquet"))
    return sorted(found)


def shard_summaries(output_dir: str) -> list[dict[str, Any]]:
    """Per shard: path, rows, row groups, bytes and SHA-256 of the file."""
    shards = []
    for path in shard_files(output_dir):
        with FileSystems.open(path) as handle:
            meta = pq.ParquetFile(handle).metadata
        digest, size = hashlib.sha256(), 0
        with FileSystems.open(path) as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        shards.append({"path": _relative(output_dir, path), "rows": meta.num_rows,
                       "row_groups": meta.num_row_groups, "bytes": size,
                       "sha256": digest.hexdigest()})
    return shards


def rejected_counts(output_dir: str) -> Counter:
    counts: Counter = Counter()
    for path in _files(output_dir, REJECTED_DIR, ".jsonl"):
        with FileSystems.open(path) as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    counts[f"{record['stage']}.{record['reason']}"] += 1
    return counts


def counter_values(beam_result) -> dict[str, int]:
    """Kiyome's Beam counters as ``{name: value}`` (committed where the runner has them)."""
    values: dict[str, int] = {}
    for counter in beam_result.metrics().query()["counters"]:
        if counter.key.metric.namespace != "kiyome":
            continue
        value = counter.committed if counter.committed is not None else counter.attempted
        values[counter.key.metric.name] = values.get(counter.key.metric.name, 0) + int(value)
    return values


def detection_summary(ner: str, counters: dict[str, int]) -> dict[str, Any]:
    """Characters read by detection and by GiNZA's NER (the gate's share).

    >>> detection_summary("gated", {"detect.chars": 2000, "detect.ner_chars": 30})
    {'ner': 'gated', 'chars': 2000, 'ner_chars': 30, 'ner_share': 0.015}
    """
    chars = counters.get("detect.chars", 0)
    ner_chars = counters.get("detect.ner_chars", 0)
    return {"ner": ner, "chars": chars, "ner_chars": ner_chars,
            "ner_share": round(ner_chars / chars, 4) if chars else None}


def dedup_shape(config: RunConfig) -> dict[str, Any]:
    """The MinHash shape the run used: bands and rows as given, or as derived.

    >>> from kiyome.policies.policy import load_policy
    >>> shape = dedup_shape(RunConfig((), "out", load_policy("default")))
    >>> shape["num_perm"], shape["ngram"], shape["bands"], shape["rows"], shape["bands_derived"]
    (128, 5, 16, 8, True)
    """
    near = near_dedup(config)
    return {"num_perm": near.num_perm, "ngram": near.ngram, "bands": near.bands,
            "rows": near.rows, "bands_derived": config.bands is None,
            "cc_rounds": near.cc_rounds, "max_bucket": near.max_bucket}


def boilerplate_summary(config: RunConfig, counters: dict[str, int]) -> dict[str, Any] | None:
    """Documents and lines per boilerplate kind, from the stage's counters; None when the
    stage did not run (``--quality-profile off``). ``quoted_reply_kept`` lines stayed.

    >>> from kiyome.policies.policy import load_policy
    >>> config = RunConfig((), "out", load_policy("default"))
    >>> summary = boilerplate_summary(config, {"boilerplate.quoted_reply": 10,
    ...                                        "boilerplate.quoted_reply.documents": 1})
    >>> summary["quoted_reply"], summary["signature"]
    ({'documents': 1, 'lines': 10}, {'documents': 0, 'lines': 0})
    >>> import dataclasses
    >>> boilerplate_summary(dataclasses.replace(config, quality_profile="off"), {}) is None
    True
    """
    if config.quality_profile == "off":
        return None
    return {kind: {"documents": counters.get(f"boilerplate.{kind}.documents", 0),
                   "lines": counters.get(f"boilerplate.{kind}", 0)} for kind in BOILERPLATE_KINDS}


def build_manifest(config: RunConfig, counters: dict[str, int], *, inputs: list[str],
                   started: str, finished: str, runner: str,
                   command: str = "") -> dict[str, Any]:
    shards = shard_summaries(config.output_dir)
    dropped = rejected_counts(config.output_dir)
    documents_out = sum(shard["rows"] for shard in shards)
    documents_dropped = sum(dropped.values())
    documents_in = counters.get(INPUT_UNITS)
    pii = {name.removeprefix("pii."): value for name, value in sorted(counters.items())
           if name.startswith("pii.")}
    return {
        "kiyome_version": kiyome.__version__,
        "started": started,
        "finished": finished,
        "runner": runner,
        "command_line": command,
        "inputs": inputs,
        "input_files": counters.get("ingest.files"),
        "options": {
            "languages": sorted(config.languages) if config.languages is not None else "all",
            "skip": sorted(config.skip),
            "min_ja_ratio": config.min_ja_ratio,
            "quality_profile": config.quality_profile,
            "near_dup_threshold": config.near_dup_threshold,
            "near_dup_keep": config.near_dup_keep,
            **dedup_shape(config),
            "dedup_against": sorted({path.rsplit("/", 2)[0] for path in config.dedup_against}),
            "num_shards": config.num_shards,
            "row_group_mb": config.shard_layout.row_group_mb,
            "partition_by": config.shard_layout.partition_by,
            "validation_fraction": config.shard_layout.validation_fraction,
        },
        "policy": {
            "name": config.policy.name,
            "version": config.policy.version,
            "mode": config.policy.mode,
            "ner": config.policy.ner,
            "confidential_terms": len(config.policy.confidential_terms),
            "source": config.policy.source,
            "content_hash": config.policy.content_hash,
        },
        "documents": {
            "in": documents_in,
            "out": documents_out,
            "dropped": documents_dropped,
            "dropped_by_reason": dict(sorted(dropped.items())),
            "accounted": documents_in == documents_out + documents_dropped,
        },
        "boilerplate": boilerplate_summary(config, counters),
        "detection": detection_summary(config.policy.ner, counters),
        "pii_masked": pii,
        "stage_seconds": stage_seconds(counters),
        "counters": {name: value for name, value in sorted(counters.items())
                     if not name.startswith(("pii.", TIME_PREFIX))},
        "shards": shards,
        "rejected": [_relative(config.output_dir, path)
                     for path in _files(config.output_dir, REJECTED_DIR, ".jsonl")],
        "audit": [_relative(config.output_dir, path)
                  for path in _files(config.output_dir, AUDIT_DIR, ".jsonl")],
        "signatures": [_relative(config.output_dir, path)
                       for path in _files(config.output_dir, SIGNATURES_DIR, ".parquet")],
        "versions": versions(),
        "models": models(),
    }


#: What differs between two runs of the same inputs, policy and options: kept out of
#: ``content_sha256``, so equal hashes mean the same run result.
VOLATILE = ("started", "finished", "stage_seconds", "content_sha256")


def content_sha256(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest without its timestamps and timings (canonical JSON).

    >>> a = content_sha256({"documents": {"in": 3}, "started": "10:00"})
    >>> a == content_sha256({"started": "11:00", "documents": {"in": 3}})
    True
    """
    stable = {key: value for key, value in manifest.items() if key not in VOLATILE}
    canonical = json.dumps(stable, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_manifest(output_dir: str, manifest: dict[str, Any]) -> str:
    """Write ``manifest.json`` with its ``content_sha256``; return its path."""
    manifest["content_sha256"] = content_sha256(manifest)
    path = f"{output_dir.rstrip('/')}/{MANIFEST_NAME}"
    with FileSystems.create(path) as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return path
