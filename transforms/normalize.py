"""Normalize: clean text for detection, and derive the NFKC key text for langid and dedup.

Two different jobs, kept apart on purpose:

* :func:`clean_text` changes the document itself, once, before any detection:
  line endings, control characters, a stray BOM. After it, offsets found by the
  PII stage are offsets into the text that is written.
* :func:`key_text` is a throwaway NFKC copy for language ID and dedup keys. NFKC
  changes lengths (㍻ -> 平成, ﾊﾞ -> バ), so it is never the text that is masked.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import apache_beam as beam

from kiyome.transforms.records import REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "normalize"

# C0/C1 controls except tab and newline, plus BOM / zero-width no-break space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_WHITESPACE_RUN = re.compile(r"\s+")


def clean_text(text: str) -> str:
    r"""Unify line endings, drop control characters, trim trailing blank space.

    >>> clean_text("\ufeff件名：定例会\r\n本文\r")
    '件名：定例会\n本文'
    >>> clean_text("ﾏｲﾅﾝﾊﾞｰ ㍻3年")  # widths and ligatures are left alone
    'ﾏｲﾅﾝﾊﾞｰ ㍻3年'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # Lone surrogates (from bad decoding) cannot be written to Parquet.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.rstrip()


def key_text(text: str) -> str:
    """NFKC with whitespace runs folded to one space: the text langid and dedup see.

    Combining marks are kept (stripping them would turn が into か).

    >>> key_text("ﾏｲﾅﾝﾊﾞｰ　１２３\\n\\n  ㍻")
    'マイナンバー 123 平成'
    >>> key_text("が") == "が"
    True
    """
    return _WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFKC", text)).strip()


class _CleanDoFn(beam.DoFn):
    @timed("normalize")
    def process(self, doc: dict[str, Any]):
        text = clean_text(doc["text"])
        if not text.strip():
            yield reject(doc, STAGE, "empty")
            return
        yield {**doc, "text": text, "n_chars": len(text)}


class Normalize(beam.PTransform):
    """Clean every document's text; documents left empty are rejected (reason ``empty``)."""

    def expand(self, docs):
        return docs | "Clean" >> beam.ParDo(_CleanDoFn()).with_outputs(REJECTED, main="docs")
