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


def _environments(masking_in_own_workers: bool) -> dict[str, set[str]]:
    """Environment ids of the graph's leaf transforms, by their top-level stage."""
    import apache_beam as beam

    from kiyome.pipeline import graph
    from kiyome.pipeline.graph import RunConfig
    from kiyome.policies.policy import load_policy

    pipeline = beam.Pipeline(runner="FnApiRunner")
    graph.build(pipeline, RunConfig(("memo.txt",), "out", load_policy("default"),
                                    masking_in_own_workers=masking_in_own_workers))
    transforms = pipeline.to_runner_api().components.transforms
    by_stage: dict[str, set[str]] = {}
    for transform in transforms.values():
        if transform.environment_id and not transform.subtransforms:
            stage = transform.unique_name.split("/")[0]
            by_stage.setdefault(stage, set()).add(transform.environment_id)
    return by_stage


def test_masking_runs_in_workers_of_its_own_when_asked():
    apart = _environments(True)
    (masking,) = apart["MaskPii"]
    others = set().union(*(envs for stage, envs in apart.items() if stage != "MaskPii"))
    assert masking not in others and len(others) == 1
    together = _environments(False)
    assert len(set().union(*together.values())) == 1
