"""The run report, dataset card, ``kiyome report``/``inspect`` and the run's console output.

All on the demo corpus run (``demo_run`` in conftest.py, JSON logs).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import yaml

from kiyome.report.inspect import _one_line
from kiyome.report.numbers import collect
from kiyome.schemas.shard import SHARD_SCHEMA
from tests.pii_checks import planted_values
from tests.test_e2e import KIYOME, run_kiyome

ROOT = Path(__file__).parents[1]


def leaks_in_text(text: str) -> list[str]:
    return sorted(value for value in planted_values(ROOT / "examples" / "planted_pii.tsv")
                  if value in text)


def _json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _card_header(output) -> dict:
    text = (output / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_report_numbers_agree_with_the_manifest_and_the_shards(demo_run):
    report, manifest = _json(demo_run / "report.json"), _json(demo_run / "manifest.json")
    documents = manifest["documents"]
    funnel = report["funnel"]
    assert funnel[0] == {"stage": "input", "documents": documents["in"], "dropped": 0}
    assert funnel[-1]["documents"] == documents["out"] == 37
    assert sum(row["dropped"] for row in funnel) == documents["dropped"]
    assert [row["stage"] for row in funnel] == ["input", "normalize", "langid", "dedup", "pii"]
    assert report["dropped_by_reason"] == documents["dropped_by_reason"]

    table = ds.dataset(demo_run / "shards").to_table(columns=["lang", "n_chars", "n_tokens",
                                                               "dup_cluster_size"])
    assert report["languages"]["ja"]["written"] == table.num_rows
    assert report["languages"]["en"]["dropped"] + report["languages"]["zh"]["dropped"] == \
        documents["dropped_by_reason"]["langid.lang_not_allowed"]
    assert report["length_chars"]["sum"] == sum(table.column("n_chars").to_pylist())
    assert report["length_chars"]["max"] == max(table.column("n_chars").to_pylist())
    assert sum(row["documents"] for row in report["length_histogram"]) == table.num_rows
    sizes = table.column("dup_cluster_size").to_pylist()
    assert {row["size"]: row["groups"] for row in report["duplicate_clusters"]} == \
        {size: sizes.count(size) for size in set(sizes)}
    assert report["tokens"]["sum"] == sum(table.column("n_tokens").to_pylist())
    flat = {f"{entity}.{action}": count for entity, actions in report["pii"].items()
            for action, count in actions.items()}
    assert flat == manifest["pii_masked"]
    assert set(report["stage_seconds"]) >= {"ingest", "normalize", "langid", "exact_dedup",
                                            "near_dedup", "pii", "write"}
    assert report["stage_seconds"]["pii"] > 0


def test_manifest_records_command_line_model_checksums_and_outputs(demo_run):
    manifest = _json(demo_run / "manifest.json")
    jsonschema.validate(manifest, _json(ROOT / "schemas" / "manifest.schema.json"))
    assert manifest["command_line"].startswith("kiyome run --input ")
    assert "--log-format json" in manifest["command_line"]
    for model in ("language_id", "language_id_word_lists", "ner", "tokenizer_dictionary"):
        assert re.fullmatch(r"[0-9a-f]{64}", manifest["models"][model]["sha256"])
    assert manifest["outputs"]["report_html"].endswith("/report.html")
    assert manifest["stage_seconds"]["pii"] > 0


def test_report_html_is_one_static_file_with_a_chart_per_section(demo_run):
    html = (demo_run / "report.html").read_text(encoding="utf-8")
    charts = re.findall(r'<figure class="chart" id="chart-([a-z_]+)"', html)
    assert charts == ["funnel", "drop_reasons", "languages", "lengths", "duplicate_clusters",
                      "pii", "stage_time"]
    assert html.count("<svg") == len(charts)
    # No network: no scripts, stylesheets, images or fonts from anywhere.
    assert not re.search(r"<script|<link|<img|@import|url\((?!#)", html)  # url(#clip) is local
    assert not re.search(r'(src|href)="https?:', html)


def test_report_rebuilds_the_same_files_from_a_finished_run(demo_run, tmp_path):
    before = {name: (demo_run / name).read_bytes()
              for name in ("report.json", "report.html", "README.md")}
    completed = subprocess.run([*KIYOME, "report", str(demo_run)], capture_output=True,
                               text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    assert f"{demo_run}/report.html" in completed.stdout
    for name, content in before.items():
        assert (demo_run / name).read_bytes() == content, name
    assert collect(str(demo_run)) == _json(demo_run / "report.json")


def test_report_of_a_directory_without_a_run_is_a_one_line_error(tmp_path):
    for command in ("report", "inspect"):
        completed = subprocess.run([*KIYOME, command, str(tmp_path)], capture_output=True,
                                   text=True, timeout=120, check=False)
        assert completed.returncode == 2
        assert completed.stderr.count("\n") == 1
        assert "manifest.json not found" in completed.stderr
        assert "Traceback" not in completed.stderr


def test_dataset_card_header_describes_the_shards(demo_run):
    header = _card_header(demo_run)
    assert header["language"] == ["ja"]
    assert header["size_categories"] == ["n<1K"]
    features = header["dataset_info"]["features"]
    assert [feature["name"] for feature in features] == SHARD_SCHEMA.names
    assert header["dataset_info"]["splits"] == [{"name": "train", "num_examples": 37}]
    body = (demo_run / "README.md").read_text(encoding="utf-8")
    manifest = _json(demo_run / "manifest.json")
    assert manifest["policy"]["content_hash"] in body
    assert "langid.lang_not_allowed" in body and "| PERSON |" in body


def test_dataset_card_is_what_huggingface_datasets_loads(demo_run, tmp_path, monkeypatch):
    """``load_dataset(DIR)`` reads the card's configs: the shards, every row, every column."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    import datasets

    loaded = datasets.load_dataset(str(demo_run), cache_dir=str(tmp_path / "cache"))
    assert list(loaded) == ["train"]
    assert loaded["train"].num_rows == 37
    assert loaded["train"].column_names == SHARD_SCHEMA.names


