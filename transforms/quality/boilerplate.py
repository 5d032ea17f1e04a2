"""Boilerplate inside a document: page furniture, quoted replies, mail signatures, disclaimers.

Removed before dedup and PII, so two mails that differ only in their quoted
thread or signature are compared on what they say, and a model does not learn
the same footer ten thousand times. Each kind is counted (Beam counters
``kiyome:boilerplate.<kind>``, lines, and ``kiyome:boilerplate.<kind>.documents``).
Conservative by design:

* page furniture: bare page numbers (``- 3 -``, ``3/10``, ``Page 3 of 10``) go;
  a short line carrying a page number (``社外秘 3/10``) repeated on several pages
  is kept once, so a confidentiality marker still reaches the policy;
* quoted replies: runs of two or more lines starting with ``>`` / ``＞`` go only
  where the thread already holds them (``quotes.py``): a quoted paragraph another
  document of the run has as its own text goes (``quoted_reply``, with the
  ``-----Original Message-----`` / ``… wrote:`` line when the whole run goes);
  one only quotes hold stays in the quoting document with the smallest id and
  goes from the others; the rest stays (``quoted_reply_kept``): when the
  quoted message is not in the corpus, its quote is the only copy of its text;
* signatures: a block opened by ``-- `` or a ruled line (``====``, ``━━━``) that
  holds contact details (TEL, 〒, e-mail…) and ends the message (only blank lines
  or quoted text follow): a form's ruled sections with 電話 fields are not at the end;
* disclaimers: a paragraph about confidential content received in error; one
  that carries a real marker (社外秘, 極秘, 社内限り, 【秘】) is kept for the policy.

The thread join sees every document's paragraph fingerprints (integers) but the
text of quoting documents only: a document without a quoted run is finished in
one step and is never shuffled. An original dropped by a later stage (quality,
dedup, the policy) still counts as present.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from kiyome.transforms.quality.quotes import (
    QUOTE_PREFIX,
    QuoteBlock,
    QuoteFateFn,
    line_key,
    original_fingerprints,
    quote_blocks,
    removals,
    settle,
)
from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject
from kiyome.transforms.stage_metrics import tally, timed

STAGE = "boilerplate"
#: Counted per kind (lines, and documents as ``<kind>.documents``); every kind but
#: ``quoted_reply_kept`` (quoted lines no other document holds) is removed.
KINDS = ("page_furniture", "quoted_reply", "quoted_reply_kept", "signature", "disclaimer")
#: Side outputs of the first step: (fingerprint, None | quoting id), (id, quoting document).
FINGERPRINTS, QUOTING = "fingerprints", "quoting"
_PAGE = (r"(?:[-―—]\s*\d{1,4}\s*[-―—]|\d{1,4}\s*/\s*\d{1,4}"
         r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*ページ|第\s*\d{1,4}\s*頁)")
BARE_PAGE = re.compile(rf"^\s*{_PAGE}\s*$", re.IGNORECASE)
WITH_PAGE = re.compile(rf"{_PAGE}", re.IGNORECASE)
RULE = re.compile(r"^\s*(?:-- ?|([=\-─━＝＿_*＊~〜・])\1{9,})\s*$")
#: Contact details with a value: a phone number, an e-mail address, a postcode, a URL.
CONTACT = re.compile(r"\d{2,4}[-‐－−ー]\d{2,4}[-‐－−ー]\d{3,4}|[\w.+-]+[@＠][\w-]+\.\w"
                     r"|〒\s*\d{3}|https?://")
DISCLAIMER_TOPIC = re.compile(r"機密|秘密|confidential|privileged", re.IGNORECASE)
DISCLAIMER_ACT = re.compile(r"誤って|誤送信|お手数|削除|破棄|intended recipient|delete|notify",
                            re.IGNORECASE)
REAL_MARKER = re.compile(r"社外秘|極秘|社内限り|【秘】|㊙")
#: Lines between two repeats of a page header, at least.
PAGE_GAP = 4
#: A signature or disclaimer longer than this is not one.
MAX_BLOCK_LINES = 12


def _page_key(folded: str) -> tuple[str, int | None]:
    """The line with its page number as ``#`` (an ``N/M`` keeps its M), and N.

    >>> _page_key("社外秘 3/10"), _page_key("- 4 -")
    (('社外秘 #/10', 3), ('#', 4))
    """
    match = WITH_PAGE.search(folded)
    number = int(re.search(r"\d+", match.group()).group())
    total = re.fullmatch(r"(\d+)\s*/\s*(\d+)", match.group())
    page = f"#/{total.group(2)}" if total else "#"
    return folded[:match.start()] + page + folded[match.end():], number


def _furniture(lines: list[str]) -> set[int]:
    """Indexes of page numbers and of repeats of a page-numbered header or footer.

    A repeat must look like pagination, not a list of dates (3/10, 3/17): the
    same key at least ``PAGE_GAP`` lines apart with rising numbers (M the same for N/M).
    A bare ``N/M`` line counts only under the same rule; ``- N -``, ``Page N`` always.
    """
    keys: dict[int, tuple[str, int]] = {}
    bare: set[int] = set()
    for index, line in enumerate(lines):
        folded = unicodedata.normalize("NFKC", line).strip()
        if len(folded) <= 40 and WITH_PAGE.search(folded):
            keys[index] = _page_key(folded)
            if BARE_PAGE.match(folded):
                bare.add(index)
    by_key: dict[str, list[int]] = {}
    for index, (key, _) in keys.items():
        by_key.setdefault(key, []).append(index)
    paginated = set()
    for key, indexes in by_key.items():
        numbers = [keys[i][1] for i in indexes]
        gaps = [b - a for a, b in pairwise(indexes)]
        if (len(indexes) >= 2 and all(g >= PAGE_GAP for g in gaps)
                and numbers == sorted(set(numbers))):
            paginated.add(key)
    drop = set()
    for key, indexes in by_key.items():
        if indexes[0] in bare and ("/" not in key or key in paginated):
            drop.update(indexes)
        elif key in paginated:
            drop.update(indexes[1:])  # the first stays: it may be the policy's marker
    return drop


def _signature(lines: list[str], gone: set[int]) -> set[int]:
    """Indexes of a signature: from a rule line to the end of the message (removed lines
    aside), after some message, at most one more rule (closing it), holding contact values."""
    live = [i for i in range(len(lines)) if i not in gone and lines[i].strip()]
    for position, start in enumerate(live):
        block = live[position:]
        if position == 0 or not RULE.match(lines[start]) or len(block) > MAX_BLOCK_LINES:
            continue
        inner = [i for i in block[1:] if RULE.match(lines[i])]
        if inner and inner != [block[-1]]:
            continue  # ruled sections of a form, not a signature
        if any(CONTACT.search(lines[i]) for i in block):
            return set(range(start, block[-1] + 1))
    return set()


def _disclaimers(lines: list[str], gone: set[int]) -> set[int]:
    """Indexes of paragraphs that disclaim confidential mail received in error."""
    drop: set[int] = set()
    paragraph: list[int] = []
    for index in [*range(len(lines)), len(lines)]:
        if index < len(lines) and lines[index].strip() and index not in gone:
            paragraph.append(index)
            continue
        text = "\n".join(lines[i] for i in paragraph)
        if (paragraph and len(paragraph) <= MAX_BLOCK_LINES and DISCLAIMER_TOPIC.search(text)
                and DISCLAIMER_ACT.search(text) and not REAL_MARKER.search(text)):
            drop.update(paragraph)
        paragraph = []
    return drop


@dataclass(frozen=True)
class Boilerplate:
    """What one document holds: its lines, the lines removed per kind, its quoted runs."""

    lines: list[str]
    removed: dict[str, set[int]]
    blocks: list[QuoteBlock]
    #: Each line as fingerprints read it (quotes.line_key), computed once.
    keys: list[str]

    @classmethod
    def of(cls, text: str) -> Boilerplate:
        lines = text.split("\n")
        keys = [line_key(line) for line in lines]
        blocks = quote_blocks(lines, keys)
        quoted = {i for block in blocks for i in block.lines}
        quoted |= {block.intro for block in blocks if block.intro is not None}
        furniture = _furniture(lines) - quoted
        gone = furniture | quoted  # quoted runs are not the message a signature ends
        disclaimer = _disclaimers(lines, gone)
        signature = _signature(lines, gone | disclaimer) - gone - disclaimer
        return cls(lines, {"page_furniture": furniture, "disclaimer": disclaimer,
                           "signature": signature}, blocks, keys)

    def originals(self) -> set[int]:
        """Fingerprints of the document's own (unquoted) paragraphs."""
        return original_fingerprints(self.lines, self.blocks, self.keys)

    def quoted(self) -> set[int]:
        """Fingerprints of its quoted paragraphs and of their lines."""
        return {fp for block in self.blocks for quoted in block.paragraphs
                for fp in quoted.fingerprints()}

    def strip(self, remove: Container[int] = frozenset()) -> tuple[str, dict[str, int]]:
        """The text without its boilerplate and without the quoted paragraphs in ``remove``."""
        removed = {**self.removed, "quoted_reply": set()}
        kept_quoted: set[int] = set()
        for block in self.blocks:
            goes = settle(self.lines, block, remove)
            settled = list(zip(block.paragraphs, goes, strict=True))
            going = [quoted.lines for quoted, gone in settled if gone]
            staying = [quoted.lines for quoted, gone in settled if not gone]
            if not staying:  # the whole run, its blank "> " lines and its intro
                removed["quoted_reply"].update(block.lines)
                if block.intro is not None:
                    removed["quoted_reply"].add(block.intro)
                continue
            removed["quoted_reply"].update(i for lines in going for i in lines)
            kept_quoted.update(i for lines in staying for i in lines)
            first, last = staying[0][0], staying[-1][-1]  # blank "> " lines outside them go
            removed["quoted_reply"].update(i for i in block.lines if not first <= i <= last
                                           and not QUOTE_PREFIX.sub("", self.lines[i]).strip())
        gone = set().union(*removed.values())
        kept = "\n".join(line for index, line in enumerate(self.lines) if index not in gone)
        kept = re.sub(r"\n{3,}", "\n\n", kept).strip()
        counts = {kind: len(removed.get(kind, ())) for kind in KINDS}
        counts["quoted_reply_kept"] = len(kept_quoted)
        return kept, counts


