"""Peak memory per Beam worker while clustering near-duplicates, at growing corpus sizes.

Usage: .venv/bin/python bench/dedup_scale.py [--sizes 10000 100000 1000000] [--workers 2]

Each size runs in a fresh process through the real local runner (FnApiRunner,
multi_processing, ``--workers`` SDK worker processes) on synthetic features
generated inside the pipeline -- no text is hashed, so the numbers measure
the distributed half of near dedup (:class:`ClusterFeatures`: band buckets,
hot-bucket split, true-Jaccard verification, connected components, keep rule):

* ``--shingles`` random 64-bit shingle hashes per document (a short document:
  what travels per document is small, so the runner's own buffers stay small);
* 20 % of documents in groups of 4 whose members each replace a different
  shingle of the group's base set (pairwise Jaccard 18/22 = 0.82, so LSH finds
  a pair with probability ~0.97 and a few removals may be missed), 3 removals
  per group;
* 0.5 % of documents are copies of one boilerplate document: a group that grows
  with the corpus (5,000 members at 1M, beyond ``max_bucket`` = 1,000, so its
  buckets are split as hot buckets);
* the rest are unrelated.

Peak RSS is ``VmHWM`` from ``/proc/<pid>/status`` of every SDK worker process
(children of the runner), polled until they exit; the runner process's own
peak is reported separately: FnApiRunner keeps every shuffle in the runner
process, so that one grows with the corpus by design (on Dataflow the shuffle
is a service). Prints one JSON document.

``KIYOME_BENCH_STAGE=gbk`` replaces the clustering with one plain GroupByKey
of the band keys (the runner's own baseline: FnApiRunner gives each worker
its whole partition as one bundle, and even that baseline's worker RSS grows
with the corpus); ``generate`` only generates. ``--trace`` adds the largest
worker RSS per runner stage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 10_000
GROUP_SHARE, GROUP_SIZE, HOT_SHARE = 0.20, 4, 0.005


def layout(n_docs: int) -> tuple[int, int]:
    """(hot group size, number of 4-member groups) for a corpus of ``n_docs``."""
    hot = max(2, int(n_docs * HOT_SHARE))
    groups = int(n_docs * GROUP_SHARE) // GROUP_SIZE
    return hot, groups


def expected_removed(n_docs: int) -> int:
    hot, groups = layout(n_docs)
    return (hot - 1) + groups * (GROUP_SIZE - 1)


def generate(start: int, n_docs: int, shingles: int, bands: int, rows: int):
    """Features ``(id, (band keys, hashes, keep rank))`` of documents start..start+CHUNK."""
    import numpy as np

    from kiyome.transforms.dedup.minhash import MinHasher, band_keys
    from kiyome.transforms.dedup.near import keep_rank

    hasher = MinHasher(num_perm=128)
    hot, groups = layout(n_docs)
    for i in range(start, min(start + CHUNK, n_docs)):
        if i < hot:
            hashes = np.random.default_rng([7, 0]).integers(0, 2**64, shingles, np.uint64)
        elif i < hot + groups * GROUP_SIZE:
            group, member = divmod(i - hot, GROUP_SIZE)
            hashes = np.random.default_rng([7, 1, group]).integers(0, 2**64, shingles, np.uint64)
            hashes[member] = np.random.default_rng([7, 2, i]).integers(0, 2**64, dtype=np.uint64)
        else:
            hashes = np.random.default_rng([7, 3, i]).integers(0, 2**64, shingles, np.uint64)
        hashes = np.unique(hashes)
        doc_id = f"d{i:08d}"
        keys = band_keys(hasher.signature_from_hashes(hashes), bands, rows)
        yield doc_id, (keys, hashes, keep_rank("longest", doc_id, 100, None))


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (workers may sit under a shell or a launcher)."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = [], {pid}
    while frontier:
        frontier = {child for child, ppid in parent.items() if ppid in frontier}
        found.extend(frontier)
    return found


def _is_sdk_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"\x00-m\x00apache_beam.runners.worker.sdk_worker_main" in f.read()
    except OSError:
        return False


def _hwm_kb(pid: int | str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


class StageTrace(logging.Handler):
    """Records which stage the runner is running (``--trace``), from its debug log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.current = "start"

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Running bundle for stage "):
            self.current = message.split("\n", 1)[0].removeprefix("Running bundle for stage ")


