"""gs:// inputs for real: Beam's GCS filesystem against a storage emulator on loopback.

The emulator (``gcp-storage-emulator``, in-memory) runs in this process's
threads; ``STORAGE_EMULATOR_HOST`` points google-cloud-storage (which Beam
2.77's ``gcsio`` uses) at it, in this process and in every ``kiyome`` and Beam
worker process started from it. Beam asks Application Default Credentials
first and, finding none, retries for ~25 s per process before going anonymous;
a throwaway ADC file with an unexpired dummy token (the emulator ignores it)
skips that wait, as real credentials would.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from kiyome.pipeline.inputs import UsageError, expand_inputs
from kiyome.transforms.ingest import Ingest, IngestLimits
from tests.test_e2e import KIYOME

BUCKET = "kiyome-corpus"
MEMO = "来週の定例会議は第三会議室で行います。資料は前日までに共有してください。"
LEGACY = "旧システムの移行手順書です。作業は土曜日の夜間に実施する予定です。"
TICKETS = ["配送が遅れている件について問い合わせがありました。",
           "請求書の再発行を希望するお客様からの連絡です。",
           "新しい端末の初期設定の方法を教えてほしいとの依頼です。"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dummy_adc(directory: Path) -> Path:
    """An authorized-user ADC file with a dummy token valid for a day: no network, no secret."""
    path = directory / "adc.json"
    path.write_text(json.dumps({
        "type": "authorized_user", "client_id": "kiyome-test", "client_secret": "unused",
        "refresh_token": "unused", "token": "emulator-ignores-this",
        "expiry": "2999-01-01T00:00:00Z"}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """The emulator on a free loopback port, with a bucket of Japanese files; yields the env."""
    from gcp_storage_emulator.server import create_server

    port = _free_port()
    env = {"STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{port}",
           "GOOGLE_APPLICATION_CREDENTIALS": str(_dummy_adc(tmp_path_factory.mktemp("adc"))),
           "GOOGLE_CLOUD_PROJECT": "kiyome-test"}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    server = create_server("127.0.0.1", port, in_memory=True, default_bucket=BUCKET)
    server.start()
    try:
        from google.cloud import storage

        bucket = storage.Client().bucket(BUCKET)
        jsonl = "\n".join(json.dumps({"id": f"t-{n}", "text": text}, ensure_ascii=False)
                          for n, text in enumerate(TICKETS)) + "\n"
        uploads = {
            "in/メモ.txt": MEMO.encode("utf-8"),
            "in/tickets.jsonl": jsonl.encode("utf-8"),
            "in/legacy/旧資料.txt": LEGACY.encode("shift_jis"),
            "in/": b"",  # a "folder" placeholder object, as the console creates them
            "elsewhere/other.txt": "対象外のファイルです。".encode(),
        }
        for name, data in uploads.items():
            bucket.blob(name).upload_from_string(data)
        yield {**os.environ, **env}
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _kiyome(env: dict[str, str], *args: str, python: list[str] | None = None):
    return subprocess.run([*(python or KIYOME), "run", *args], env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def test_prefix_runs_end_to_end_into_local_shards(emulator, tmp_path):
    """A tiny --split-mb reads tickets.jsonl as ranges: seeks on GCS objects, on two workers."""
    out = tmp_path / "out"
    completed = _kiyome(emulator, "--input", f"gs://{BUCKET}/in/", "--output", str(out),
                        "--split-mb", "0.00005", "--direct_num_workers=2")
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = ds.dataset(out / "shards").to_table(columns=["id", "source", "text"]).to_pylist()
    by_source: dict[str, list[str]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row["text"])
    assert {source: sorted(texts) for source, texts in by_source.items()} == {
        f"gs://{BUCKET}/in/メモ.txt": [MEMO],
        f"gs://{BUCKET}/in/legacy/旧資料.txt": [LEGACY],
        f"gs://{BUCKET}/in/tickets.jsonl": sorted(TICKETS),
    }
    assert {row["id"] for row in rows} >= {"t-0", "t-1", "t-2"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == [f"gs://{BUCKET}/in/"]
    assert manifest["documents"]["in"] == 5 == manifest["documents"]["out"]
    assert manifest["documents"]["accounted"] is True


def test_gcs_glob_and_reading_through_beam(emulator, stage_runner):
    files = expand_inputs([f"gs://{BUCKET}/in/*.txt"])
    assert [(item.path, item.size) for item in files] == [
        (f"gs://{BUCKET}/in/メモ.txt", len(MEMO.encode()))]  # * stays in its folder
    everything = expand_inputs([f"gs://{BUCKET}/in"])
    assert [item.path.rsplit("/", 1)[1] for item in everything] == [
        "旧資料.txt", "tickets.jsonl", "メモ.txt"]
    docs, rejected = stage_runner(Ingest(), [item.path for item in everything])
    assert rejected == []
    legacy = next(doc for doc in docs if doc["text"] == LEGACY)
    assert legacy["metadata"]["encoding"] == "cp932"
    assert legacy["metadata"]["size"] == len(LEGACY.encode("shift_jis"))
    assert "modified" in legacy["metadata"]
    tickets = [item.path for item in everything if item.path.endswith(".jsonl")]
    split, rejected = stage_runner(Ingest(IngestLimits(split_bytes=64)), tickets)
    assert rejected == []  # ranges read with seeks on the GCS object
    assert sorted((doc["id"], doc["text"]) for doc in split) == sorted(
        (doc["id"], doc["text"]) for doc in docs if doc["source"] == tickets[0])


def test_missing_object_is_a_one_line_usage_error(emulator, tmp_path):
    with pytest.raises(UsageError, match="matches no files"):
        expand_inputs([f"gs://{BUCKET}/in/存在しない.txt"])
    completed = _kiyome(emulator, "--input", f"gs://{BUCKET}/nothing/here.jsonl",
                        "--output", str(tmp_path / "out"))
    assert completed.returncode == 2
    assert completed.stderr.strip().splitlines()[-1] == (
        f"kiyome: error: --input gs://{BUCKET}/nothing/here.jsonl: matches no files")
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_without_the_gcp_extra_gs_is_a_one_line_error(tmp_path):
    """google-cloud-storage made unimportable, as in an install without ``kiyome[gcp]``."""
    hide = ("import sys; sys.modules['google.cloud.storage'] = None; "
            "from kiyome.pipeline.cli import main; sys.exit(main(sys.argv[1:]))")
    completed = _kiyome({**os.environ}, "--input", "gs://bucket/docs/", "--output",
                        str(tmp_path / "out"), python=[sys.executable, "-c", hide])
    assert completed.returncode == 2, completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip().splitlines()[-1] == (
        "kiyome: error: --input gs://bucket/docs/: reading gs:// needs the GCS extra: "
        "pip install 'kiyome[gcp]'")