def strip_boilerplate(text: str,
                      remove: Container[int] = frozenset()) -> tuple[str, dict[str, int]]:
    """``text`` without its boilerplate, and the lines removed per kind.

    Quoted paragraphs go only when their fingerprint, or every one of their lines',
    is in ``remove`` (what the
    thread join of :class:`StripBoilerplate` found elsewhere in the corpus);
    ``quoted_reply_kept`` counts the quoted lines that stay.

    >>> page = "本文その一\\n本文その二\\n本文その三\\n"
    >>> pages = "社外秘 1/2\\n" + page + "- 1 -\\n社外秘 2/2\\n" + page + "- 2 -"
    >>> text, counts = strip_boilerplate(pages)
    >>> text.count("社外秘"), text.count("本文"), counts["page_furniture"]
    (1, 6, 3)
    >>> mail = ("承知しました。\\n\\n--\\n山田 太郎\\nTEL 03-1234-5678\\n\\n"
    ...         "-----Original Message-----\\n> 会議の件\\n> よろしく")
    >>> text, counts = strip_boilerplate(mail)
    >>> text, counts["signature"], counts["quoted_reply"], counts["quoted_reply_kept"]
    ('承知しました。\\n\\n-----Original Message-----\\n> 会議の件\\n> よろしく', 3, 0, 2)
    >>> from kiyome.transforms.quality.quotes import fingerprint
    >>> quoted = fingerprint(["会議の件", "よろしく"])
    >>> text, counts = strip_boilerplate(mail, {quoted})
    >>> text, counts["quoted_reply"], counts["quoted_reply_kept"]
    ('承知しました。', 3, 0)
    """
    return Boilerplate.of(text).strip(remove)


