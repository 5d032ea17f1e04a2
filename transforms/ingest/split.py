"""Splitting one large input into read tasks, so a huge JSONL or Parquet file uses every worker.

A :class:`ReadTask` is one element of the reading stage: a whole file, a byte
range of a JSONL file, a run of Parquet row groups, or a rejection decided
while planning. Ranges follow Beam's text source: a byte range ``[start, end)``
*owns the lines that start inside it*, so ranges never share or lose a line,
whatever the split size.

Ids and line numbers must not depend on the split size: a range learns the
number of its first line from a survey of every range of its file (lines per
range, summed in order), and a Parquet chunk knows its first row from the
footer. The survey also decides the file's encoding once, from every range,
exactly as :func:`~kiyome.transforms.ingest.encoding.decode` would on the whole
file; anything but ASCII/UTF-8 (with or without BOM) is read whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

WHOLE = "file"
LINES = "lines"
ROW_GROUPS = "row_groups"
REJECT = "reject"

#: Bytes read past a range's end, a chunk at a time, to finish its last line.
_TAIL_CHUNK = 64 * 1024


@dataclass
class ReadTask:
    """What one worker reads: ``kind`` says how ``start``/``end``/``first`` are meant.

    - ``file``: the whole file (``start``/``end`` unused);
    - ``lines``: bytes ``[start, end)`` of a JSONL file, first owned line numbered ``first``;
    - ``row_groups``: Parquet row groups ``[start, end)``, first row numbered ``first``;
    - ``reject``: ``record`` is a rejection decided while planning.
    """

    path: str
    kind: str = WHOLE
    start: int = 0
    end: int = 0
    first: int = 1
    encoding: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] | None = None


def byte_ranges(size: int, split_bytes: int) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of about ``split_bytes`` covering ``size`` bytes.

    >>> byte_ranges(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    >>> byte_ranges(3, 4), byte_ranges(0, 4)
    ([(0, 3)], [(0, 0)])
    """
    if size <= split_bytes:
        return [(0, size)]
    return [(start, min(start + split_bytes, size)) for start in range(0, size, split_bytes)]


def owned_block(handle: Any, start: int, end: int) -> bytes:
    """The complete lines that start in ``[start, end)`` of an open, seekable file.

    A range starting mid-line skips to the next line; the last owned line is
    read to its end even past ``end``.
    """
    offset = max(start - 1, 0)
    handle.seek(offset)
    data = handle.read(end - offset)
    if start > 0:
        newline = data.find(b"\n")
        if newline < 0:  # no line starts in this range
            return b""
        data = data[newline + 1:]
    if data and not data.endswith(b"\n"):
        tail = bytearray()
        while True:
            chunk = handle.read(_TAIL_CHUNK)
            if not chunk:
                break
            newline = chunk.find(b"\n")
            if newline >= 0:
                tail += chunk[:newline + 1]
                break
            tail += chunk
        data += bytes(tail)
    return data


def block_lines(block: bytes) -> list[bytes]:
    r"""Lines of a block of complete lines, without their ``\n`` (or ``\r\n``).

    >>> block_lines(b'a\r\n\nb\n'), block_lines(b'a\nb'), block_lines(b'')
    ([b'a', b'', b'b'], [b'a', b'b'], [])
    """
    if not block:
        return []
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


@dataclass(frozen=True)
class RangeSurvey:
    """What a range holds: its lines, and the byte facts that decide the file's encoding."""

    start: int
    end: int
    lines: int
    content: bool
    ascii: bool
    utf8: bool
    escape: bool
    nul: bool


def survey_block(start: int, end: int, block: bytes) -> RangeSurvey:
    """Facts of one range's owned ``block`` (a UTF-8 BOM is only ever looked for at offset 0).

    >>> s = survey_block(0, 9, codecs.BOM_UTF8 + '{"a":1}\\n'.encode())
    >>> s.lines, s.ascii, s.utf8
    (1, False, True)
    """
    body = block[len(codecs.BOM_UTF8):] if start == 0 and block.startswith(
        codecs.BOM_UTF8) else block
    try:
        body.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    return RangeSurvey(start, end, len(block_lines(block)), bool(body.strip()), block.isascii(),
                       utf8, b"\x1b" in block, b"\x00" in block)


def file_encoding(surveys: Iterable[RangeSurvey], bom: bool) -> str | None:
    """The encoding ``decode()`` would find for the whole file, when it is ASCII or UTF-8.

    None: anything else (legacy encodings, ISO-2022-JP, NUL bytes); such a file is read whole.

    >>> a = RangeSurvey(0, 4, 1, True, True, True, False, False)
    >>> u = RangeSurvey(4, 8, 1, True, False, True, False, False)
    >>> file_encoding([a], False), file_encoding([a, u], False), file_encoding([a, u], True)
    ('ascii', 'utf-8', 'utf-8-sig')
    >>> file_encoding([RangeSurvey(0, 4, 1, True, False, False, False, False)], False) is None
    True
    """
    surveys = list(surveys)
    if not all(s.utf8 for s in surveys) or any(s.nul for s in surveys):
        return None
    if bom:
        return "utf-8-sig"
    if all(s.ascii for s in surveys):
        return None if any(s.escape for s in surveys) else "ascii"
    return "utf-8"


def number_ranges(path: str, surveys: Iterable[RangeSurvey], bom: bool,
                  facts: dict[str, Any]) -> Iterator[ReadTask]:
    """Line-range tasks with their first line numbers, or one whole-file task.

    The whole file is read instead when its encoding is not ASCII/UTF-8, when it
    holds no line with content (so the usual ``no_documents`` rejection applies),
    or when it is one line (nothing to share out; a CR-only file is one LF-line).

    >>> s = [RangeSurvey(4, 8, 2, True, True, True, False, False),
    ...      RangeSurvey(0, 4, 3, True, True, True, False, False)]
    >>> [(t.kind, t.start, t.first, t.encoding) for t in number_ranges("p", s, False, {})]
    [('lines', 0, 1, 'ascii'), ('lines', 4, 4, 'ascii')]
    """
    ordered = sorted(surveys, key=lambda s: s.start)
    encoding = file_encoding(ordered, bom)
    if (encoding is None or not any(s.content for s in ordered)
            or sum(s.lines for s in ordered) <= 1):
        yield ReadTask(path, WHOLE, facts=facts)
        return
    first = 1
    for survey in ordered:
        if survey.lines:
            yield ReadTask(path, LINES, survey.start, survey.end, first, encoding, facts)
        first += survey.lines


def row_group_chunks(group_bytes: list[int], group_rows: list[int],
                     split_bytes: int) -> list[tuple[int, int, int]]:
    """Runs of row groups ``(first_group, end_group, first_row)`` of about ``split_bytes``.

    A row group is never split; a run closes once it reaches ``split_bytes``.

    >>> row_group_chunks([5, 5, 5, 5, 5], [10, 10, 10, 10, 3], 10)
    [(0, 2, 0), (2, 4, 20), (4, 5, 40)]
    """
    chunks: list[tuple[int, int, int]] = []
    start = row = first_row = 0
    size = 0
    for index, (group_size, rows) in enumerate(zip(group_bytes, group_rows, strict=True)):
        size += group_size
        row += rows
        if size >= split_bytes:
            chunks.append((start, index + 1, first_row))
            start, first_row, size = index + 1, row, 0
    if start < len(group_bytes):
        chunks.append((start, len(group_bytes), first_row))
    return chunks
