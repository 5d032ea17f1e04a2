"""Timing and memory from /proc: one core, alternating runs, peak RSS per process.

psutil is not a dependency; everything here reads ``/proc`` directly.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def pin_one_core() -> int | None:
    """Pin this process to its first allowed core: rates are then per core."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = sorted(os.sched_getaffinity(0))[0]
    os.sched_setaffinity(0, {core})
    return core


def status_kb(pid: int | str, key: str) -> int:
    """A ``kB`` field of ``/proc/PID/status`` (``VmHWM``, ``VmRSS``); 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def reset_peak() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux >= 4.0); False if refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    return status_kb("self", "VmHWM") / 1024


@dataclass
class Side:
    """One side of a comparison: seconds per round (best kept) and peak RSS."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    @property
    def best(self) -> float:
        return min(self.seconds)


def paired_ratio(ours: Side, theirs: Side) -> float:
    """Median over rounds of reference time / our time (> 1: ours is faster).

    Each round runs both sides back to back, so a neighbour's burst of load
    hits a pair, not one side; the median drops the pairs it split.
    """
    return statistics.median(t / o for o, t in zip(ours.seconds, theirs.seconds, strict=True))


def alternate(sides: dict[str, Callable[[], object]], rounds: int) -> dict[str, Side]:
    """Run each side ``rounds`` times, interleaved (A B A B …), on the same input.

    Interleaving spreads a noisy neighbour over both sides, so their ratio holds;
    the best round of each side is the one least disturbed. A warm-up call of
    each side runs first (caches, lazy imports) and is not timed. Peak memory
    is per side when the kernel lets us reset the high-water mark.
    """
    results = {name: Side(name) for name in sides}
    for function in sides.values():
        function()
    for _ in range(rounds):
        for name, function in sides.items():
            resettable = reset_peak()
            start = time.perf_counter()
            function()
            results[name].seconds.append(time.perf_counter() - start)
            if resettable or not results[name].peak_rss_mb:
                results[name].peak_rss_mb = max(results[name].peak_rss_mb, peak_mb())
    return results


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, stack = _children(), [], [pid]
    while stack:
        for child in tree.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def process_name(pid: int) -> str:
    """``/proc/PID/comm``: what the process calls itself (empty once it has gone)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text(errors="replace").strip()
    except OSError:
        return ""


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace").strip()
    except OSError:
        return ""


class TreeMemory:
    """Samples the peak RSS (VmHWM) of a process and all its descendants, in a thread.

    VmHWM is the kernel's own high-water mark, so a sample taken any time before
    a process exits sees its peak; sampling every ``interval`` seconds only risks
    missing a process that lives shorter than that.
    """

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks_kb: dict[int, int] = {}
        self.commands: dict[int, str] = {}
        self.names: dict[int, str] = {}  # the last /proc/PID/comm seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        for pid in [self.pid, *descendants(self.pid)]:
            peak = status_kb(pid, "VmHWM")
            if peak:
                self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), peak)
                if pid not in self.commands:
                    self.commands[pid] = cmdline(pid)
                self.names[pid] = process_name(pid) or self.names.get(pid, "")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def workers_mb(self, marker: str = "sdk_worker", named: str | None = None,
                   not_named: str | None = None) -> list[float]:
        """Peaks of the SDK worker processes (their command line names ``marker``),
        optionally only those whose process name is ``named`` / is not ``not_named``.

        Beam starts each worker through ``/bin/sh -c``; the shells are not workers.
        """
        return [kb / 1024 for pid, kb in sorted(self.peaks_kb.items())
                if marker in self.commands.get(pid, "")
                and not self.commands[pid].startswith(("/bin/sh ", "sh "))
                and (named is None or self.names.get(pid) == named)
                and (not_named is None or self.names.get(pid) != not_named)]

    def main_mb(self) -> float:
        return self.peaks_kb.get(self.pid, 0) / 1024


def rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


def chars_of(texts: Sequence[str]) -> int:
    return sum(len(text) for text in texts)
