"""Archives: ``.zip``, ``.tar``, ``.tar.gz``/``.tgz`` and single-file ``.gz``, expanded recursively.

Members are yielded as :class:`Member` and read like files of their own (source
``…zip#member=dir/a.docx``), so an archive inside an archive is expanded too, up
to ``max_depth``. Zip bombs are stopped by limits checked *while* decompressing
(headers can lie): member count ``archive_too_many_members``, total decompressed
bytes ``archive_too_large``, decompressed/compressed ratio ``archive_ratio``,
nesting ``archive_too_deep``. Limits are checked before any member is yielded, so
a rejected archive is one rejection, never half its members.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator

from kiyome.transforms.ingest.encoding import decode
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.base import Member, ReadContext

ZIP_EXTENSIONS = (".zip",)
TAR_EXTENSIONS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
GZIP_EXTENSIONS = (".gz",)
_CHUNK = 1024 * 1024
_UTF8_NAME_FLAG = 0x800


class _Budget:
    """Decompressed bytes and members so far, against the archive limits."""

    def __init__(self, ctx: ReadContext, compressed: int) -> None:
        self.limits = ctx.limits
        self.compressed = max(1, compressed)
        self.members = 0
        self.total = 0
        if ctx.depth + 1 > self.limits.max_depth:
            raise IngestError("archive_too_deep", depth=ctx.depth + 1,
                              limit=self.limits.max_depth)

    def add_member(self) -> None:
        self.members += 1
        if self.members > self.limits.max_archive_members:
            raise IngestError("archive_too_many_members", limit=self.limits.max_archive_members)

    def add_bytes(self, count: int) -> None:
        self.total += count
        if self.total > self.limits.max_archive_bytes:
            raise IngestError("archive_too_large", limit=self.limits.max_archive_bytes)
        ratio = self.total / self.compressed
        if self.total > 1024 * 1024 and ratio > self.limits.max_compression_ratio:
            raise IngestError("archive_ratio", ratio=round(ratio, 1),
                              limit=self.limits.max_compression_ratio)

    def read(self, handle: io.BufferedIOBase) -> bytes:
        chunks = []
        while chunk := handle.read(_CHUNK):
            self.add_bytes(len(chunk))
            chunks.append(chunk)
        return b"".join(chunks)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Member name; names without the UTF-8 flag are usually CP932 on Japanese Windows."""
    if info.flag_bits & _UTF8_NAME_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return decode(raw).text
    except IngestError:
        return info.filename


def _zip_time(parts: tuple[int, ...]) -> str:
    year, month, day, hour, minute, second = parts
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"


def read_zip(data: bytes, ctx: ReadContext) -> Iterator[Member]:
    budget = _Budget(ctx, len(data))
    members: list[Member] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            ctx.check_time()
            if info.is_dir():
                continue
            budget.add_member()
            if info.flag_bits & 0x1:
                raise IngestError("encrypted", member=len(members) + 1)
            with archive.open(info) as handle:
                payload = budget.read(handle)
            name = _zip_name(info)
            members.append(Member(posixpath.basename(name), payload, f"member={name}",
                                  {"modified": _zip_time(info.date_time)}))
    if not members:
        raise IngestError("empty_archive")
    yield from members


def read_tar(data: bytes, ctx: ReadContext) -> Iterator[Member]:
    budget = _Budget(ctx, len(data))
    members: list[Member] = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for info in archive:
            ctx.check_time()
            if not info.isfile():
                continue
            budget.add_member()
            handle = archive.extractfile(info)
            payload = budget.read(handle) if handle is not None else b""
            modified = dt.datetime.fromtimestamp(info.mtime, dt.UTC).isoformat(
                timespec="seconds") if info.mtime else None
            members.append(Member(posixpath.basename(info.name), payload,
                                  f"member={info.name}",
                                  {"modified": modified} if modified else {}))
    if not members:
        raise IngestError("empty_archive")
    yield from members


def read_gzip(data: bytes, ctx: ReadContext) -> Iterator[Member]:
    budget = _Budget(ctx, len(data))
    budget.add_member()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        payload = budget.read(handle)
    name = posixpath.basename(ctx.name)[: -len(".gz")] or "member"
    yield Member(name, payload, f"member={name}")
