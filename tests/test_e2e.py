"""End to end through the real Beam runner (FnApiRunner, worker processes) on the fixture.

The fixture is described file by file in tests/fixtures/EXPECTED.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from kiyome.policies.policy import load_policy
from kiyome.schemas.shard import SHARD_SCHEMA
from tests.pii_checks import leaks, planted_values, rejected_records, shard_rows

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
#: The installed console script, next to the interpreter running the tests.
KIYOME = [str(Path(sys.executable).with_name("kiyome"))]


def run_kiyome(output: Path, *extra: str, corpus: Path = CORPUS) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KIYOME, "run", "--input", str(corpus), "--output", str(output), "--overwrite",
         "--direct_num_workers=2", *extra],
        capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("default")
    completed = run_kiyome(output)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output, completed


def _manifest(output: Path) -> dict:
    return json.loads((output / "manifest.json").read_text(encoding="utf-8"))


def _reasons(output: Path) -> Counter:
    return Counter((r["stage"], r["reason"]) for r in rejected_records(output))


def test_every_input_is_accounted_for(default_run):
    output, _ = default_run
    documents = _manifest(output)["documents"]
    assert documents["in"] == 12  # 9 files' documents + 3 jsonl lines
    assert documents["out"] == 5
    assert documents["in"] == documents["out"] + documents["dropped"]
    assert documents["accounted"] is True
    assert _reasons(output) == Counter({
        ("ingest", "invalid_json"): 1, ("ingest", "missing_text"): 1,
        ("normalize", "empty"): 1, ("langid", "lang_not_allowed"): 2,
        ("dedup", "exact_duplicate"): 1, ("dedup", "near_duplicate"): 1})


def test_duplicates_and_languages_are_recorded_with_their_reason(default_run):
    output, _ = default_run
    rows = {row["id"]: row for row in shard_rows(output)}
    records = rejected_records(output)
    by_reason = {r["reason"]: r for r in records if r["stage"] != "ingest"}
    exact = by_reason["exact_duplicate"]
    assert exact["source"].endswith("order_confirm.txt")
    assert exact["detail"]["duplicate_of"] in rows
    near = by_reason["near_duplicate"]
    assert near["source"].endswith(("weekly_v1.txt", "weekly_v2.txt"))
    assert near["detail"]["duplicate_of"] in rows
    languages = sorted(r["detail"]["lang"] for r in records if r["reason"] == "lang_not_allowed")
    assert languages == ["en", "zh"]
    assert {row["lang"] for row in rows.values()} == {"ja"}
    assert "fx-ticket-001" in rows


def test_no_planted_personal_data_survives(default_run):
    output, _ = default_run
    assert leaks(output, planted_values(FIXTURES / "planted_pii.tsv")) == []


def test_rejected_records_carry_no_text(default_run):
    output, _ = default_run
    for record in rejected_records(output):
        assert set(record) == {"id", "source", "stage", "reason", "detail"}
        assert "text" not in json.dumps(record["detail"])


def test_hard_negatives_survive(default_run):
    output, _ = default_run
    texts = "\n".join(row["text"] for row in shard_rows(output))
    for kept in ("202610160001", "HK-2040-BL", "3,450円", "株式会社ハルカシステムズ"):
        assert kept in texts


def test_shards_follow_the_schema_and_carry_the_policy_hash(default_run):
    import pyarrow.parquet as pq

    output, _ = default_run
    manifest = _manifest(output)
    for shard in manifest["shards"]:
        schema = pq.read_schema(output / shard["path"])
        assert schema.remove_metadata().equals(SHARD_SCHEMA.remove_metadata())
        assert pq.ParquetFile(output / shard["path"]).metadata.row_group(0).column(0) \
            .compression == "ZSTD"
    policy = load_policy()
    policy_hash = policy.content_hash
    assert manifest["policy"]["content_hash"] == policy_hash
    for shard in manifest["shards"]:
        stamped = pq.read_schema(output / shard["path"]).metadata
        assert stamped[b"kiyome.policy.content_hash"] == policy_hash.encode()
        assert stamped[b"kiyome.policy.version"] == policy.version.encode()
        assert stamped[b"kiyome.policy.mode"] == b"anonymize"
    rows = shard_rows(output)
    assert {row["policy_hash"] for row in rows} == {policy_hash}
    for row in rows:
        assert row["n_chars"] == len(row["text"])
        assert row["pii_total"] == sum(item["count"] for item in row["pii_counts"])
    onboarding = next(row for row in rows if row["source"].endswith("onboarding.txt"))
    counts = {item["entity"]: item["count"] for item in onboarding["pii_counts"]}
    assert counts.get("JP_MY_NUMBER") == 1
    assert "＜個人番号＞" in onboarding["text"]


def test_manifest_matches_its_schema_and_names_the_models(default_run):
    output, _ = default_run
    manifest = _manifest(output)
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "manifest.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema)
    assert manifest["runner"] == "FnApiRunner"
    assert manifest["models"]["language_id"]["file"] == "lid.176.ftz"
    for package in ("apache-beam", "presidio-analyzer", "ja-ginza", "sudachidict-core"):
        assert manifest["versions"][package] != "not installed"


def test_summary_names_the_outputs(default_run):
    output, completed = default_run
    lines = [" ".join(line.split()) for line in completed.stdout.splitlines()]
    for expected in ("documents in 12", "written 5", "dropped 7",
                     f"manifest {output}/manifest.json", f"card {output}/README.md"):
        assert expected in lines or any(line.startswith(expected) for line in lines), expected


def test_all_languages_are_recorded_and_kept(tmp_path):
    completed = run_kiyome(tmp_path, "--languages", "all", "--skip", "dedup")
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = shard_rows(tmp_path)
    languages = Counter(row["lang"] for row in rows)
    assert languages == Counter({"ja": 7, "en": 1, "zh": 1})
    assert _reasons(tmp_path) == Counter({
        ("ingest", "invalid_json"): 1, ("ingest", "missing_text"): 1, ("normalize", "empty"): 1})
    japanese_values = planted_values(FIXTURES / "planted_pii.tsv", {
        "EMAIL_ADDRESS", "PHONE_NUMBER", "JP_MY_NUMBER", "JP_POSTAL_CODE"})
    assert leaks(tmp_path, japanese_values) == []


def test_skipping_langid_keeps_every_language_unlabelled(tmp_path):
    completed = run_kiyome(tmp_path, "--skip", "langid")
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = shard_rows(tmp_path)
    assert {row["lang"] for row in rows} == {None}
    assert len(rows) == 7  # 9 documents less one exact and one near duplicate
