"""Per-stage tallies and the live progress display of a local run."""

from __future__ import annotations

import io
import json
import os
import time

from apache_beam.pvalue import TaggedOutput

from kiyome.pipeline.progress import Progress, read_tallies
from kiyome.transforms import stage_metrics
from kiyome.transforms.stage_metrics import PROGRESS_DIR_ENV, snapshot, timed


class _Stage:
    @timed("test_stage")
    def process(self, element):
        yield element
        yield TaggedOutput("rejected", element)
        yield element


class _Helper:
    @timed("test_stage", count=False)
    def process(self, element):
        yield element


def test_timed_counts_documents_in_and_out_but_not_rejections():
    before = snapshot()
    list(_Stage().process("a"))
    list(_Stage().process(["b", "c"]))  # a batch counts its documents
    list(_Helper().process("d"))
    after = snapshot()
    assert after.get("test_stage.in", 0) - before.get("test_stage.in", 0) == 3
    assert after.get("test_stage.out", 0) - before.get("test_stage.out", 0) == 4


def test_timed_keeps_outputs_in_order():
    outputs = list(_Stage().process("x"))
    assert outputs[0] == "x" and isinstance(outputs[1], TaggedOutput) and outputs[2] == "x"


def test_tally_file_appears_in_the_progress_directory(tmp_path, monkeypatch):
    monkeypatch.setenv(PROGRESS_DIR_ENV, str(tmp_path))
    list(_Stage().process("y"))
    path = tmp_path / f"{os.getpid()}.json"
    for _ in range(100):
        if path.exists() and json.loads(path.read_text()).get("test_stage.out"):
            break
        time.sleep(0.1)
    assert json.loads(path.read_text())["test_stage.out"] >= 2
    assert stage_metrics._writer is not None and stage_metrics._writer.daemon


def test_terminal_display_redraws_one_line_and_cleans_up():
    stream = io.StringIO()
    previous = os.environ.get(PROGRESS_DIR_ENV)
    with Progress("tty", stream=stream) as progress:
        directory = progress.directory
        assert os.environ[PROGRESS_DIR_ENV] == directory
        (open(os.path.join(directory, "101.json"), "w")
         .write(json.dumps({"ingest.out": 3, "pii.out": 1})))
        (open(os.path.join(directory, "102.json"), "w")
         .write(json.dumps({"ingest.out": 4})))
        assert read_tallies(directory)["ingest.out"] == 7
    shown = stream.getvalue()
    assert "\r\x1b[2Kread 7 · masked 1 · 0:0" in shown and shown.endswith("\n")
    assert not os.path.exists(directory)
    assert os.environ.get(PROGRESS_DIR_ENV) == previous


def test_off_mode_sets_nothing(monkeypatch):
    monkeypatch.delenv(PROGRESS_DIR_ENV, raising=False)
    with Progress("off") as progress:
        assert progress.directory is None
        assert PROGRESS_DIR_ENV not in os.environ
