"""What a reader gets and gives back.

A reader is ``read(data: bytes, ctx: ReadContext) -> Iterable[Item]``. It yields

- :class:`Extracted` — a document's text and metadata (one per file, or one per
  JSONL line / Parquet row / mbox message),
- :class:`Member` — a nested file (archive member, mail attachment) that the
  ingest DoFn reads recursively as a unit of its own,
- :class:`Skipped` — a unit inside the file that cannot become a document
  (a JSONL line that is not JSON),

or raises :class:`~kiyome.transforms.ingest.errors.IngestError` when the file as
a whole cannot be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.limits import IngestLimits


@dataclass(frozen=True)
class ReadContext:
    source: str
    name: str
    limits: IngestLimits = field(default_factory=IngestLimits)
    text_column: str = "text"
    id_column: str = "id"
    depth: int = 0
    #: ``time.monotonic()`` after which reading gives up (``timeout``); inf: never.
    deadline: float = float("inf")

    def check_time(self) -> None:
        """Raise ``timeout`` once the file's time is up; readers call it between units of work.

        It is cooperative: a single library call that never returns is not interrupted.
        """
        if time.monotonic() > self.deadline:
            raise IngestError("timeout", limit=self.limits.max_seconds)


@dataclass
class Extracted:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Where inside the file (``line:3``, ``row:12``); part of the stable id.
    locator: str = ""
    #: An id the input carries (JSONL ``id``, Parquet id column).
    doc_id: str | None = None


@dataclass
class Member:
    name: str
    data: bytes
    #: Appended to the container's source: ``member=a/b.txt``, ``attachment=2/report.docx``.
    locator: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Skipped:
    reason: str
    locator: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


Item = Extracted | Member | Skipped
Reader = Callable[[bytes, ReadContext], Iterable[Item]]

__all__ = ["Extracted", "IngestError", "Item", "Member", "ReadContext", "Reader", "Skipped"]
