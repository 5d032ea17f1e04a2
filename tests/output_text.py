"""Everything a run wrote, as searchable text: leak checks must read Parquet decoded.

A zstd-compressed shard hides its strings from a byte search, so a naive
``value in file.read_bytes()`` check can never fail; this reads every Parquet
file's rows (all columns, metadata included) and every other file as UTF-8.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq


def written_files(output: Path) -> list[Path]:
    return sorted(path for path in output.rglob("*") if path.is_file())


def output_text(output: Path) -> str:
    """Rows of every Parquet file (as JSON) and the text of every other file under ``output``."""
    parts = []
    for path in written_files(output):
        if path.suffix == ".parquet":
            rows = pq.read_table(path).to_pylist()
            parts.append(json.dumps(rows, ensure_ascii=False, default=str))
            for key, value in (pq.read_metadata(path).metadata or {}).items():
                parts.append(f"{key.decode('utf-8', 'replace')}={value.decode('utf-8', 'replace')}")
        else:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)
