"""Boilerplate inside a document: page furniture, quoted replies, mail signatures, disclaimers.

Removed before dedup and PII, so two mails that differ only in their quoted
thread or signature are compared on what they say, and a model does not learn
the same footer ten thousand times. Each kind is counted (Beam counters
``kiyome:boilerplate.<kind>``, lines removed). Conservative by design:

* page furniture: bare page numbers (``- 3 -``, ``3/10``, ``Page 3 of 10``) go;
  a short line carrying a page number (``社外秘 3/10``) repeated on several pages
  is kept once, so a confidentiality marker still reaches the policy;
* quoted replies: runs of two or more lines starting with ``>`` / ``＞``, with the
  line that introduces them (``-----Original Message-----``, ``… wrote:``);
* signatures: a block opened by ``-- `` or a ruled line (``====``, ``━━━``) that
  holds contact details (TEL, 〒, e-mail…) and ends the message (only blank lines
  or quoted text follow): a form's ruled sections with 電話 fields are not at the end;
* disclaimers: a paragraph about confidential content received in error; one
  that carries a real marker (社外秘, 極秘, 社内限り, 【秘】) is kept for the policy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "boilerplate"
KINDS = ("page_furniture", "quoted_reply", "signature", "disclaimer")
_PAGE = (r"(?:[-―—]\s*\d{1,4}\s*[-―—]|\d{1,4}\s*/\s*\d{1,4}"
         r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*ページ|第\s*\d{1,4}\s*頁)")
BARE_PAGE = re.compile(rf"^\s*{_PAGE}\s*$", re.IGNORECASE)
WITH_PAGE = re.compile(rf"{_PAGE}", re.IGNORECASE)
QUOTE = re.compile(r"^\s*[>＞]")
QUOTE_INTRO = re.compile(
    r"^\s*(?:-{3,}\s*(?:Original Message|Forwarded message|元のメッセージ)\s*-{3,}"
    r"|.{0,80}(?:wrote|書きました)\s*[:：]\s*$)", re.IGNORECASE)
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


def _quoted(lines: list[str]) -> set[int]:
    """Indexes of quoted-reply runs (two or more ``>`` lines) and their intro line."""
    drop: set[int] = set()
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and (QUOTE.match(lines[end])):
            end += 1
        if end - index >= 2:
            drop.update(range(index, end))
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            if before >= 0 and QUOTE_INTRO.match(lines[before]):
                drop.add(before)
        index = max(end, index + 1)
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


def strip_boilerplate(text: str) -> tuple[str, dict[str, int]]:
    """``text`` without its boilerplate, and the lines removed per kind.

    >>> page = "本文その一\\n本文その二\\n本文その三\\n"
    >>> pages = "社外秘 1/2\\n" + page + "- 1 -\\n社外秘 2/2\\n" + page + "- 2 -"
    >>> text, counts = strip_boilerplate(pages)
    >>> text.count("社外秘"), text.count("本文"), counts["page_furniture"]
    (1, 6, 3)
    >>> mail = ("承知しました。\\n\\n--\\n山田 太郎\\nTEL 03-1234-5678\\n\\n"
    ...         "-----Original Message-----\\n> 会議の件\\n> よろしく")
    >>> text, counts = strip_boilerplate(mail)
    >>> text, counts["quoted_reply"], counts["signature"]
    ('承知しました。', 3, 3)
    """
    lines = text.split("\n")
    removed = {kind: set() for kind in KINDS}
    removed["page_furniture"] = _furniture(lines)
    removed["quoted_reply"] = _quoted(lines) - removed["page_furniture"]
    gone = removed["page_furniture"] | removed["quoted_reply"]
    removed["disclaimer"] = _disclaimers(lines, gone)
    gone |= removed["disclaimer"]
    removed["signature"] = _signature(lines, gone) - gone
    gone |= removed["signature"]
    kept = "\n".join(line for index, line in enumerate(lines) if index not in gone)
    kept = re.sub(r"\n{3,}", "\n\n", kept).strip()
    return kept, {kind: len(removed[kind]) for kind in KINDS}


class _BoilerplateDoFn(beam.DoFn):
    @timed("boilerplate")
    def process(self, doc: dict[str, Any]) -> Iterable:
        text, counts = strip_boilerplate(doc["text"])
        for kind, lines in counts.items():
            if lines:
                Metrics.counter(METRICS_NAMESPACE, f"boilerplate.{kind}").inc(lines)
        if not text:
            yield reject(doc, STAGE, "only_boilerplate")
            return
        if text != doc["text"]:
            Metrics.counter(METRICS_NAMESPACE, "boilerplate.documents_changed").inc()
            doc = {**doc, "text": text, "n_chars": len(text)}
        yield doc


class StripBoilerplate(beam.PTransform):
    """Remove boilerplate lines from every document; one left empty is rejected."""

    def expand(self, docs):
        return docs | "Strip" >> beam.ParDo(_BoilerplateDoFn()).with_outputs(REJECTED, main="docs")
