"""Sudachi morpheme counts: the shards' ``n_tokens``, a token estimate for planning budgets.

Counted in split mode C over the text cut into pieces Sudachi accepts (it refuses
more than 49,149 UTF-8 bytes at once). The PII stage counts as it masks (its own
Sudachi pass already read most texts); the writer counts what arrives without.
"""

from __future__ import annotations

import threading

#: Sudachi refuses input longer than 49,149 bytes; chunks stay under this.
SUDACHI_MAX_BYTES = 49_000


def sudachi_chunks(text: str, max_bytes: int = SUDACHI_MAX_BYTES) -> list[str]:
    """``text`` cut into pieces of at most ``max_bytes`` UTF-8 bytes, at line ends if possible.

    >>> [len(c) for c in sudachi_chunks("あ" * 10 + "\\n" + "い" * 5, max_bytes=12)]
    [3, 3, 3, 2, 3, 2]
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        line_bytes = len(line.encode("utf-8"))
        if size + line_bytes > max_bytes and current:
            chunks.append("".join(current))
            current, size = [], 0
        if line_bytes > max_bytes:
            step = max(1, max_bytes // 4)  # at most 4 bytes per character
            chunks.extend(line[start:start + step] for start in range(0, len(line), step))
            continue
        current.append(line)
        size += line_bytes
    if current:
        chunks.append("".join(current))
    return chunks


class MorphemeCounter:
    """Sudachi (core dictionary, split mode C): the dictionary loaded once per process.

    A Sudachi tokenizer cannot be used by two threads at once ("Already borrowed"),
    and Beam workers run several bundles in threads, so each thread makes its own
    (cheap) tokenizer from the shared dictionary.
    """

    def __init__(self, dictionary=None) -> None:
        from sudachipy import Dictionary

        self._dictionary = dictionary if dictionary is not None else Dictionary(dict="core")
        self._local = threading.local()

    def count(self, text: str) -> int:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            from sudachipy import SplitMode

            tokenizer = self._local.tokenizer = self._dictionary.create(SplitMode.C)
        return sum(len(tokenizer.tokenize(chunk)) for chunk in sudachi_chunks(text))
