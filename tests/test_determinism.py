"""Same inputs, policy and options -> byte-identical shards under the same names."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from tests.test_e2e import run_kiyome


def _shard_files(output: Path) -> dict[str, bytes]:
    return {str(path.relative_to(output)): path.read_bytes()
            for path in sorted((output / "shards").rglob("*.parquet"))}


def test_two_runs_write_identical_shards(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for output in (first, second):
        completed = run_kiyome(output, "--num-shards", "4")
        assert completed.returncode == 0, completed.stderr[-3000:]
    shards = _shard_files(first)
    assert shards == _shard_files(second)
    names = sorted(shards)
    count = len(names)
    assert 1 <= count <= 4  # empty shards are not written; names count the written ones
    assert names == [f"shards/part-{i:05d}-of-{count:05d}.parquet" for i in range(count)]
    for name in names:
        ids = pq.read_table(first / name, columns=["id"]).column("id").to_pylist()
        assert ids == sorted(ids)
    manifest = {shard["path"]: shard for shard in
                json.loads((first / "manifest.json").read_text(encoding="utf-8"))["shards"]}
    assert sorted(manifest) == names
    for name in names:
        assert manifest[name]["bytes"] == len(shards[name])
        assert len(manifest[name]["sha256"]) == 64
    assert not [path for path in (first / "shards").rglob("*") if path.name.startswith(".")]
