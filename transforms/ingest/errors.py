"""The one error a reader raises: a reason code for ``rejected/`` plus non-personal detail."""

from __future__ import annotations

from typing import Any


class IngestError(Exception):
    """A file (or a unit inside one) that cannot become a document.

    ``reason`` is the reject code written to ``rejected/`` and counted as
    ``rejected.ingest.<reason>``; ``detail`` holds codes and numbers only, never text.

    >>> IngestError("mojibake", replacement_chars=3).reason
    'mojibake'
    """

    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
