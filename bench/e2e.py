"""End to end: ``kiyome run`` through the real Beam runner, timed, memory per worker.

The run is the command a user types, in a child process; a sampler thread
reads the peak RSS of that process and of every SDK worker process Beam's
``FnApiRunner`` starts (``sdk_worker_main`` on their command line).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import TreeMemory
from kiyome.transforms.memory import MASKING_PROCESS_NAME

WORKER_MARKER = "sdk_worker_main"


def kiyome_command() -> list[str]:
    """The installed ``kiyome`` console script next to this interpreter."""
    script = Path(sys.executable).parent / "kiyome"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiyome.pipeline.cli"]


def run_pipeline(corpus: Path, output: Path, workers: int, chars: int, docs: int,
                 log: Path) -> dict:
    """One ``kiyome run --direct_num_workers=N``: wall time, rates per core, peak memory."""
    command = [*kiyome_command(), "run", "--input", str(corpus), "--output", str(output),
               "--overwrite", f"--direct_num_workers={workers}"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        with TreeMemory(process.pid) as memory:
            returncode = process.wait()
        seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # every reaped descendant
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    workers_mb = memory.workers_mb(WORKER_MARKER)
    masking_mb = memory.workers_mb(WORKER_MARKER, named=MASKING_PROCESS_NAME)
    other_mb = memory.workers_mb(WORKER_MARKER, not_named=MASKING_PROCESS_NAME)
    result = {
        "workers": workers,
        "docs_in": docs,
        "chars_in": chars,
        "seconds": round(seconds, 2),
        "returncode": returncode,
        "log": str(log),
        "chars_per_s_per_core": round(chars / seconds / workers),
        "docs_per_s_per_core": round(docs / seconds / workers, 2),
        "seconds_per_doc": round(seconds / max(1, docs), 4),
        "core_seconds_per_doc": round(seconds * workers / max(1, docs), 4),
        "cpu_seconds": round(cpu, 2),
        "cpu_seconds_per_doc": round(cpu / max(1, docs), 4),
        "chars_per_cpu_s": round(chars / cpu) if cpu > 0 else None,
        "worker_processes": len(workers_mb),
        "peak_rss_mb_per_worker": round(max(workers_mb, default=0.0)),
        "peak_rss_mb_workers": [round(mb) for mb in workers_mb],
        # The local runner gives masking worker processes of its own (pipeline/runner.py).
        "peak_rss_mb_masking_workers": round(max(masking_mb, default=0.0)),
        "peak_rss_mb_other_workers": round(max(other_mb, default=0.0)),
        "peak_rss_mb_main": round(memory.main_mb()),
    }
    manifest = output / "manifest.json"
    if returncode == 0 and manifest.exists():
        documents = json.loads(manifest.read_text())["documents"]
        result["docs_out"] = documents.get("out")
        result["dropped_by_reason"] = documents.get("dropped_by_reason")
    return result


def leaked_values(output: Path, planted: Path) -> dict:
    """Planted values still present in the shards' text (counts only, never the values)."""
    import pyarrow.dataset as ds

    by_id: dict[str, list] = {}
    with planted.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            by_id[record["id"]] = record["values"]
    table = ds.dataset(str(output / "shards")).to_table(columns=["id", "text"])
    checked = leaked = 0
    leaked_by_entity: dict[str, int] = {}
    for doc_id, text in zip(table["id"].to_pylist(), table["text"].to_pylist(), strict=True):
        for entity, value in by_id.get(doc_id, []):
            checked += 1
            if value in text:
                leaked += 1
                leaked_by_entity[entity] = leaked_by_entity.get(entity, 0) + 1
    return {"planted_values_in_written_docs": checked, "left_in_shards": leaked,
            "left_by_entity": dict(sorted(leaked_by_entity.items()))}
