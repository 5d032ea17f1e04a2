"""The dataset card: ``README.md`` in the output directory, in Hugging Face's format.

The YAML header (language, size category, features, splits, data files) is what
``datasets.load_dataset(DIR)`` and the Hub read; the body tells a trainer what
the data is, how it was filtered and masked, and how to load it.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import yaml

from kiyome.schemas.shard import SHARD_SCHEMA
from kiyome.transforms.write import SHARDS_DIR

#: Hugging Face's size categories: (upper bound, label).
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                   (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"),
                   (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))
ARROW_TO_HF = {pa.string(): "string", pa.int32(): "int32", pa.int64(): "int64",
               pa.float32(): "float32", pa.float64(): "float64", pa.bool_(): "bool"}


def size_category(rows: int) -> str:
    """Hugging Face's ``size_categories`` label for a row count.

    >>> [size_category(0), size_category(36), size_category(12_000)]
    ['n<1K', 'n<1K', '10K<n<100K']
    """
    for bound, label in SIZE_CATEGORIES:
        if rows < bound:
            return label
    return "n>1T"


def hf_feature(field: pa.Field) -> dict[str, Any]:
    """One ``dataset_info.features`` entry for an Arrow field (lists of structs included).

    >>> hf_feature(pa.field("n", pa.int32()))
    {'name': 'n', 'dtype': 'int32'}
    >>> hf_feature(pa.field("c", pa.list_(pa.struct([("e", pa.string())]))))
    {'name': 'c', 'list': [{'name': 'e', 'dtype': 'string'}]}
    >>> hf_feature(pa.field("q", pa.struct([("share", pa.float32())])))
    {'name': 'q', 'struct': [{'name': 'share', 'dtype': 'float32'}]}
    """
    kind = field.type
    if pa.types.is_struct(kind):
        return {"name": field.name,
                "struct": [hf_feature(kind.field(i)) for i in range(kind.num_fields)]}
    if pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
        return {"name": field.name,
                "list": [hf_feature(kind.value_type.field(i))
                         for i in range(kind.value_type.num_fields)]}
    if pa.types.is_list(kind):
        return {"name": field.name, "sequence": ARROW_TO_HF[kind.value_type]}
    return {"name": field.name, "dtype": ARROW_TO_HF[kind]}


def data_files(shard_paths: list[str]) -> list[dict[str, str]]:
    """Splits and their file globs: ``split=…`` directories, else one ``train`` split.

    >>> data_files(["shards/split=train/part-0.parquet", "shards/split=validation/p.parquet"])
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'split': 'train', 'path': 'shards/split=train/**/*.parquet'},
     {'split': 'validation', 'path': 'shards/split=validation/**/*.parquet'}]
    >>> data_files(["shards/part-00000-of-00001.parquet"])
    [{'split': 'train', 'path': 'shards/**/*.parquet'}]
    """
    splits = sorted({path.split("split=", 1)[1].split("/", 1)[0]
                     for path in shard_paths if "/split=" in path})
    if not splits:
        return [{"split": "train", "path": f"{SHARDS_DIR}/**/*.parquet"}]
    return [{"split": split, "path": f"{SHARDS_DIR}/split={split}/**/*.parquet"}
            for split in splits]


def _split_rows(manifest: dict[str, Any], split: str, single: bool) -> int:
    return sum(shard["rows"] for shard in manifest["shards"]
               if single or f"/split={split}/" in shard["path"])


def header(manifest: dict[str, Any], numbers: dict[str, Any], title: str) -> dict[str, Any]:
    files = data_files([shard["path"] for shard in manifest["shards"]])
    single = len(files) == 1 and files[0]["path"].startswith(f"{SHARDS_DIR}/**")
    languages = sorted(lang for lang, counts in numbers["languages"].items()
                       if counts["written"] and lang != "None")
    return {
        "pretty_name": f"Kiyome corpus: {title}",
        "language": languages or ["ja"],
        "license": "other",
        "size_categories": [size_category(numbers["documents"]["out"])],
        "task_categories": ["text-generation"],
        "tags": ["kiyome", "japanese", "pii-masked", "deduplicated"],
        "configs": [{"config_name": "default", "data_files": files}],
        "dataset_info": {
            "features": [hf_feature(field) for field in SHARD_SCHEMA],
            "splits": [{"name": item["split"],
                        "num_examples": _split_rows(manifest, item["split"], single)}
                       for item in files],
        },
    }


def _table(header_row: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header_row) + " |", "|" + "---|" * len(header_row)]
    lines += ["| " + " | ".join(f"{cell:,}" if isinstance(cell, int) else str(cell)
                                for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _boilerplate(kinds: dict[str, dict[str, int]]) -> str:
    """The lines removed from inside documents per kind, as a paragraph and a table.

    >>> print(_boilerplate({"quoted_reply": {"documents": 2, "lines": 26},
    ...                     "signature": {"documents": 0, "lines": 0}}))
    <BLANKLINE>
    Inside the documents kept, lines of boilerplate were removed (quoted replies only where
    another document of the run holds the quoted text; `quoted_reply_kept` lines stayed):
    <BLANKLINE>
    | kind | documents | lines |
    |---|---|---|
    | quoted_reply | 2 | 26 |
    <BLANKLINE>
    """
    rows = [[kind, counts["documents"], counts["lines"]] for kind, counts in kinds.items()
            if counts["lines"]]
    if not rows:
        return ""
    return ("\nInside the documents kept, lines of boilerplate were removed (quoted replies "
            "only where\nanother document of the run holds the quoted text; "
            "`quoted_reply_kept` lines stayed):\n\n"
            f"{_table(['kind', 'documents', 'lines'], rows)}\n")


def render_card(manifest: dict[str, Any], numbers: dict[str, Any], title: str) -> str:
    """The whole ``README.md``: YAML header, then what, how filtered, how masked, how to load."""
    policy = manifest["policy"]
    documents = numbers["documents"]
    options = manifest.get("options", {})
    lengths, tokens = numbers["length_chars"], numbers["tokens"]
    pii_rows = [[entity, ", ".join(f"{action} {count:,}" for action, count in counts.items())]
                for entity, counts in numbers["pii"].items()]
    drop_rows = [[reason, count] for reason, count in numbers["dropped_by_reason"].items()]
    columns = [[field.name, str(field.type),
                (field.metadata or {}).get(b"description", b"").decode("utf-8")]
               for field in SHARD_SCHEMA]
    front = yaml.safe_dump(header(manifest, numbers, title), allow_unicode=True,
                           sort_keys=False)
    body = f"""# Kiyome corpus: {title}

