"""The suite's plumbing and the shape of results.json, from a tiny offline run (no timings).

The stage and pipeline runners are replaced by fakes with the real result
shape, except language ID, which runs for real on a few documents; the memory
sampler is checked against real child processes.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from bench import e2e, measure, report, run, scaling
from bench.corpus import SourceDoc

RATIO_KEYS = {"langid_vs_fasttext", "minhash_vs_datasketch", "pii_vs_presidio_ginza",
              "parquet_vs_pyarrow", "end_to_end_chars_per_s_per_core", "peak_rss_mb_per_worker"}


def _source(out: Path) -> list[SourceDoc]:
    return [SourceDoc(f"pkg/doc{i:03d}", f"これは{i}番目の文書です。\n\n" + "本文の段落です。" * 40)
            for i in range(200)]


def _fake_stage(stage, pool, docs, rounds):
    side = {"chars_per_s_per_core": 1000, "docs_per_s_per_core": 1.0, "peak_rss_mb": 100}
    if stage == "langid":  # the real one: cheap, offline, in its own process
        return run.run_stage(stage, pool, 20, 2)
    result = {"docs": docs, "chars": docs * 100, "rounds": rounds, "kiyome": side,
              "reference": {**side, "name": "ref"}, "ratio": 1.0}
    if stage == "parquet":
        result["ratio_counting_n_tokens"] = 0.9
    return result


def _fake_pipeline(corpus, output, workers, chars, docs, log):
    seconds = 10.0 + 0.5 * docs / workers
    return {"workers": workers, "docs_in": docs, "chars_in": chars, "seconds": seconds,
            "returncode": 0, "log": str(log), "chars_per_s_per_core": round(chars / seconds),
            "docs_per_s_per_core": docs / seconds, "cpu_seconds": seconds * workers,
            "chars_per_cpu_s": round(chars / seconds / workers),
            "peak_rss_mb_per_worker": 1000, "peak_rss_mb_workers": [1000] * workers}


def test_tiny_run_writes_every_section_and_the_flat_ratios(tmp_path):
    args = argparse.Namespace(out=tmp_path, docs=10, quick=True, budget_min=14.0,
                              results=tmp_path / "results.json")
    results = run.run_suite(args, fetch=_source, stage_runner=_fake_stage,
                            pipeline_runner=_fake_pipeline)
    json.dumps(results)  # serialisable
    assert RATIO_KEYS <= set(results["ratios"])
    assert all(isinstance(results["ratios"][key], int | float) for key in RATIO_KEYS)
    langid = results["stages"]["langid"]
    assert "error" not in langid, langid
    assert langid["ratio"] > 0 and langid["kiyome"]["chars_per_s_per_core"] > 0
    assert {"cpu_model", "cores", "ram_gb"} <= set(results["machine"])
    assert {"python", "apache-beam", "pyarrow", "fasttext-predict"} <= set(results["versions"])
    scales = results["corpus"]["scales"]
    assert [scales[k]["docs"] for k in ("x1", "x4", "x16")] == [10, 40, 160]
    assert all(scales[k]["share_with_planted_pii"] == 0.3 for k in scales)
    assert set(results["end_to_end"]) == {"x1_w2", "x4_w2", "x16_w2", "x4_w1",
                                          "x1_w2_repeat", "x4_w2_repeat"}
    assert results["scaling"]["cost_flat_within_20pct"] is True  # linear fake: flat net cost
    assert results["date"] and results["duration_s"] is not None
    assert all("met" in check for check in results["targets"].values())
    printed = report.table(results)
    assert "langid" in printed and "x16_w2" in printed


def test_sizing_lowers_the_base_to_fit_the_budget_and_says_why():
    docs, why = run.e2e_plan(2000, 2000, requested=150, remaining_s=600)
    assert docs < 150 and docs % 10 == 0 and "lowered" in why
    assert run.e2e_plan(100_000, 2000, requested=150, remaining_s=600) == (150, None)


def test_scaling_detects_superlinear_cost():
    runs = {f"x{s}": {"docs_in": 10 * s, "seconds": 5 + 0.01 * (10 * s) ** 2, "workers": 2,
                      "peak_rss_mb_per_worker": 1000} for s in (1, 4, 16)}
    assert scaling.analyse(runs)["cost_flat_within_20pct"] is False


FAKE_KIYOME = textwrap.dedent("""
    import json, subprocess, sys, pathlib
    out = pathlib.Path(sys.argv[sys.argv.index("--output") + 1])
    code = "x = bytearray(60_000_000); import time; time.sleep(1.0)"
    workers = [subprocess.Popen([sys.executable, "-c", code, "sdk_worker_main"])
               for _ in range(2)]
    for worker in workers:
        worker.wait()
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(
        {"documents": {"out": 3, "dropped_by_reason": {}}}))
""")


def test_run_pipeline_samples_peak_memory_per_worker_process(tmp_path, monkeypatch):
    script = tmp_path / "fake_kiyome.py"
    script.write_text(FAKE_KIYOME)
    monkeypatch.setattr(e2e, "kiyome_command", lambda: [sys.executable, str(script)])
    result = e2e.run_pipeline(tmp_path, tmp_path / "out", 2, chars=1000, docs=4,
                              log=tmp_path / "run.log")
    assert result["returncode"] == 0 and result["docs_out"] == 3
    assert result["worker_processes"] == 2
    assert all(mb > 55 for mb in result["peak_rss_mb_workers"])
    assert result["cpu_seconds"] > 0


def test_alternate_runs_both_sides_every_round():
    calls: list[str] = []
    sides = measure.alternate({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                              rounds=3)
    assert calls == ["a", "b"] + ["a", "b"] * 3  # warm-up, then interleaved
    assert len(sides["a"].seconds) == 3 and measure.paired_ratio(sides["a"], sides["b"]) > 0