class PeakWatcher(threading.Thread):
    """Polls the VmHWM of this process's child processes (the SDK workers).

    With a :class:`StageTrace`, also the largest worker RSS seen per stage.
    """

    def __init__(self, trace: StageTrace | None = None) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.by_stage: dict[str, int] = {}
        self.trace = trace
        self.done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(0.2):
            for pid in _descendants(me):
                if pid not in self.peaks and not _is_sdk_worker(pid):
                    continue
                hwm = _hwm_kb(pid)
                if hwm is not None:
                    self.peaks[pid] = max(hwm, self.peaks.get(pid, 0))
                if self.trace is not None:
                    stage = self.trace.current
                    self.by_stage[stage] = max(self.by_stage.get(stage, 0), _rss_kb(pid))


def _count(assignment) -> str:
    from apache_beam.metrics import Metrics

    member, (_, kept, _) = assignment
    Metrics.counter("bench", "clustered").inc()
    if member != kept:
        Metrics.counter("bench", "removed").inc()
    return member


def run_one(n_docs: int, workers: int, shingles: int, trace: bool = False) -> dict:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from kiyome.transforms.dedup.near import ClusterFeatures, NearDedup
    from kiyome.transforms.memory import limit_heaps

    limit_heaps()  # as `kiyome run` does for its local workers
    near = NearDedup()
    options = PipelineOptions(["--runner=FnApiRunner", "--direct_running_mode=multi_processing",
                               f"--direct_num_workers={workers}",
                               "--default_sdk_harness_log_level=WARNING"])
    tracer = None
    if trace:
        tracer = StageTrace()
        bundles = logging.getLogger("apache_beam.runners.portability.fn_api_runner.fn_runner"
                                    ".run_bundle")
        bundles.setLevel(logging.DEBUG)
        bundles.addHandler(tracer)
    watcher = PeakWatcher(tracer)
    watcher.start()
    started = time.perf_counter()
    pipeline = beam.Pipeline(options=options)
    _ = (
        pipeline
        | "Chunks" >> beam.Create(list(range(0, n_docs, CHUNK)))
        | "Spread" >> beam.Reshuffle()
        | "Generate" >> beam.FlatMap(generate, n_docs, shingles, near.bands, near.rows)
    )
    if os.environ.get("KIYOME_BENCH_STAGE") == "generate":  # baseline: no clustering
        _ = _ | "Noop" >> beam.Map(lambda kv: kv[0])
    elif os.environ.get("KIYOME_BENCH_STAGE") == "gbk":  # baseline: one band GroupByKey
        _ = (_ | "Bands" >> beam.FlatMap(lambda kv: ((k, kv[0]) for k in kv[1][0]))
             | "G" >> beam.GroupByKey() | "N" >> beam.Map(lambda kv: len(kv[1])))
    else:
        _ = (
            _
            | "Cluster" >> ClusterFeatures(near.threshold, near.max_bucket, near.cc_rounds)
            | "Count" >> beam.Map(_count)
        )
    result = pipeline.run()
    result.wait_until_finish()
    seconds = time.perf_counter() - started
    watcher.done.set()
    watcher.join()
    counters = {c.key.metric.name: c.committed for c in result.metrics().query()["counters"]
                if c.key.metric.namespace in ("bench", "kiyome")}
    return {
        "docs": n_docs,
        "seconds": round(seconds, 1),
        "expected_removed": expected_removed(n_docs),
        "removed": counters.get("removed", 0),
        "hot_buckets_split": counters.get("near_dedup.hot_buckets_split", 0),
        "cc_unconverged_edges": counters.get("near_dedup.cc_unconverged_edges", 0),
        "worker_peak_rss_mb": sorted(round(kb / 1024) for kb in watcher.peaks.values()),
        "runner_peak_rss_mb": round((_hwm_kb("self") or 0) / 1024),
        **({"worker_rss_mb_by_stage": {stage: round(kb / 1024) for stage, kb in
                                       sorted(watcher.by_stage.items(), key=lambda kv: -kv[1])[:8]}}
           if trace else {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shingles", type=int, default=20)
    parser.add_argument("--trace", action="store_true",
                        help="also report the largest worker RSS per runner stage")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workers, args.shingles, args.trace)))
        return 0
    results = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--workers", str(args.workers),
             "--shingles", str(args.shingles), *(["--trace"] if args.trace else [])],
            capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            return done.returncode
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"workers": args.workers, "shingles_per_doc": args.shingles,
                      "runs": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
