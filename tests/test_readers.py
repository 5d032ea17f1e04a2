"""The demo's shards open in every common reader: same row count and ids in each.

Readers: pyarrow.dataset, DuckDB read_parquet, Polars scan_parquet and Hugging Face
datasets.load_dataset("parquet", …) (offline). The demo run (tests/conftest.py)
writes three shards, so every reader also has to join files.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def run_output(demo_run):
    return demo_run


@pytest.fixture(scope="module")
def expected(run_output):
    manifest = json.loads((run_output / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(str(run_output / shard["path"]) for shard in manifest["shards"])
    assert len(files) >= 2
    return files, manifest["documents"]["out"]


def _check(ids: list[str], expected_count: int) -> None:
    assert len(ids) == expected_count == 37
    assert len(set(ids)) == len(ids)


def test_pyarrow_dataset(run_output, expected):
    import pyarrow.dataset as ds

    files, count = expected
    table = ds.dataset(run_output / "shards", format="parquet").to_table()
    _check(table.column("id").to_pylist(), count)
    assert table.schema.field("text").metadata[b"description"]
    ids = ds.dataset(files, format="parquet").to_table(columns=["id"]).column("id").to_pylist()
    assert sorted(ids) == sorted(table.column("id").to_pylist())


def test_duckdb_read_parquet(expected):
    import duckdb

    files, count = expected
    rows = duckdb.sql(f"SELECT id, n_tokens FROM read_parquet({files!r}) ORDER BY id").fetchall()
    _check([row[0] for row in rows], count)
    assert all(row[1] > 0 for row in rows)


def test_polars_scan_parquet(expected):
    import polars as pl

    files, count = expected
    frame = pl.scan_parquet(files).select("id", "n_chars").collect()
    _check(frame["id"].to_list(), count)
    assert frame["n_chars"].min() > 0


def test_huggingface_datasets_offline(expected, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    import datasets
    import pyarrow.parquet as pq

    files, count = expected
    loaded = datasets.load_dataset("parquet", data_files={"train": files},
                                   cache_dir=str(tmp_path / "cache"), split="train")
    _check(loaded["id"], count)
    assert sorted(loaded["id"]) == sorted(
        pq.ParquetDataset(files).read(columns=["id"]).column("id").to_pylist())
    assert "text" in loaded.column_names and "n_tokens" in loaded.column_names


def test_every_reader_sees_the_same_ids(run_output, expected):
    import duckdb
    import polars as pl
    import pyarrow.dataset as ds

    files, _ = expected
    arrow = sorted(ds.dataset(run_output / "shards", format="parquet")
                   .to_table(columns=["id"]).column("id").to_pylist())
    duck = [row[0] for row in duckdb.sql(
        f"SELECT id FROM read_parquet({files!r}) ORDER BY id").fetchall()]
    polars = sorted(pl.scan_parquet(files).select("id").collect()["id"].to_list())
    assert arrow == duck == polars
