"""Exact dedup: one document per hash of its normalized text (NFKC, whitespace folded)."""

from __future__ import annotations

import hashlib
from typing import Any

import apache_beam as beam

from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "dedup"


def content_key(text: str) -> str:
    """Hash that equal texts share, whatever their width forms or spacing.

    >>> content_key("会議は１０時から。") == content_key("会議は10時から。 ")
    True
    """
    return hashlib.sha256(key_text(text).encode("utf-8")).hexdigest()


class _KeepSmallestIdDoFn(beam.DoFn):
    """Of documents sharing a key, keep the smallest id; reject the rest."""

    @timed("exact_dedup")
    def process(self, keyed: tuple[str, Any]):
        _, docs = keyed
        ordered = sorted(docs, key=lambda doc: (doc["id"], doc["source"]))
        keeper = ordered[0]
        yield keeper
        for doc in ordered[1:]:
            yield reject(doc, STAGE, "exact_duplicate", duplicate_of=keeper["id"])


class ExactDedup(beam.PTransform):
    """Drop documents whose normalized text equals another's (reason ``exact_duplicate``)."""

    def expand(self, docs):
        return (
            docs
            | "KeyByContent" >> beam.Map(lambda doc: (content_key(doc["text"]), doc))
            | "GroupByContent" >> beam.GroupByKey()
            | "KeepOne" >> beam.ParDo(_KeepSmallestIdDoFn()).with_outputs(REJECTED, main="docs")
        )