Japanese text prepared for language-model training by
Kiyome {manifest.get("kiyome_version")}: documents were read from
{manifest.get("input_files") or "the"} input files, language-identified, deduplicated and
masked for personal data, then written as zstd Parquet shards. This card, `manifest.json`
(checksums of every shard, models and policy) and `report.html` were written by the same run
(finished {manifest.get("finished")}).

## Contents

- **{documents["out"]:,} documents** in {len(manifest["shards"])} shard file(s) under
  `{SHARDS_DIR}/`, {numbers["shards"]["bytes"]:,} bytes; {lengths.get("sum", 0):,} characters,
  about {tokens.get("sum", 0):,} Sudachi tokens (`n_tokens`, for token budgets).
- Document length: median {lengths.get("p50", "–")} characters, 90th percentile
  {lengths.get("p90", "–")}, longest {lengths.get("max", "–")}.
- Rows are ordered by `id` within a shard; the same inputs, policy and options give the
  same bytes.

### Columns

{_table(["column", "type", "description"], columns)}

## How it was filtered

{documents["in"]:,} documents came in; {documents["dropped"]:,} were dropped, each with a reason
recorded in `rejected/` (ids and reason codes, never text). Languages kept:
{options.get("languages")}; near-duplicate threshold (Jaccard):
{options.get("near_dup_threshold")}.

{_table(["stage.reason", "documents"], drop_rows) if drop_rows else "Nothing was dropped."}
{_boilerplate(numbers.get("boilerplate") or {})}
## How personal data was masked

Masking policy **{policy["name"]}** version {policy["version"]} (mode {policy["mode"]},
SHA-256 `{policy["content_hash"]}`; the same hash is in every row's `policy_hash`).
Spans found per entity type and what the policy did with them:

{_table(["entity", "operators"], pii_rows) if pii_rows else "No personal data was found."}

Masking is automatic: it finds the formats and names it was built for (see the policy and
the project's measured recall), not every possible disclosure. File names in `source` are
kept as they were.

## How to load

```python
from datasets import load_dataset          # reads this card's data_files
corpus = load_dataset("path/to/{title}")   # this directory

import pyarrow.dataset as ds
table = ds.dataset("{SHARDS_DIR}", format="parquet").to_table()

import duckdb
duckdb.sql("select id, n_chars, text from '{SHARDS_DIR}/**/*.parquet' limit 5").show()

import polars as pl
frame = pl.scan_parquet("{SHARDS_DIR}/**/*.parquet").collect()
```
"""
    return f"---\n{front}---\n\n{body}"
