"""Live progress of a local run: documents read and passed per stage, elapsed time.

Worker processes write their tallies (``transforms/stage_metrics.py``) into a
temporary directory; a thread here sums them. On a terminal one status line is
redrawn in place; elsewhere a plain log line is written every ``LOG_EVERY``
seconds (one JSON object with ``--log-format json``). On Dataflow the job page
shows the same counters, so nothing is displayed there.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from typing import TextIO

from kiyome.transforms.stage_metrics import PROGRESS_DIR_ENV

#: Stages shown, in pipeline order: (tally prefix, label).
SHOWN = (("ingest", "read"), ("normalize", "normalized"), ("langid", "language ok"),
         ("quality", "quality ok"), ("exact_dedup", "unique"),
         ("near_dedup", "not near-dup"), ("pii", "masked"), ("write", "written"))
REDRAW_EVERY = 0.5
LOG_EVERY = 10.0
log = logging.getLogger("kiyome.progress")


def read_tallies(directory: str) -> Counter:
    """Sum the tally files of every process (a file being replaced is skipped once)."""
    total: Counter = Counter()
    for name in os.listdir(directory):
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                total.update(json.load(handle))
        except (OSError, ValueError):
            continue
    return total


def status(tallies: Counter, elapsed: float) -> dict[str, int | float]:
    """Documents out of each stage so far, and the seconds since the run started.

    >>> status(Counter({"ingest.out": 12, "langid.out": 9}), 3.14159)
    {'read': 12, 'language ok': 9, 'elapsed_s': 3.1}
    """
    shown: dict[str, int | float] = {label: tallies[f"{prefix}.out"] for prefix, label in SHOWN
                                     if f"{prefix}.out" in tallies}
    shown["elapsed_s"] = round(elapsed, 1)
    return shown


def status_line(values: dict[str, int | float]) -> str:
    """``read 12 · language ok 9 · 0:03``.

    >>> status_line({"read": 1200, "masked": 3, "elapsed_s": 75.0})
    'read 1,200 · masked 3 · 1:15'
    """
    elapsed = int(values["elapsed_s"])
    parts = [f"{label} {count:,}" for label, count in values.items() if label != "elapsed_s"]
    return " · ".join([*parts, f"{elapsed // 60}:{elapsed % 60:02d}"])


class Progress:
    """Context manager: shows progress while the pipeline runs, cleans up after.

    ``mode``: ``tty`` (redrawn line), ``log`` (a line every ``LOG_EVERY`` s),
    ``json`` (the same as JSON log records) or ``off``.
    """

    def __init__(self, mode: str, stream: TextIO | None = None) -> None:
        self.mode = mode
        self.stream = stream or sys.stderr
        self.directory: str | None = None
        self._previous_env: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()

    def __enter__(self) -> Progress:
        if self.mode == "off":
            return self
        self.directory = tempfile.mkdtemp(prefix="kiyome-progress-")
        self._previous_env = os.environ.get(PROGRESS_DIR_ENV)
        os.environ[PROGRESS_DIR_ENV] = self.directory
        self._thread = threading.Thread(target=self._loop, name="kiyome-display", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._show(final=True)
        if self._previous_env is None:
            os.environ.pop(PROGRESS_DIR_ENV, None)
        else:
            os.environ[PROGRESS_DIR_ENV] = self._previous_env
        shutil.rmtree(self.directory, ignore_errors=True)

    def _loop(self) -> None:
        interval = REDRAW_EVERY if self.mode == "tty" else LOG_EVERY
        while not self._stop.wait(interval):
            self._show()

    def current(self) -> dict[str, int | float]:
        return status(read_tallies(self.directory), time.monotonic() - self._started)

    def _show(self, final: bool = False) -> None:
        values = self.current()
        if self.mode == "tty":
            end = "\n" if final else ""
            self.stream.write(f"\r\x1b[2K{status_line(values)}{end}")
            self.stream.flush()
        elif not final:
            log.info("progress %s", status_line(values), extra={"progress": values})
