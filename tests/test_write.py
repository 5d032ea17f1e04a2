"""WriteShards in process: layout, sorting, sizing, partitions, split, n_tokens, metadata."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest

import kiyome
from kiyome.policies.policy import load_policy
from kiyome.schemas.shard import SHARD_SCHEMA
from kiyome.transforms.shard_chunks import (
    chunk_count,
    chunk_of,
    row_groups,
    rows_table,
    sort_table,
    sorted_table,
)
from kiyome.transforms.tokens import MorphemeCounter, sudachi_chunks
from kiyome.transforms.write import (
    ShardLayout,
    WriteShards,
    shard_of,
    split_of,
)


def _docs(count: int) -> list[dict]:
    return [{"id": f"doc-{i:04d}", "text": f"東京都で会議を開きます。番号{i}。" * 20,
             "source": f"file:///corpus/{'mail' if i % 2 else 'hr'}/{i}.txt",
             "lang": "ja" if i % 3 else "en", "lang_score": 0.9,
             "pii_counts": {"PERSON": i % 2}, "metadata": {"n": i}} for i in range(count)]


def _write(output: Path, docs: list[dict], num_shards: int, **layout) -> list[Path]:
    with beam.Pipeline() as pipeline:
        (pipeline | beam.Create(docs)
         | WriteShards(str(output), load_policy(), num_shards, ShardLayout(**layout)))
    return sorted((output / "shards").rglob("*.parquet"))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    output = tmp_path_factory.mktemp("write")
    return output, _write(output, _docs(60), 4, row_group_mb=0.004)


def test_files_are_named_by_count_and_sorted_by_id(written):
    _, files = written
    assert [path.name for path in files] == [f"part-{i:05d}-of-00004.parquet" for i in range(4)]
    seen = []
    for path in files:
        ids = pq.read_table(path, columns=["id"]).column("id").to_pylist()
        assert ids == sorted(ids)
        assert {shard_of(doc_id, 4) for doc_id in ids} == {int(path.name[5:10])}
        seen += ids
    assert sorted(seen) == [f"doc-{i:04d}" for i in range(60)]


def test_a_shard_larger_than_a_chunk_is_written_chunk_by_chunk(tmp_path):
    """Shards of ~5,400 characters in chunks of 500: rows ordered by chunk, then id;
    every row once; no chunk file left behind."""
    files = _write(tmp_path, _docs(60), 4, chunk_chars=500, row_group_mb=0.004)
    seen = []
    for path in files:
        table = pq.read_table(path, columns=["id", "n_chars"])
        ids = table.column("id").to_pylist()
        chunks = chunk_count(sum(table.column("n_chars").to_pylist()), 500)
        assert chunks > 5
        order = [(chunk_of(doc_id, chunks), doc_id) for doc_id in ids]
        assert order == sorted(order)
        assert len({chunk for chunk, _ in order}) > 1
        seen += ids
    assert sorted(seen) == [f"doc-{i:04d}" for i in range(60)]
    assert not [path for path in (tmp_path / "shards").rglob("*") if path.name.startswith(".")]


def test_chunking_does_not_change_the_rows_only_their_order(tmp_path):
    whole = _write(tmp_path / "whole", _docs(60), 2)
    chunked = _write(tmp_path / "chunked", _docs(60), 2, chunk_chars=300)
    for one, other in zip(whole, chunked, strict=True):
        rows = sorted(pq.read_table(one).to_pylist(), key=lambda row: row["id"])
        assert rows == sorted(pq.read_table(other).to_pylist(), key=lambda row: row["id"])


@pytest.mark.parametrize("rows", [
    [{"id": "b", "text": "x", "source": "s"}, {"id": "é", "text": "x", "source": "s"},
     {"id": "B", "text": "x", "source": "s"}, {"id": "🙂", "text": "x", "source": "s"}],
    [{"id": "a", "text": None, "source": "x"}, {"id": "a", "text": "b", "source": "y"},
     {"id": "0", "text": "z", "source": None}, {"id": "a", "text": "a", "source": None},
     {"id": "a", "text": "a", "source": "s"}],
], ids=["code-point-order", "missing-values-last"])
def test_rows_sorted_in_python_come_out_in_arrows_order(rows):
    import pyarrow as pa

    schema = pa.schema([(name, pa.string()) for name in ("id", "text", "source")])
    assert sorted_table(rows, schema).to_pylist() \
        == sort_table(rows_table(rows, schema)).to_pylist()


def test_row_groups_regroup_tables_in_order_to_the_byte_target():
    import pyarrow as pa

    tables = [pa.table({"n": list(range(start, start + size))})
              for start, size in ((0, 3), (3, 50), (53, 1), (54, 20))]
    groups = list(row_groups(tables, row_group_bytes=8 * 10))  # 10 int64 rows a group
    assert [value for group in groups for value in group.column("n").to_pylist()] \
        == list(range(74))
    assert all(group.num_rows == 10 for group in groups[:-1])
    assert 0 < groups[-1].num_rows <= 10


def test_parquet_layout(written):
    _, files = written
    for path in files:
        parquet = pq.ParquetFile(path)
        assert parquet.metadata.num_row_groups > 1  # row_group_mb=0.004 -> several groups
        group = parquet.metadata.row_group(0)
        for index in range(group.num_columns):
            column = group.column(index)
            assert column.compression == "ZSTD"
            assert column.statistics is not None
            if column.path_in_schema == "text":
                assert "RLE_DICTIONARY" not in column.encodings
                assert "PLAIN_DICTIONARY" not in column.encodings
            if column.path_in_schema == "source":
                assert "RLE_DICTIONARY" in column.encodings


def test_schema_carries_column_and_file_metadata(written):
    _, files = written
    policy = load_policy()
    schema = pq.read_schema(files[0])
    assert schema.remove_metadata().equals(SHARD_SCHEMA.remove_metadata())
    for field in SHARD_SCHEMA:
        assert schema.field(field.name).metadata[b"description"] \
            == field.metadata[b"description"]
    assert schema.metadata[b"kiyome.version"] == kiyome.__version__.encode()
    assert schema.metadata[b"kiyome.policy.content_hash"] == policy.content_hash.encode()


def test_n_tokens_is_a_sudachi_morpheme_count(written):
    _, files = written
    row = pq.read_table(files[0]).to_pylist()[0]
    assert row["n_tokens"] == MorphemeCounter().count(row["text"])
    assert 0 < row["n_tokens"] < row["n_chars"]


def test_long_text_is_tokenized_in_chunks_under_the_sudachi_limit():
    text = ("会議は明日です。" * 3000 + "\n") * 3 + "長" * 40_000
    chunks = sudachi_chunks(text)
    assert "".join(chunks) == text
    assert all(len(chunk.encode("utf-8")) <= 49_149 for chunk in chunks)
    assert MorphemeCounter().count(text) > 3 * 3000 * 4


def test_empty_shards_are_not_written_and_temporaries_are_removed(tmp_path):
    leftover = tmp_path / "shards" / "lang=ja" / ".part-00000-of-00001.parquet.dead.tmp"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a file")
    files = _write(tmp_path, _docs(2), 50)
    assert not leftover.exists()
    assert [path.name for path in files] == [f"part-{i:05d}-of-00002.parquet" for i in range(2)]


def test_partition_by_lang_and_validation_split(tmp_path):
    files = _write(tmp_path, _docs(60), 2, partition_by="lang", validation_fraction=0.25)
    directories = {str(path.parent.relative_to(tmp_path / "shards")) for path in files}
    assert directories == {"split=train/lang=ja", "split=train/lang=en",
                           "split=validation/lang=ja", "split=validation/lang=en"}
    for path in files:
        table = pq.read_table(path)
        split = path.parent.parent.name.removeprefix("split=")
        assert {split_of(doc_id, 0.25) for doc_id in table.column("id").to_pylist()} == {split}
        assert set(table.column("lang").to_pylist()) == {path.parent.name.removeprefix("lang=")}
    validation = sum(pq.read_metadata(path).num_rows for path in files
                     if "split=validation" in str(path))
    assert 5 <= validation <= 25


def test_partition_by_source_prefix(tmp_path):
    files = _write(tmp_path, _docs(10), 1, partition_by="source_prefix")
    assert sorted(str(path.relative_to(tmp_path / "shards")) for path in files) == [
        "source_prefix=hr/part-00000-of-00001.parquet",
        "source_prefix=mail/part-00000-of-00001.parquet"]


def test_the_shared_tokenizer_serves_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    tokenizer = MorphemeCounter()
    text = "東京都に住んでいます。" * 100
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = set(pool.map(lambda _: tokenizer.count(text), range(64)))
    assert counts == {tokenizer.count(text)}


def test_cli_partitions_and_split_are_listed_in_the_manifest(tmp_path):
    import json

    import jsonschema

    from tests.test_e2e import run_kiyome

    completed = run_kiyome(tmp_path, "--languages", "all", "--skip", "dedup",
                           "--partition-by", "lang", "--validation-fraction", "0.5",
                           "--shard-size-mb", "64", "--row-group-mb", "64")
    assert completed.returncode == 0, completed.stderr[-3000:]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "manifest.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema)
    on_disk = sorted(str(path.relative_to(tmp_path))
                     for path in (tmp_path / "shards").rglob("*.parquet"))
    assert sorted(shard["path"] for shard in manifest["shards"]) == on_disk
    assert {path.split("/")[1] for path in on_disk} <= {"split=train", "split=validation"}
    assert {path.split("/")[2] for path in on_disk} == {"lang=ja", "lang=en", "lang=zh"}
    assert sum(shard["rows"] for shard in manifest["shards"]) == 9
    assert manifest["documents"]["accounted"] is True
