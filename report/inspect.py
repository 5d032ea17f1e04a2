"""``kiyome inspect DIR``: the schema, the counts and a few rows of a finished run.

The rows are read from the shards, so their text is the masked text; it is
cut to ``TEXT_CHARS`` characters so a terminal stays readable.
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from kiyome.pipeline.manifest import shard_files
from kiyome.report.numbers import read_manifest

TEXT_CHARS = 80
SAMPLE_COLUMNS = ("id", "lang", "n_chars", "n_tokens", "pii_total", "text")


def _one_line(text: str, limit: int = TEXT_CHARS) -> str:
    """Newlines shown as ⏎, cut at ``limit`` characters.

    >>> _one_line("件名：会議\\n＜氏名＞様", 8)
    '件名：会議⏎＜…'
    """
    flat = text.replace("\r\n", "\n").replace("\n", "⏎")
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def inspect(output_dir: str, rows: int = 3) -> str:
    manifest = read_manifest(output_dir)
    shards = shard_files(output_dir)
    lines = [f"run       {output_dir}  (kiyome {manifest.get('kiyome_version')}, "
             f"finished {manifest.get('finished')})"]
    policy = manifest["policy"]
    lines.append(f"policy    {policy['name']} {policy['version']} "
                 f"({policy['content_hash'][:12]})")
    documents = manifest["documents"]
    lines.append(f"documents {documents['in']} in, {documents['out']} written, "
                 f"{documents['dropped']} dropped; accounted: {documents['accounted']}")
    lines.append(f"shards    {len(shards)} files, "
                 f"{sum(s['rows'] for s in manifest['shards'])} rows")
    if not shards:
        return "\n".join(lines)
    with FileSystems.open(shards[0]) as handle:
        shard = pq.ParquetFile(handle)
        schema = shard.schema_arrow
        sample = shard.read_row_group(0, columns=list(SAMPLE_COLUMNS)).slice(0, rows)
    lines += ["", "schema"]
    width = max(len(field.name) for field in schema)
    for field in schema:
        description = (field.metadata or {}).get(b"description", b"").decode("utf-8")
        lines.append(f"  {field.name:<{width}}  {field.type!s:<40}  {description}")
    lines += ["", f"first {sample.num_rows} rows of {shards[0].rsplit('/', 1)[-1]}"]
    for row in sample.to_pylist():
        head = {name: row[name] for name in SAMPLE_COLUMNS if name != "text"}
        lines.append(f"  {json.dumps(head, ensure_ascii=False)}")
        lines.append(f"    {_one_line(row['text'])}")
    return "\n".join(lines)
