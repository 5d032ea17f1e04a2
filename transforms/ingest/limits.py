"""Limits that keep one pathological file from stalling or exhausting a worker.

Each limit has its own reject reason, so ``rejected/`` says which one fired.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiyome.transforms.ingest.errors import IngestError

MiB = 1024 * 1024


@dataclass(frozen=True)
class IngestLimits:
    """Configurable through ``Ingest(limits=IngestLimits(...))``.

    =======================  ==============================  =============================
    field                    what it bounds                  reason when exceeded
    =======================  ==============================  =============================
    max_file_bytes           bytes of one file or member     ``file_too_large``
    max_chars                characters of one document      ``too_many_chars``
    max_archive_members      members of one archive          ``archive_too_many_members``
    max_archive_bytes        decompressed bytes of one       ``archive_too_large``
                             archive (all members)
    max_compression_ratio    decompressed / compressed       ``archive_ratio``
    max_depth                archives/mails nested in        ``archive_too_deep``
                             archives/mails
    max_pages                pages of one PDF                ``too_many_pages``
    max_cells                non-empty cells of one          ``too_many_cells``
                             spreadsheet (or CSV)
    max_seconds              reading one input file, its     ``timeout``
                             members included (checked
                             between pages, rows, members;
                             per range of a split file)
    =======================  ==============================  =============================

    ``split_bytes`` is not a limit but the size of one read task: a JSONL file
    larger than it is read as line-aligned byte ranges of about that size, a
    Parquet file as runs of row groups, each by whichever worker gets it.
    """

    max_file_bytes: int = 256 * MiB
    max_chars: int = 5_000_000
    max_archive_members: int = 10_000
    max_archive_bytes: int = 1024 * MiB
    max_compression_ratio: float = 100.0
    max_depth: int = 4
    max_pages: int = 2_000
    max_cells: int = 2_000_000
    max_seconds: float = 300.0
    split_bytes: int = 64 * MiB

    def check_file_size(self, size: int) -> None:
        """
        >>> IngestLimits(max_file_bytes=10).check_file_size(11)
        Traceback (most recent call last):
        ...
        kiyome.transforms.ingest.errors.IngestError: file_too_large
        """
        if size > self.max_file_bytes:
            raise IngestError("file_too_large", size=size, limit=self.max_file_bytes)

    def check_chars(self, count: int) -> None:
        if count > self.max_chars:
            raise IngestError("too_many_chars", chars=count, limit=self.max_chars)
