"""Canaries: personal data of every masked entity type, planted in every input format,
never appears in anything ``kiyome run`` writes (shards, manifest, rejected records,
audit, signatures, report, dataset card) nor in what it prints (stdout, stderr, logs).

Shards are zstd Parquet: they are read decoded (tests/output_text.py), never
searched as bytes. Each format must also reach a shard, so the absence of a
value means it was masked, not lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from faker import Faker

from tests import documents
from tests.canaries import SURNAMES, canary_fields, canary_lines, canary_values
from tests.output_text import output_text, written_files

KIYOME = str(Path(sys.executable).with_name("kiyome"))
FORMATS = (".txt", ".csv", ".jsonl", ".html", ".eml", ".docx", ".xlsx", ".pptx", ".pdf",
           ".zip")


def _filler(i: int) -> list[str]:
    """Distinct Japanese prose per file, so no two files are near-duplicates."""
    fake = Faker("ja_JP")
    fake.seed_instance(1000 + i)
    return [fake.paragraph(nb_sentences=8) for _ in range(3)]


def _build(corpus: Path) -> None:
    corpus.mkdir()
    for i, ext in enumerate(FORMATS):
        lines = [*canary_lines(i), *_filler(i)]
        if ext == ".eml":
            person, _ = canary_fields(i)["PERSON"]
            email = canary_fields(i)["EMAIL_ADDRESS"][1][0]
            name = person.removeprefix("担当：").removesuffix("様")
            data = documents.eml(lines, sender=f"{name} <{email}>")
        else:
            data = documents.BUILDERS[ext](lines)
        (corpus / f"canary{i}{ext}").write_bytes(data)


@pytest.fixture(scope="module")
def canary_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("canary")
    corpus, output = root / "corpus", root / "out"
    _build(corpus)
    completed = subprocess.run(
        [KIYOME, "run", "--input", str(corpus), "--output", str(output),
         "--direct_num_workers=2"],
        capture_output=True, text=True, timeout=1800, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output, completed.stdout + completed.stderr


def test_every_format_reaches_a_shard(canary_run):
    output, _ = canary_run
    sources = {row["source"].split("#", 1)[0].rsplit("/", 1)[1]
               for path in sorted((output / "shards").rglob("*.parquet"))
               for row in pq.read_table(path, columns=["source"]).to_pylist()}
    assert sources == {f"canary{i}{ext}" for i, ext in enumerate(FORMATS)}


def test_outputs_include_every_kind_of_file(canary_run):
    """The leak checks below read all of these (the report and dataset card included)."""
    from kiyome.report import output_paths

    output, _ = canary_run
    top = {path.relative_to(output).parts[0] for path in written_files(output)}
    report = {Path(path).name for path in output_paths(str(output)).values()}
    assert {"shards", "rejected", "audit", "signatures", "manifest.json", *report} <= top


@pytest.mark.parametrize("i", range(len(FORMATS)), ids=FORMATS)
def test_no_canary_value_survives_anywhere(canary_run, i):
    output, logs = canary_run
    written = output_text(output) + logs
    leaked = [value for value in canary_values(i) if value in written]
    assert leaked == [], f"{FORMATS[i]}: {leaked}"


def test_no_surname_survives_in_the_shards(canary_run):
    """Stricter for names: not even the surname alone (a half-masked name)."""
    output, logs = canary_run
    written = output_text(output) + logs
    assert [name for name in SURNAMES[:len(FORMATS)] if name in written] == []


def test_the_canary_scan_of_the_run_is_clean(canary_run):
    output, _ = canary_run
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scan"]["clean"] and manifest["scan"]["found"] == {}
    assert sum(shard["rows"] for shard in manifest["scan"]["shards"]) == \
        manifest["documents"]["out"]
