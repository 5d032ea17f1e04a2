"""bench/runner_memory.py: a worker of Beam's local runner reports its own memory."""

from __future__ import annotations

from bench.runner_memory import measure


def test_a_worker_reports_its_malloc_and_resident_memory():
    report = measure(20, "python")
    assert report["docs"] == 20 and report["protobuf"] == "python"
    # An SDK worker with Beam imported and the documents passed through it, not the
    # launching process (which never sees them) nor an empty report.
    assert report["malloc_in_use_mb"] > 10 and report["anon_mb"] > 50
    assert report["data_mb"] == 0  # 20 documents of 22 kB, rounded
