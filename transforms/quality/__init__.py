"""Quality stage: score every document (signals.py), drop those a profile rejects (profiles.py).

Scores go on the document (``quality``, one shard column of named numbers) so a
trainer can filter again without rerunning; drops go to ``rejected/`` as
``quality.<reason>`` with the value and the threshold, never text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import apache_beam as beam

from kiyome.transforms.quality.profiles import CHOICES, DEFAULT, PROFILES, first_broken
from kiyome.transforms.quality.signals import NAMES, signals
from kiyome.transforms.records import REJECTED, reject
from kiyome.transforms.stage_metrics import timed

__all__ = ["CHOICES", "DEFAULT", "NAMES", "PROFILES", "QualityFilter", "signals"]

STAGE = "quality"


class _QualityDoFn(beam.DoFn):
    def __init__(self, profile: str) -> None:
        self._profile = profile

    @timed("quality")
    def process(self, doc: dict[str, Any]) -> Iterable:
        scores = signals(doc["text"])
        japanese = doc.get("lang") in (None, "ja")
        reason = first_broken(self._profile, scores, japanese)
        if reason:
            signal = reason.split("_", 1)[1]
            yield reject(doc, STAGE, reason, profile=self._profile, value=scores[signal])
            return
        yield {**doc, "quality": scores}


class QualityFilter(beam.PTransform):
    """Annotate documents with quality scores and drop those ``profile`` rejects."""

    def __init__(self, profile: str = DEFAULT) -> None:
        super().__init__()
        if profile not in PROFILES:
            raise ValueError(f"unknown quality profile {profile!r}; choose from "
                             f"{', '.join(CHOICES)}")
        self._profile = profile

    def expand(self, docs):
        return docs | "Score" >> beam.ParDo(_QualityDoFn(self._profile)).with_outputs(
            REJECTED, main="docs")