def test_card_lists_train_and_validation_splits(tmp_path):
    from kiyome.report.card import data_files

    files = data_files(["shards/split=train/part-00000-of-00001.parquet",
                        "shards/split=validation/part-00000-of-00001.parquet"])
    assert [item["split"] for item in files] == ["train", "validation"]


def test_inspect_prints_schema_counts_and_masked_rows(demo_run):
    completed = subprocess.run([*KIYOME, "inspect", str(demo_run), "--rows", "2"],
                               capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "52 in, 37 written, 15 dropped" in out
    for field in SHARD_SCHEMA:
        assert re.search(rf"^  {field.name} ", out, re.MULTILINE), field.name
    rows = [json.loads(line) for line in out.splitlines() if line.startswith('  {"id": ')]
    first = sorted((demo_run / "shards").glob("*.parquet"))[0]
    expected = pq.read_table(first, columns=["id", "text"]).slice(0, 2).to_pylist()
    assert [row["id"] for row in rows] == [row["id"] for row in expected]
    for row in expected:  # the masked text, on one line
        assert _one_line(row["text"])[:40] in out
    assert leaks_in_text(out) == []


def test_json_logs_are_one_object_per_line_with_a_summary(demo_run_result):
    _, completed = demo_run_result
    records = [json.loads(line) for line in completed.stderr.splitlines() if line.strip()]
    assert records, "a JSON run logs at least its summary"
    summary = [record["summary"] for record in records if "summary" in record]
    assert len(summary) == 1
    assert summary[0]["documents_in"] == 52 and summary[0]["written"] == 37
    assert summary[0]["masked_by_type"]["PERSON"] > 0
    assert summary[0]["boilerplate"]["quoted_reply"] == {"documents": 2, "lines": 26}
    assert summary[0]["paths"]["dataset_card"].endswith("/README.md")
    assert completed.stdout == ""
    assert leaks_in_text(completed.stderr) == []


def test_quiet_run_prints_nothing(tmp_path):
    completed = run_kiyome(tmp_path / "out", "--quiet", "--skip", "dedup")
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout == "" and completed.stderr == ""
    assert (tmp_path / "out" / "report.html").exists()
