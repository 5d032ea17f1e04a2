"""The numbers of a finished run, read back from its output directory.

Everything comes from files the run wrote (manifest, shards, rejected
records), so ``kiyome report DIR`` rebuilds the same numbers later, on any
machine. Shards are read a column at a time: text is never loaded. Only
counts, lengths and reason codes are kept; rejected records hold no text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from kiyome.pipeline.manifest import MANIFEST_NAME, shard_files
from kiyome.transforms.write import REJECTED_DIR

#: Stages that reject documents, in pipeline order (unknown ones go before ``pii``).
FUNNEL_ORDER = ("ingest", "normalize", "langid", "boilerplate", "quality", "dedup", "pii")
#: Shard columns the report reads: small, never the text.
COLUMNS = ("lang", "n_chars", "n_tokens", "dup_cluster_size")
QUANTILES = (0.5, 0.9, 0.99)


def read_manifest(output_dir: str) -> dict[str, Any]:
    path = f"{output_dir.rstrip('/')}/{MANIFEST_NAME}"
    if not FileSystems.exists(path):
        raise FileNotFoundError(f"{path} not found: is {output_dir} the --output of a "
                                "finished kiyome run?")
    with FileSystems.open(path) as handle:
        return json.loads(handle.read().decode("utf-8"))


def funnel(documents_in: int, dropped_by_reason: dict[str, int]) -> list[dict[str, Any]]:
    """Documents left after each stage: the input count less each stage's rejections.

    >>> funnel(10, {"langid.lang_not_allowed": 3, "dedup.exact_duplicate": 1})
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'stage': 'input', 'documents': 10, 'dropped': 0},
     {'stage': 'langid', 'documents': 7, 'dropped': 3},
     {'stage': 'dedup', 'documents': 6, 'dropped': 1}]
    """
    per_stage: Counter = Counter()
    for key, count in dropped_by_reason.items():
        per_stage[key.split(".", 1)[0]] += count
    order = list(FUNNEL_ORDER)
    for stage in sorted(set(per_stage) - set(order)):
        order.insert(order.index("pii"), stage)
    rows = [{"stage": "input", "documents": documents_in, "dropped": 0}]
    left = documents_in
    for stage in order:
        if per_stage[stage]:
            left -= per_stage[stage]
            rows.append({"stage": stage, "documents": left, "dropped": per_stage[stage]})
    return rows


def _rejected_languages(output_dir: str) -> Counter:
    """Languages of documents language ID rejected (their records carry the code)."""
    found: Counter = Counter()
    pattern = f"{output_dir.rstrip('/')}/{REJECTED_DIR}/*.jsonl"
    for meta in FileSystems.match([pattern])[0].metadata_list:
        with FileSystems.open(meta.path) as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if record.get("stage") == "langid":
                        found[str(record.get("detail", {}).get("lang", "unknown"))] += 1
    return found


def _shard_columns(output_dir: str) -> dict[str, np.ndarray | Counter]:
    """Language counts, and lengths/token counts/cluster sizes of every written row."""
    languages: Counter = Counter()
    parts: dict[str, list[np.ndarray]] = {"n_chars": [], "n_tokens": [], "dup_cluster_size": []}
    for path in shard_files(output_dir):
        with FileSystems.open(path) as handle:
            shard = pq.ParquetFile(handle)
            present = [name for name in COLUMNS if name in shard.schema_arrow.names]
            for group in range(shard.num_row_groups):
                table = shard.read_row_group(group, columns=present)
                if "lang" in present:
                    languages.update(str(v) for v in table.column("lang").to_pylist())
                for name in parts:
                    if name in present:
                        column = table.column(name).drop_null().to_numpy()
                        parts[name].append(column.astype(np.int64))
    arrays = {name: np.concatenate(chunks) if chunks else np.zeros(0, np.int64)
              for name, chunks in parts.items()}
    return {"languages": languages, **arrays}


def distribution(values: np.ndarray) -> dict[str, Any]:
    """Count, sum, mean and exact quantiles of a column.

    >>> distribution(np.array([1, 2, 3, 4, 100]))["p50"]
    3
    """
    if not len(values):
        return {"count": 0}
    summary: dict[str, Any] = {"count": len(values), "sum": int(values.sum()),
                               "min": int(values.min()), "max": int(values.max()),
                               "mean": round(float(values.mean()), 1)}
    for q in QUANTILES:
        summary[f"p{round(q * 100)}"] = int(np.quantile(values, q, method="lower"))
    return summary


def length_histogram(n_chars: np.ndarray) -> list[dict[str, int]]:
    """Documents per power-of-two length bucket: [lo, hi) characters.

    >>> length_histogram(np.array([1, 3, 3, 900]))
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'from': 1, 'to': 2, 'documents': 1}, {'from': 2, 'to': 4, 'documents': 2},
     {'from': 512, 'to': 1024, 'documents': 1}]
    """
    if not len(n_chars):
        return []
    exponents = np.floor(np.log2(np.maximum(n_chars, 1))).astype(np.int64)
    counts = np.bincount(exponents)
    return [{"from": 1 << int(e), "to": 1 << (int(e) + 1), "documents": int(c)}
            for e, c in enumerate(counts) if c]


def cluster_sizes(sizes: np.ndarray) -> list[dict[str, int]]:
    """Written documents per near-duplicate group size (1: no duplicate).

    >>> cluster_sizes(np.array([1, 1, 3]))
    [{'size': 1, 'groups': 2}, {'size': 3, 'groups': 1}]
    """
    counts = Counter(int(size) for size in sizes)
    return [{"size": size, "groups": counts[size]} for size in sorted(counts)]


def pii_table(pii_masked: dict[str, int]) -> dict[str, dict[str, int]]:
    """``{"PERSON.replace": 3}`` -> ``{"PERSON": {"replace": 3}}``.

    >>> pii_table({"PERSON.replace": 3, "PERSON.keep": 1, "JP_MY_NUMBER.redact": 2})
    {'JP_MY_NUMBER': {'redact': 2}, 'PERSON': {'keep': 1, 'replace': 3}}
    """
    table: dict[str, dict[str, int]] = {}
    for key in sorted(pii_masked):
        entity, _, action = key.rpartition(".")
        table.setdefault(entity, {})[action] = pii_masked[key]
    return table


def _wall_seconds(manifest: dict[str, Any]) -> float | None:
    try:
        started = dt.datetime.fromisoformat(manifest["started"])
        finished = dt.datetime.fromisoformat(manifest["finished"])
    except (KeyError, TypeError, ValueError):
        return None
    return (finished - started).total_seconds()


def collect(output_dir: str) -> dict[str, Any]:
    """Every number of ``report.json``: counts only, no text, no values."""
    manifest = read_manifest(output_dir)
    documents = manifest["documents"]
    columns = _shard_columns(output_dir)
    rejected_languages = _rejected_languages(output_dir)
    languages = {lang: {"written": columns["languages"][lang],
                        "dropped": rejected_languages[lang]}
                 for lang in sorted(set(columns["languages"]) | set(rejected_languages))}
    return {
        "run": {
            "kiyome_version": manifest.get("kiyome_version"),
            "started": manifest.get("started"),
            "finished": manifest.get("finished"),
            "wall_seconds": _wall_seconds(manifest),
            "runner": manifest.get("runner"),
            "command_line": manifest.get("command_line"),
            "inputs": manifest.get("inputs"),
        },
        "policy": manifest["policy"],
        "documents": {key: documents[key] for key in ("in", "out", "dropped", "accounted")},
        "funnel": funnel(documents["in"] or 0, documents["dropped_by_reason"]),
        "dropped_by_reason": documents["dropped_by_reason"],
        "boilerplate": manifest.get("boilerplate") or {},
        "languages": languages,
        "length_chars": distribution(columns["n_chars"]),
        "length_histogram": length_histogram(columns["n_chars"]),
        "tokens": distribution(columns["n_tokens"]),
        "duplicate_clusters": cluster_sizes(columns["dup_cluster_size"]),
        "pii": pii_table(manifest.get("pii_masked", {})),
        "detection": manifest.get("detection"),
        "stage_seconds": manifest.get("stage_seconds", {}),
        "shards": {"files": len(manifest["shards"]),
                   "bytes": sum(shard["bytes"] for shard in manifest["shards"])},
        "models": manifest.get("models"),
    }
