"""Leak checks shared by the end-to-end tests: planted values must not survive."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pyarrow.dataset as ds


def planted_values(tsv: Path, entities: set[str] | None = None) -> set[str]:
    """Every planted value (and its NFKC form) from a ``file/entity/value`` TSV."""
    values: set[str] = set()
    with tsv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if entities is None or row["entity"] in entities:
                values.add(row["value"])
                values.add(unicodedata.normalize("NFKC", row["value"]))
    return values


def shard_rows(output_dir: Path) -> list[dict]:
    return ds.dataset(output_dir / "shards", format="parquet").to_table().to_pylist()


def rejected_records(output_dir: Path) -> list[dict]:
    records = []
    for path in sorted((output_dir / "rejected").glob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    return records


def leaks(output_dir: Path, values: set[str]) -> list[tuple[str, str]]:
    """(where, value) for every planted value in shard text/metadata, manifest, dataset card,
    report, rejected records or audit counts."""
    found = []
    for row in shard_rows(output_dir):
        for column in ("text", "metadata"):
            found += [(f"{row['id']}:{column}", value) for value in values
                      if value in row[column]]
    people_read = [output_dir / name for name in ("manifest.json", "README.md", "report.html",
                                                  "report.json")]
    for path in [*people_read, *sorted((output_dir / "rejected").glob("*")),
                 *sorted((output_dir / "audit").glob("*"))]:
        content = path.read_text(encoding="utf-8")
        found += [(path.name, value) for value in values if value in content]
    return found
