"""Quoted replies in a mail thread: which quoted paragraphs another document already holds.

A reply that quotes its parent (``> …`` lines) repeats text the corpus already
has when the parent is also a document of the run; when the parent is not, the
quote is the only copy of that text and removing it would lose it. So a quoted
paragraph is matched against the *original* (unquoted) paragraphs of every
document by a fingerprint: NFKC, ``>`` prefixes and all whitespace removed, so
re-wrapped quotes and full-width ``＞`` match too; and line by line, so a reply
that quotes three lines of a longer paragraph matches as well (a quoted paragraph
goes when its fingerprint, or every one of its lines', is settled as "remove").
What the thread join decides for one fingerprint (:func:`removals`):

* some document holds it as original text: every quoted copy goes;
* only quotes hold it: the document with the smallest id keeps its copies, the
  others lose theirs (one copy of the text stays in the corpus);

Quoted paragraphs no fingerprint match removes stay in the text, ``>`` and all.
The line rule never loses text either: a line no document holds as its own is
kept by the smallest quoting id, and that document's paragraph holding it stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass

import apache_beam as beam
import xxhash

QUOTE = re.compile(r"^\s*[>＞]")
#: Every level of quoting at the start of a line (``> > ``, ``＞＞``).
QUOTE_PREFIX = re.compile(r"^(?:\s*[>＞])+")
QUOTE_INTRO = re.compile(
    r"^\s*(?:-{3,}\s*(?:Original Message|Forwarded message|元のメッセージ)\s*-{3,}"
    r"|.{0,80}(?:wrote|書きました|<[^<>\s]+@[^<>\s]+>)\s*[:：]\s*$)", re.IGNORECASE)
#: A quoted run shorter than this is content (a single ``> 引用`` line stays).
MIN_QUOTE_LINES = 2


def line_key(line: str) -> str:
    """A line as fingerprints read it: quote marks off, NFKC, no whitespace at all
    (:func:`~kiyome.transforms.normalize.key_text` without its spaces, computed once a line).

    >>> from kiyome.transforms.normalize import key_text
    >>> line = "> 会議は　３月１０日 です。"
    >>> line_key(line) == key_text("会議は 3月10日 です。").replace(" ", "")
    True
    """
    return "".join(unicodedata.normalize("NFKC", QUOTE_PREFIX.sub("", line)).split())


def _hash(key: str) -> int:
    return xxhash.xxh3_64_intdigest(key.encode("utf-8", "surrogatepass"))


def fingerprint(lines: Iterable[str]) -> int:
    """64-bit fingerprint of a paragraph: NFKC, quote marks and whitespace removed.

    >>> fingerprint(["> 会議は３月１０日です。", "> よろしく"]) == fingerprint(
    ...     ["会議は3月10日", "です。よろしく"])
    True
    >>> fingerprint(["＞＞ 承知しました"]) == fingerprint(["承知しました"])
    True
    """
    return _hash("".join(line_key(line) for line in lines))


def _run_fingerprints(run: list[int], keys: list[str]) -> tuple[int, tuple[int, ...]]:
    """A paragraph's fingerprint and its lines' (the same for a one-line paragraph)."""
    lines = tuple(_hash(keys[i]) for i in run)
    return (lines[0] if len(run) == 1 else _hash("".join(keys[i] for i in run))), lines


def depth(line: str) -> int:
    """How many levels of quoting a line has.

    >>> depth("本文"), depth("> 返信"), depth("> > 元の文"), depth("＞＞引用")
    (0, 1, 2, 2)
    """
    match = QUOTE_PREFIX.match(line)
    return match.group().count(">") + match.group().count("＞") if match else 0


def paragraphs(indexes: Iterable[int], lines: list[str],
               keys: list[str] | None = None) -> list[list[int]]:
    """Runs of ``indexes`` whose lines hold text after their quote marks, split at blank
    lines and where the quoting depth changes (``> 山田 wrote:`` above ``> > 本文``).

    >>> paragraphs(range(6), ["> a", "> b", ">", "> c wrote:", "> > d", "> > e"])
    [[0, 1], [3], [4, 5]]
    """
    keys = keys if keys is not None else [line_key(line) for line in lines]
    runs: list[list[int]] = [[]]
    for index in indexes:
        if keys[index]:
            if runs[-1] and (runs[-1][-1] != index - 1
                             or depth(lines[index]) != depth(lines[runs[-1][-1]])):
                runs.append([])
            runs[-1].append(index)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


@dataclass(frozen=True)
class QuotedParagraph:
    """A quoted paragraph's line indexes, its fingerprint and its lines' fingerprints."""

    lines: tuple[int, ...]
    fp: int
    line_fps: tuple[int, ...]

    def fingerprints(self) -> set[int]:
        return {self.fp, *self.line_fps}

    def goes(self, remove: Container[int]) -> bool:
        """Whole, or line by line (a reply quoting three lines of a longer paragraph)."""
        return self.fp in remove or all(fp in remove for fp in self.line_fps)


@dataclass(frozen=True)
class QuoteBlock:
    """A run of quoted lines, the line introducing it, and its paragraphs."""

    lines: range
    intro: int | None
    paragraphs: tuple[QuotedParagraph, ...]


def quote_blocks(lines: list[str], keys: list[str] | None = None) -> list[QuoteBlock]:
    """The quoted-reply runs (``MIN_QUOTE_LINES`` or more ``>`` lines) of a text.

    >>> blocks = quote_blocks(["了解です。", "", "山田 wrote:", "> 議事録です。", ">", "> 以上"])
    >>> [(b.lines, b.intro, [p.lines for p in b.paragraphs]) for b in blocks]
    [(range(3, 6), 2, [(3,), (5,)])]
    """
    blocks: list[QuoteBlock] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and QUOTE.match(lines[end]):
            end += 1
        if end - index >= MIN_QUOTE_LINES:
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            intro = before if before >= 0 and QUOTE_INTRO.match(lines[before]) else None
            if keys is None:
                keys = [line_key(line) for line in lines]
            found = tuple(QuotedParagraph(tuple(run), *_run_fingerprints(run, keys))
                          for run in paragraphs(range(index, end), lines, keys))
            blocks.append(QuoteBlock(range(index, end), intro, found))
        index = max(end, index + 1)
    return blocks


def original_fingerprints(lines: list[str], blocks: list[QuoteBlock],
                          keys: list[str] | None = None) -> set[int]:
    """Fingerprints of the paragraphs outside quoted runs, and of each of their lines.

    Taken before signatures and disclaimers are removed, and with the lines that
    introduce quotes, so a reply quoting this one verbatim (its signature, its
    ``… wrote:`` line above the older quote) matches it paragraph for paragraph.
    """
    quoted = {i for block in blocks for i in block.lines}
    own = (i for i in range(len(lines)) if i not in quoted)
    keys = keys if keys is not None else [line_key(line) for line in lines]
    found: set[int] = set()
    for run in paragraphs(own, lines, keys):
        paragraph, each = _run_fingerprints(run, keys)
        found.add(paragraph)
        found.update(each)
    return found


def settle(lines: list[str], block: QuoteBlock, remove: Container[int]) -> list[bool]:
    """Whether each paragraph of ``block`` goes: its own fingerprints, and a quoted
    ``… wrote:`` line goes with the deeper quote below it when all of that goes.

    >>> text = ["> 了解です。", ">", "> 山田 wrote:", "> > 議事録です。", "> > 以上"]
    >>> block = quote_blocks(text)[0]
    >>> settle(text, block, {fingerprint(["議事録です。", "以上"])})
    [False, True, True]
    """
    goes = [paragraph.goes(remove) for paragraph in block.paragraphs]
    levels = [depth(lines[paragraph.lines[0]]) for paragraph in block.paragraphs]
    for index, paragraph in enumerate(block.paragraphs):
        first = lines[paragraph.lines[0]]
        if goes[index] or len(paragraph.lines) != 1 or \
                not QUOTE_INTRO.match(QUOTE_PREFIX.sub("", first)):
            continue
        below = index + 1
        while below < len(goes) and levels[below] > levels[index]:
            below += 1
        goes[index] = below > index + 1 and all(goes[index + 1:below])
    return goes


class QuoteFateFn(beam.CombineFn):
    """Per fingerprint: (held as original text anywhere, smallest id of a document quoting it).

    Inputs are ``None`` (an original occurrence) or the id of a quoting
    document; a fingerprint shared by a million greetings folds to one small
    accumulator per worker before the shuffle.
    """

    def create_accumulator(self) -> tuple[bool, str | None]:
        return (False, None)

    def add_input(self, acc, quoter):
        original, keeper = acc
        if quoter is None:
            return (True, keeper)
        return (original, quoter if keeper is None or quoter < keeper else keeper)

    def merge_accumulators(self, accumulators):
        original, keeper = False, None
        for other_original, other_keeper in accumulators:
            original = original or other_original
            if other_keeper is not None and (keeper is None or other_keeper < keeper):
                keeper = other_keeper
        return (original, keeper)

    def extract_output(self, acc):
        return acc


def removals(joined: tuple[int, dict[str, Iterable]]) -> Iterator[tuple[str, int]]:
    """(fingerprint, {fate, quoters}) -> (document id, fingerprint) of each copy to remove.

    >>> sorted(removals((7, {"fate": [(True, "a")], "quoter": ["b", "a", "b"]})))
    [('a', 7), ('b', 7)]
    >>> sorted(removals((7, {"fate": [(False, "a")], "quoter": ["c", "a", "b"]})))
    [('b', 7), ('c', 7)]
    """
    fp, groups = joined
    for original, keeper in groups["fate"]:
        for quoter in set(groups["quoter"]):
            if original or quoter != keeper:
                yield quoter, fp
