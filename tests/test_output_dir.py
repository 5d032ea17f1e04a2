"""Reproducible and atomic output: same run, same manifest hash; a killed run changes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kiyome.pipeline import output_dir
from kiyome.pipeline.inputs import UsageError
from kiyome.pipeline.manifest import VOLATILE
from tests.test_e2e import CORPUS, KIYOME, run_kiyome


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def _leftovers(directory: Path) -> list[str]:
    return [entry.name for entry in directory.parent.iterdir()
            if entry.name.startswith(f".{directory.name}.kiyome-")]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("atomic") / "out"
    completed = run_kiyome(output, "--quiet")
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output


def test_same_inputs_give_the_same_manifest_hash_and_shards(finished_run):
    before = _snapshot(finished_run)
    first = json.loads(before["manifest.json"])
    completed = run_kiyome(finished_run, "--quiet")  # --overwrite: into the same directory
    assert completed.returncode == 0, completed.stderr[-3000:]
    after = _snapshot(finished_run)
    second = json.loads(after["manifest.json"])
    assert first["content_sha256"] == second["content_sha256"]
    assert {k: v for k, v in first.items() if k not in VOLATILE} == \
        {k: v for k, v in second.items() if k not in VOLATILE}
    shards = sorted(name for name in before if name.startswith("shards/"))
    assert shards and all(before[name] == after[name] for name in shards)
    assert sorted(before) == sorted(after)
    assert _leftovers(finished_run) == []


def test_a_killed_run_leaves_the_earlier_run_whole(finished_run):
    before = _snapshot(finished_run)
    process = subprocess.Popen(
        [*KIYOME, "run", "--input", str(CORPUS), "--output", str(finished_run), "--overwrite",
         "--quiet", "--direct_num_workers=2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:  # kill it once it is writing aside: after its staging directory appeared
        for _ in range(600):
            if _leftovers(finished_run) or process.poll() is not None:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(3)  # well into reading and masking
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert _snapshot(finished_run) == before
    assert all(name.startswith(".") for name in _leftovers(finished_run))
    # The next run clears what the killed one left aside.
    completed = run_kiyome(finished_run, "--quiet")
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert _leftovers(finished_run) == []


def test_a_failed_run_removes_what_it_wrote_aside(finished_run):
    before = _snapshot(finished_run)
    completed = run_kiyome(finished_run, "--quiet", "--direct_running_mode=nonsense")
    assert completed.returncode != 0
    assert _snapshot(finished_run) == before
    assert _leftovers(finished_run) == []


def test_commit_replaces_every_entry_of_the_earlier_run(tmp_path):
    final = tmp_path / "out"
    (final / "shards").mkdir(parents=True)
    (final / "shards" / "old.parquet").write_bytes(b"old")
    (final / "signatures").mkdir()  # the new run skipped dedup: no signatures of its own
    (final / "manifest.json").write_text("{}")
    (final / "notes.txt").write_text("the user's own file")
    work = output_dir.begin(str(final), overwrite=True)
    (Path(work) / "shards").mkdir()
    (Path(work) / "shards" / "new.parquet").write_bytes(b"new")
    (Path(work) / "manifest.json").write_text('{"new": true}')
    assert sorted(os.listdir(final)) == ["manifest.json", "notes.txt", "shards", "signatures"]
    output_dir.commit(work, str(final))
    assert sorted(os.listdir(final)) == ["manifest.json", "notes.txt", "shards"]
    assert os.listdir(final / "shards") == ["new.parquet"]
    assert json.loads((final / "manifest.json").read_text()) == {"new": True}
    assert _leftovers(final) == []


def test_an_earlier_run_is_refused_without_overwrite(finished_run):
    with pytest.raises(UsageError, match="holds an earlier run"):
        output_dir.begin(str(finished_run), overwrite=False)
    assert _leftovers(finished_run) == []
