"""Time and throughput per stage: Beam counters for the report, live tallies for progress.

``@timed("langid")`` on a DoFn's ``process`` adds the time spent inside it (not
in the fused stages downstream, which run while it yields) to the Beam counter
``time_us.<stage>``, and counts its documents. The counters reach the manifest
and the report on every runner, Dataflow included.

For the live progress display of a local run, each process also keeps its own
tally of documents per stage and, when ``KIYOME_PROGRESS_DIR`` is set, writes it
to ``<dir>/<pid>.json`` about twice a second; ``pipeline/progress.py`` sums the
files. Worker processes of the local runner inherit the variable. Tallies hold
counts only, never document content.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from kiyome.transforms.memory import start_trimmer
from kiyome.transforms.records import METRICS_NAMESPACE

PROGRESS_DIR_ENV = "KIYOME_PROGRESS_DIR"
TIME_PREFIX = "time_us."
#: Seconds between two writes of a process's tally file.
WRITE_INTERVAL = 0.5

_tally: Counter = Counter()
_lock = threading.Lock()
_writer: threading.Thread | None = None


def tally(name: str, count: int = 1) -> None:
    """Add ``count`` to this process's progress tally.

    Called for every document of every stage, so it is kept to a dictionary
    update: no lock (a lost increment only blurs the display for half a
    second) and no environment lookup (the writer thread, started on the first
    call, looks for the progress directory itself).
    """
    _tally[name] += count
    if _writer is None:
        _start_writer()


def snapshot() -> dict[str, int]:
    """A copy of the tally; retried if another thread adds a stage name meanwhile."""
    while True:
        try:
            return dict(_tally)
        except RuntimeError:  # dictionary changed size during iteration
            continue


def _start_writer() -> None:
    """Once per process, at a stage's first document: the progress writer, and the
    heap trimmer that keeps a worker's footprint to what it holds (transforms/memory.py)."""
    global _writer
    with _lock:
        if _writer is not None:
            return
        _writer = threading.Thread(target=_write_forever, name="kiyome-progress", daemon=True)
    _writer.start()
    start_trimmer()


def _write_forever() -> None:
    """Write this process's tally into whichever progress directory is set now.

    A worker process serves one run: everything it counted is that run's. When
    the directory changes (a later run in the same process, as in tests), the
    counts so far are subtracted, so that run's display starts near zero.
    """
    directory, baseline = os.environ.get(PROGRESS_DIR_ENV), Counter()
    while True:
        current = os.environ.get(PROGRESS_DIR_ENV)
        if current != directory:
            directory, baseline = current, (Counter(snapshot()) if directory else Counter())
        if directory and os.path.isdir(directory):
            write_tally(os.path.join(directory, f"{os.getpid()}.json"), baseline)
        time.sleep(WRITE_INTERVAL)


def write_tally(path: str, baseline: Counter | None = None) -> None:
    """Replace ``path`` with this process's tally (write then rename: never half a file)."""
    temporary = f"{path}.tmp"
    counts = Counter(snapshot())
    counts.subtract(baseline or Counter())
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({name: count for name, count in counts.items() if count > 0}, handle)
        os.replace(temporary, path)
    except OSError:  # the run ended and removed the directory
        pass


def timed(stage: str, *, count: bool = True) -> Callable:
    """Decorate ``DoFn.process``: time inside it -> ``time_us.<stage>``, documents -> tally
    (a batch from ``BatchElements``, a list, counts its documents).

    The clock stops while the generator is suspended at a ``yield``: with
    fusion, that is when the next stage processes the element. ``count=False``
    for a stage's helper steps (signatures, file writing), so the tally counts
    each document once per stage.
    """
    def decorate(process: Callable[..., Iterable | None]) -> Callable[..., Iterator]:
        counter = Metrics.counter(METRICS_NAMESPACE, f"{TIME_PREFIX}{stage}")
        in_name, out_name = f"{stage}.in", f"{stage}.out"

        @functools.wraps(process)
        def wrapper(self, element, *args, **kwargs):
            started = time.perf_counter()
            spent = 0.0
            outputs = 0
            try:
                for item in process(self, element, *args, **kwargs) or ():
                    now = time.perf_counter()
                    spent += now - started
                    if item.__class__ is not TaggedOutput:
                        outputs += 1
                    yield item
                    started = time.perf_counter()
            finally:
                spent += time.perf_counter() - started
                counter.inc(int(spent * 1_000_000))
                if count:
                    _tally[in_name] += len(element) if element.__class__ is list else 1
                    _tally[out_name] += outputs
                    if _writer is None:
                        _start_writer()

        return wrapper

    return decorate


def add_time(stage: str, seconds: float) -> None:
    """Add ``seconds`` to ``time_us.<stage>``: for steps whose stage is a parameter,
    where :func:`timed` cannot decorate at import time."""
    Metrics.counter(METRICS_NAMESPACE, f"{TIME_PREFIX}{stage}").inc(int(seconds * 1_000_000))


def stage_seconds(counters: dict[str, int]) -> dict[str, float]:
    """Seconds spent per stage, summed over workers, from ``time_us.*`` counters.

    >>> stage_seconds({"time_us.pii": 2_500_000, "ingest.files": 3})
    {'pii': 2.5}
    """
    return {name.removeprefix(TIME_PREFIX): round(value / 1_000_000, 3)
            for name, value in sorted(counters.items()) if name.startswith(TIME_PREFIX)}
