"""One worker process or two: the same shards, byte for byte (multi_processing)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kiyome.pipeline.cli import main

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


def _run(output: Path, workers: int) -> dict[str, str]:
    code = main(["run", "--input", str(CORPUS), "--output", str(output), "--num-shards", "3",
                 "--direct_running_mode=multi_processing", f"--direct_num_workers={workers}"])
    assert code == 0
    return {str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((output / "shards").rglob("*.parquet"))}


def test_one_and_two_workers_write_identical_shards(tmp_path):
    one = _run(tmp_path / "one", 1)
    two = _run(tmp_path / "two", 2)
    assert one and one == two
    documents = [json.loads((tmp_path / name / "manifest.json").read_text(encoding="utf-8"))
                 ["documents"] for name in ("one", "two")]
    assert documents[0] == documents[1] and documents[0]["out"] > 0
