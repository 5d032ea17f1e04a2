"""Plain text: ``.txt``, ``.md`` — encoding detected, line ends normalised to LF."""

from __future__ import annotations

from collections.abc import Iterator

from kiyome.transforms.ingest.encoding import decode, normalize_newlines
from kiyome.transforms.ingest.formats.base import Extracted, ReadContext

EXTENSIONS = (".txt", ".md", ".text", ".markdown")


def read_text(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    decoded = decode(data)
    yield Extracted(normalize_newlines(decoded.text), {"encoding": decoded.encoding})
