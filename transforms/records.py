"""The two record shapes that flow between stages: documents and rejections.

Documents are plain dicts (Beam encodes them without pickling a class, and every
stage adds its own columns). A rejection is what ``rejected/`` keeps of a
document that did not reach a shard: never its text.
"""

from __future__ import annotations

import hashlib
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

#: Tag of the side output every stage routes its rejections to.
REJECTED = "rejected"

#: Namespace of every Beam counter Kiyome reports.
METRICS_NAMESPACE = "kiyome"


def stable_id(source: str, content: str, locator: str = "") -> str:
    """An id derived from where a document came from and what it says.

    Same file, same content -> same id on every run and every machine.

    >>> stable_id("file:///a.txt", "本文") == stable_id("file:///a.txt", "本文")
    True
    >>> stable_id("file:///a.txt", "本文") != stable_id("file:///b.txt", "本文")
    True
    """
    digest = hashlib.sha256()
    for part in (source, locator, content):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


def new_document(doc_id: str, source: str, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """A document as ingest emits it; later stages add their columns."""
    return {"id": doc_id, "source": source, "text": text, "metadata": metadata}


def rejection(doc_id: str, source: str, stage: str, reason: str, **detail: Any) -> dict[str, Any]:
    """A rejected-record row: id, source, stage, reason and non-personal detail.

    ``detail`` carries codes and ids only (a language code, the id a duplicate
    duplicates, an exception class name) — never document text.
    """
    return {"id": doc_id, "source": source, "stage": stage, "reason": reason, "detail": detail}


def emit_rejection(record: dict[str, Any]) -> beam.pvalue.TaggedOutput:
    """Route a rejection to the current DoFn's ``rejected`` output, counting its reason.

    The counter name is ``rejected.stage.reason``: codes only, so metrics never carry text.
    """
    Metrics.counter(METRICS_NAMESPACE, f"rejected.{record['stage']}.{record['reason']}").inc()
    return beam.pvalue.TaggedOutput(REJECTED, record)


def reject(doc: dict[str, Any], stage: str, reason: str, **detail: Any) -> beam.pvalue.TaggedOutput:
    """Route ``doc`` to the rejected output (see :func:`emit_rejection`)."""
    return emit_rejection(rejection(doc["id"], doc["source"], stage, reason, **detail))
