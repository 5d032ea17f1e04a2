"""Give freed memory back to the operating system, so a worker's footprint
tracks what it holds now, not the largest stage it ever ran.

A Beam worker runs stage after stage in one process. CPython hands objects
larger than 512 bytes (document texts, decoded shuffle data) to glibc's
``malloc``, which keeps freed pages for reuse -- in one heap per thread that
ever allocated (up to 8 per core). So a worker that grouped a large partition
in dedup still carries those pages when it loads GiNZA, and its resident size
grows with the corpus although its live data does not. Two levers:

* ``MALLOC_ARENA_MAX`` (set for the worker processes the local runner starts,
  and in the Dataflow image): two heaps instead of sixteen;
* glibc's ``malloc_trim(0)`` every :data:`TRIM_INTERVAL` seconds in every
  worker (:func:`start_trimmer`, from a stage's first document), and
  :func:`release_free_memory` (a garbage collection, then a trim) before the
  masker loads its models.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
import time
from functools import cache

#: The name (``/proc/PID/comm``, what ``top`` shows) of a worker that masks PII,
#: so its memory can be told from the others' (bench/e2e.py).
MASKING_PROCESS_NAME = "kiyome-masking"
#: Heaps per worker process; glibc's default is 8 per core.
ARENA_MAX = "2"
#: Seconds between two trims in a worker: a trim takes a few milliseconds.
TRIM_INTERVAL = 2.0
_trimmer: threading.Thread | None = None
_trimmer_lock = threading.Lock()


@cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None (musl, macOS: nothing to trim that way)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def release_free_memory() -> bool:
    """Collect garbage and return free heap pages to the OS; False where unsupported.

    >>> release_free_memory() in (True, False)
    True
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def start_trimmer(interval: float = TRIM_INTERVAL) -> bool:
    """Trim this process's heap every ``interval`` seconds from now on (once per
    process; False where there is no ``malloc_trim``)."""
    global _trimmer
    trim = _malloc_trim()
    if trim is None:
        return False
    with _trimmer_lock:
        if _trimmer is None:
            def trim_forever() -> None:
                while True:
                    time.sleep(interval)
                    trim(0)

            _trimmer = threading.Thread(target=trim_forever, name="kiyome-trim", daemon=True)
            _trimmer.start()
    return True


def limit_heaps(environ: dict[str, str] | None = None) -> None:
    """Ask glibc for :data:`ARENA_MAX` heaps in processes started from now on
    (the local runner's workers inherit the environment); a user's value wins.

    >>> env = {}
    >>> limit_heaps(env); env
    {'MALLOC_ARENA_MAX': '2'}
    >>> env = {"MALLOC_ARENA_MAX": "4"}
    >>> limit_heaps(env); env
    {'MALLOC_ARENA_MAX': '4'}
    """
    (os.environ if environ is None else environ).setdefault("MALLOC_ARENA_MAX", ARENA_MAX)


def name_this_process(name: str) -> bool:
    """Set this process's name as ``top`` and ``ps -o comm`` show it (Linux; at most
    15 bytes); False where there is no ``/proc/self/comm`` to write."""
    try:
        with open("/proc/self/comm", "w", encoding="ascii") as comm:
            comm.write(name[:15])
    except OSError:
        return False
    return True
