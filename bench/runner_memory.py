"""What Beam's local runner itself keeps in a worker's memory as data flows through.

No Kiyome code runs: documents of about 22 kB (2,500 x "あいう") go through a
reshuffle, a GroupByKey and a CoGroupByKey by id, the way Kiyome's documents
travel, in the same runner Kiyome uses locally (``FnApiRunner``, 2 worker
processes, two malloc heaps). Then one last step, in a worker, collects
garbage, trims the heap and reports glibc's ``mallinfo2`` (bytes malloc'd and
still in use: native code's memory and Python's large objects) and the
anonymous resident memory. A Kiyome worker's memory is this baseline plus
its own; when the baseline grows with the data, so does every worker.

Each size runs twice: with protobuf's default C implementation (upb), whose
arenas are known to outlive the messages Beam parsed (apache/beam#28246), and
with its pure-Python implementation (``PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION``).

    .venv/bin/python -m bench.runner_memory --docs 300 5000 15000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DOC_REPEAT = 2_500


def _worker_memory(_element, report_dir: str) -> None:
    """In a worker: gc + trim, then its malloc in use and anonymous memory, to a file."""
    import ctypes

    from bench.measure import status_kb
    from kiyome.transforms.memory import release_free_memory

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    release_free_memory()
    mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    Path(report_dir, f"{os.getpid()}.json").write_text(json.dumps({
        "malloc_in_use_mb": round(info.uordblks / 2**20, 1),
        "malloc_free_mb": round(info.fordblks / 2**20, 1),
        "anon_mb": round(status_kb("self", "RssAnon") / 1024, 1)}))


def run_pipeline(docs: int, report_dir: str) -> None:
    """One pipeline of ``docs`` documents (called in a fresh process)."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from kiyome.transforms.memory import limit_heaps

    limit_heaps()  # as `kiyome run` does for its local workers
    options = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=multi_processing",
                               "--direct_num_workers=2"])
    with beam.Pipeline(options=options) as pipeline:
        documents = (
            pipeline
            | "Ids" >> beam.Create([str(i) for i in range(docs)])
            | "Spread" >> beam.Reshuffle()
            | "Documents" >> beam.Map(lambda i: (i, {"id": i, "text": "あいう" * DOC_REPEAT + i}))
        )
        regrouped = (
            documents
            | "ByBucket" >> beam.Map(lambda kv: (int(kv[0]) % 1000, kv[1]))
            | "Group" >> beam.GroupByKey()
            | "Ungroup" >> beam.FlatMap(lambda kv: [(doc["id"], doc) for doc in kv[1]])
        )
        joined = (
            {"a": regrouped, "b": documents}
            | "JoinById" >> beam.CoGroupByKey()
            | "Count" >> beam.combiners.Count.Globally()
        )
        (
            pipeline
            | "Probe" >> beam.Create([0])
            | "AfterJoin" >> beam.Map(lambda x, _: x, beam.pvalue.AsSingleton(joined))
            | "InAWorker" >> beam.Reshuffle()
            | "Report" >> beam.Map(_worker_memory, report_dir)
        )


def measure(docs: int, protobuf: str) -> dict:
    """Run one size in a fresh process with workers on protobuf's ``protobuf``
    implementation; the reporting worker's figures."""
    environ = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": protobuf}
    with tempfile.TemporaryDirectory() as report_dir:
        subprocess.run([sys.executable, "-m", "bench.runner_memory", "--child", str(docs),
                        report_dir], check=True, capture_output=True, env=environ)
        reports = [json.loads(path.read_text()) for path in Path(report_dir).glob("*.json")]
    return {"docs": docs, "protobuf": protobuf,
            "data_mb": round(docs * len(("あいう" * DOC_REPEAT).encode()) / 2**20),
            **reports[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[300, 5000, 15000])
    parser.add_argument("--child", nargs=2, metavar=("DOCS", "REPORT_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_pipeline(int(args.child[0]), args.child[1])
        return 0
    for docs in args.docs:
        for protobuf in ("upb", "python"):
            print(json.dumps(measure(docs, protobuf)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