def _count(counts: dict[str, int]) -> None:
    for kind, lines in counts.items():
        if lines:
            Metrics.counter(METRICS_NAMESPACE, f"boilerplate.{kind}").inc(lines)
            Metrics.counter(METRICS_NAMESPACE, f"boilerplate.{kind}.documents").inc()


def _finished(doc: dict[str, Any], text: str) -> Iterator:
    """The document with its new text, or its rejection when nothing is left."""
    if not text:
        yield reject(doc, STAGE, "only_boilerplate")
        return
    if text != doc["text"]:
        Metrics.counter(METRICS_NAMESPACE, "boilerplate.documents_changed").inc()
        doc = {**doc, "text": text, "n_chars": len(text)}
    yield doc


class _BoilerplateDoFn(beam.DoFn):
    """Strip a document without quotes; send one with quotes to the thread join.

    Every document emits the fingerprints of its own paragraphs, and a quoting one
    those of its quoted paragraphs with its id (``FINGERPRINTS``): ids and
    integers only. Only quoting documents travel with their text (``QUOTING``).
    """

    @timed("boilerplate")
    def process(self, doc: dict[str, Any]) -> Iterable:
        found = Boilerplate.of(doc["text"])
        for fp in found.originals():
            yield TaggedOutput(FINGERPRINTS, (fp, None))
        if found.blocks:
            for fp in found.quoted():
                yield TaggedOutput(FINGERPRINTS, (fp, doc["id"]))
            yield TaggedOutput(QUOTING, (doc["id"], doc))
            return
        text, counts = found.strip()
        _count(counts)
        yield from _finished(doc, text)


