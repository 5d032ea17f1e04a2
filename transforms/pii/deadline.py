"""A per-document time limit for PII detection, so one input cannot hang a worker.

Regex engines backtrack: a pattern that is linear on real text can go
exponential on a crafted run of digits, hyphens or dots. Detection therefore
runs under a deadline (per calling thread: Beam runs bundles on several
threads). Recognizers check it before they start and give the ``regex``
module the time that is left as its ``timeout``, so even a match that never
returns is cut off; ``detect_many`` checks it between chunks and before NER.
A document that exceeds it is quarantined (``pii_timeout``), never written.

>>> with time_limit(60):
...     remaining(5.0)
5.0
>>> remaining(5.0)  # no limit in force: the caller's default
5.0
>>> try:
...     with time_limit(0):
...         check()
... except TimeoutError as error:
...     print(error)
PII detection exceeded its time limit
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_local = threading.local()


class DetectionTimeout(TimeoutError):
    """Detection ran past its deadline (``regex`` raises plain ``TimeoutError`` too)."""

    def __init__(self) -> None:
        super().__init__("PII detection exceeded its time limit")


@dataclass(frozen=True)
class TimeLimit:
    """Seconds one document may spend in detection: ``base + chars / min_chars_per_s``.

    Proportional to length because a 5 M-character document legitimately needs
    about a minute at the measured ~76 k chars/s; ``min_chars_per_s`` is set
    several times below that, so only pathological input reaches the limit.
    """

    base_seconds: float = 60.0
    min_chars_per_s: float = 10_000.0

    def seconds_for(self, chars: int) -> float:
        """The limit of ``chars`` characters, one document or a batch detected together.

        A batch gets one ``base_seconds``, not one per document: a batch that
        times out is retried document by document, each under its own limit,
        so a pathological document costs at most two limits, never 64.

        >>> TimeLimit(10, 1000).seconds_for(5000)
        15.0
        """
        return self.base_seconds + chars / self.min_chars_per_s


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block under a deadline ``seconds`` from now (nested: the earlier one wins)."""
    previous = getattr(_local, "deadline", None)
    deadline = time.monotonic() + seconds
    _local.deadline = deadline if previous is None else min(previous, deadline)
    try:
        yield
    finally:
        _local.deadline = previous


def check() -> None:
    """Raise :class:`DetectionTimeout` if the current deadline has passed."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() >= deadline:
        raise DetectionTimeout()


def remaining(default: float) -> float:
    """Seconds left for one regex call (at most ``default``); raises once none are left."""
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return default
    left = deadline - time.monotonic()
    if left <= 0:
        raise DetectionTimeout()
    return min(default, left)
