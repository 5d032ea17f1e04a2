"""Shared test helpers: run one transform through Beam's in-process FnApiRunner."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from typing import Any

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that

from kiyome.transforms.records import REJECTED

#: Outputs collected by the matchers, keyed by run; matchers are pickled, so
#: they reach this dict through the module, not through a captured list.
_COLLECTED: dict[str, list] = {}


def _collect(key: str, actual: list) -> None:
    _COLLECTED.setdefault(key, []).extend(actual)


def run_stage(transform: beam.PTransform, elements: Iterable[Any]) -> tuple[list, list]:
    """Run a stage on ``elements``; return (documents, rejections) it produced.

    In-process FnApiRunner: the matchers below run in this process, so they can
    collect into plain lists.
    """
    run = uuid.uuid4().hex
    options = PipelineOptions(["--runner=FnApiRunner"])
    with beam.Pipeline(options=options) as pipeline:
        result = pipeline | beam.Create(list(elements)) | transform
        assert_that(result.docs, functools.partial(_collect, f"{run}/docs"), label="Docs")
        assert_that(result[REJECTED], functools.partial(_collect, f"{run}/rejected"),
                    label="Rejected")
    return _COLLECTED.pop(f"{run}/docs", []), _COLLECTED.pop(f"{run}/rejected", [])


@pytest.fixture
def stage_runner():
    return run_stage


@pytest.fixture(scope="session")
def nlp():
    """GiNZA exactly as the analyzer loads it (tokens with Sudachi tags, ENE entities)."""
    from kiyome.transforms.pii.detect import GinzaNlpEngine

    engine = GinzaNlpEngine()
    engine.load()
    return engine


@pytest.fixture(scope="session")
def demo_run_result(tmp_path_factory):
    """``kiyome run`` on the demo corpus (examples/), JSON logs: (output dir, completed process)."""
    from pathlib import Path

    from tests.test_e2e import run_kiyome

    output = tmp_path_factory.mktemp("demo")
    completed = run_kiyome(output, "--log-format", "json",
                           corpus=Path(__file__).parents[1] / "examples" / "corpus")
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output, completed


@pytest.fixture(scope="session")
def demo_run(demo_run_result):
    return demo_run_result[0]