class _QuotedDoFn(beam.DoFn):
    """(id, {doc, fingerprints to remove}) -> the stripped document, or its rejection."""

    @timed("boilerplate", count=False)
    def process(self, joined: tuple[str, dict[str, Iterable]]) -> Iterable:
        _, groups = joined
        remove = set(groups["remove"])
        for doc in groups["doc"]:
            text, counts = strip_boilerplate(doc["text"], remove)
            _count(counts)
            tally("boilerplate.out")
            yield from _finished(doc, text)


class StripBoilerplate(beam.PTransform):
    """Remove boilerplate from every document; quoted replies only when the thread has them.

    Documents without a quoted run are finished in one ParDo and never shuffled.
    Quoted paragraphs are settled by fingerprint: a CombinePerKey over every
    document's paragraph fingerprints (:class:`~kiyome.transforms.quality.quotes.QuoteFateFn`),
    a join of the quoted ones with their fate (:func:`~kiyome.transforms.quality.quotes.removals`),
    and a join by id with the quoting documents. A document left empty is rejected.
    """

    def expand(self, docs):
        split = docs | "Strip" >> beam.ParDo(_BoilerplateDoFn()).with_outputs(
            REJECTED, QUOTING, FINGERPRINTS, main="docs")
        fingerprints = split[FINGERPRINTS]
        fates = (
            fingerprints
            | "QuoteFate" >> beam.CombinePerKey(QuoteFateFn())
            | "Quoted" >> beam.Filter(lambda kv: kv[1][1] is not None)
        )
        remove = (
            {"fate": fates,
             "quoter": fingerprints | "Quoters" >> beam.Filter(lambda kv: kv[1] is not None)}
            | "JoinFate" >> beam.CoGroupByKey()
            | "Removals" >> beam.FlatMap(removals)
        )
        quoted = (
            {"doc": split[QUOTING], "remove": remove}
            | "JoinQuoting" >> beam.CoGroupByKey()
            | "StripQuoted" >> beam.ParDo(_QuotedDoFn()).with_outputs(REJECTED, main="docs")
        )
        return _Outputs(
            docs=(split.docs, quoted.docs) | "AllDocs" >> beam.Flatten(),
            rejected=(split[REJECTED], quoted[REJECTED]) | "AllRejected" >> beam.Flatten())


@dataclass(frozen=True)
class _Outputs:
    """A stage's result as the graph reads it: ``.docs`` and ``[REJECTED]``."""

    docs: beam.PCollection
    rejected: beam.PCollection

    def __getitem__(self, tag: str) -> beam.PCollection:
        if tag != REJECTED:
            raise KeyError(tag)
        return self.rejected
