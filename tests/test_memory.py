"""transforms/memory.py: workers give freed memory back to the operating system."""

from __future__ import annotations

import threading

from kiyome.pipeline.runner import pipeline_options
from kiyome.transforms import memory
from tests.child import python_output


def _anon_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon"))


def test_release_returns_freed_heap_pages():
    blocks = [bytearray(64 * 1024) for _ in range(3_000)]  # ~200 MB in malloc's heap
    del blocks[1::2]  # freed pages sit between live blocks: no plain free() returns them
    before = _anon_kb()
    assert memory.release_free_memory() is True
    assert before - _anon_kb() > 50_000  # at least 50 of the ~100 freed MB go back
    del blocks


def test_the_trimmer_runs_once_per_process():
    assert memory.start_trimmer(interval=0.05) is True
    assert memory.start_trimmer(interval=0.05) is True
    trimmers = [thread for thread in threading.enumerate() if thread.name == "kiyome-trim"]
    assert len(trimmers) == 1 and trimmers[0].daemon


def test_local_runs_cap_the_heaps_of_the_workers_they_start(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    pipeline_options(["--runner=DataflowRunner", "--project=p"])
    assert "MALLOC_ARENA_MAX" not in __import__("os").environ
    pipeline_options([])
    assert python_output("import os; print(os.environ['MALLOC_ARENA_MAX'])") == memory.ARENA_MAX


def test_a_masking_worker_is_named_so_its_memory_can_be_told_apart():
    # In a child process: the name is the whole process's, set from any thread.
    script = ("import threading; from kiyome.transforms import memory\n"
              "t = threading.Thread(target=memory.name_this_process, "
              "args=(memory.MASKING_PROCESS_NAME,)); t.start(); t.join()\n"
              "print(open('/proc/self/comm').read().strip())")
    assert python_output(script) == memory.MASKING_PROCESS_NAME
