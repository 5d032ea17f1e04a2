"""The Dataflow images, checked as far as a machine without Docker allows: both
Dockerfiles pass hadolint, the worker's requirement set resolves on the package
index to exactly its pins, and the build-time model check passes with no network."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATAFLOW = ROOT / "dataflow"
BIN = Path(sys.executable).parent


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_dockerfiles_pass_hadolint():
    for dockerfile in ("Dockerfile", "launcher.Dockerfile"):
        completed = subprocess.run([str(BIN / "hadolint"), str(DATAFLOW / dockerfile)],
                                   capture_output=True, text=True, timeout=60, check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_container_requirements_resolve_to_their_pins(tmp_path):
    report = tmp_path / "report.json"
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "--report", str(report),
         "-r", str(DATAFLOW / "requirements.txt")],
        capture_output=True, text=True, timeout=540, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    chosen = {_name(item["metadata"]["name"]): item["metadata"]["version"]
              for item in json.loads(report.read_text(encoding="utf-8"))["install"]}
    pins = dict(re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)$", line).groups()
                for line in (DATAFLOW / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert len(pins) >= 20
    for name, version in pins.items():
        assert chosen.get(_name(name)) == version, name
    assert "google-cloud-storage" in chosen  # apache-beam[gcp]: the workers read gs://
    assert "fasttext" not in chosen  # only fasttext-predict may provide the module


def test_models_load_with_the_network_off():
    # What the worker image's RUN --network=none line runs; unshare gives it no network.
    completed = subprocess.run(["unshare", "--net", sys.executable,
                                str(DATAFLOW / "check_models.py")],
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    assert "load offline" in completed.stdout
