"""Sentences of Japanese text: where a topic, a label or an NER question ends.

A sentence ends after 。！？ (or their ASCII forms) or at a line break; business
text often has no punctuation at all, so ``radius`` can clip a sentence to the
characters around the position.

>>> text = "会議は10時。佐藤さんは入院中です。以上"
>>> start, end = sentence_bounds(text, 9)
>>> text[start:end]
'佐藤さんは入院中です。'
>>> start, end = sentence_bounds("あ" * 100, 50, radius=10)
>>> start, end
(40, 60)
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[。！？!?]+|\n")


def sentence_bounds(text: str, position: int, radius: int | None = None) -> tuple[int, int]:
    """Start and end of the sentence around ``position``, at most ``radius`` characters
    on each side when given."""
    lo = 0 if radius is None else max(0, position - radius)
    hi = len(text) if radius is None else min(len(text), position + radius)
    start = lo
    for match in SENTENCE_END.finditer(text, lo, position):
        start = match.end()
    match = SENTENCE_END.search(text, position, hi)
    return start, match.end() if match else hi
