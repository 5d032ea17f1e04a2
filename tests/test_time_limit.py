"""Bounded regex work: hostile runs finish, and a document past its limit is quarantined.

No timing is asserted: the hostile inputs must simply come back (a hang would
hit pytest's own limit) with the right outcome, and the quarantine test uses a
pattern that backtracks exponentially, so it can only return through the
deadline.
"""

from __future__ import annotations

from typing import ClassVar

import apache_beam as beam
import pytest
from presidio_analyzer import Pattern

from kiyome.policies.policy import load_policy
from kiyome.transforms.pii.deadline import TimeLimit
from kiyome.transforms.pii.mask import PII_TIMEOUT, Masker, _MaskDoFn
from kiyome.transforms.pii.recognizers.context_window import CharWindowPatternRecognizer
from kiyome.transforms.records import REJECTED

N = 30_000
#: Runs built to make phone, e-mail, number, IP and address patterns backtrack.
HOSTILE = {
    "digits": "0" * N,
    "full_width_digits": "０" * N,
    "digit_hyphen": "0-" * (N // 2),
    "digit_space": "1 " * (N // 2),
    "hyphen_variants": "－‐‑–—―−ーｰ" * (N // 9),
    "at_signs": "@" * N,
    "letter_at": "a@" * (N // 2),
    "dots": "." * N,
    "letter_dot_then_at": "a." * (N // 2) + "@",
    "long_local_part": "x" * N + "@example.com",
    "dotted_numbers": "1." * (N // 2),
    "plus81": "+81 " * (N // 4),
    "phone_prefixes": "090-1234-" * (N // 9),
    "brackets": "(（0" * (N // 3),
    "address_chome": "東京都千代田区" + "1丁目1番" * (N // 5),
    "address_wards": "大阪府大阪市" + "中央区本町" * (N // 5),
    "kanji_numerals": "一二三四五六七八九十丁目番地号" * (N // 14),
    "honorifics": "様" * N,
    "mixed": "a-1.b@＠・" * (N // 8),
}
PHONE = "090-8765-4321"


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(load_policy())


def _outputs(dofn: _MaskDoFn, batch: list[dict]) -> tuple[list[dict], list[dict]]:
    outputs = list(dofn.process(batch))
    written = [o for o in outputs if not isinstance(o, beam.pvalue.TaggedOutput)]
    rejected = [o.value for o in outputs
                if isinstance(o, beam.pvalue.TaggedOutput) and o.tag == REJECTED]
    return written, rejected


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_runs_finish_and_are_still_masked(masker, name):
    """Under the default limit each run comes back as a written document, and a real
    phone number after it is still found."""
    dofn = _MaskDoFn(masker.policy)
    dofn._masker = masker
    text = f"{HOSTILE[name]}\n連絡先 {PHONE}"
    written, rejected = _outputs(dofn, [{"id": name, "source": "file:///h.txt", "text": text,
                                         "metadata": {}}])
    assert rejected == []
    assert len(written) == 1 and PHONE not in written[0]["text"]


class _Backtracking(CharWindowPatternRecognizer):
    """A pattern with nested quantifiers: 2^n steps on a run of zeros with no ``x``."""

    ENTITY = "JP_RESIDENT_CODE"
    PATTERNS: ClassVar[list[Pattern]] = [Pattern("nested", r"(?:0|00)+x", 0.9)]


@pytest.fixture
def backtracking(masker):
    registry = masker.detector.analyzer.registry
    recognizer = _Backtracking(name="backtracking")
    registry.add_recognizer(recognizer)
    yield masker
    registry.remove_recognizer("backtracking")


def test_a_document_past_its_limit_is_quarantined_and_the_batch_goes_on(backtracking):
    dofn = _MaskDoFn(backtracking.policy, TimeLimit(base_seconds=3.0))
    dofn._masker = backtracking
    good = {"id": "good", "source": "file:///a.txt", "text": f"電話 {PHONE}", "metadata": {}}
    bad = {"id": "bad", "source": "file:///b.txt", "text": "番号 " + "0" * 60 + "。",
           "metadata": {}}
    written, rejected = _outputs(dofn, [good, bad])
    assert [(r["id"], r["reason"]) for r in rejected] == [("bad", PII_TIMEOUT)]
    # The regex module's own timeout, or the deadline checked after it: both fail closed.
    assert rejected[0]["detail"]["error"] in ("TimeoutError", "DetectionTimeout")
    assert [doc["id"] for doc in written] == ["good"] and PHONE not in written[0]["text"]


def test_an_exhausted_limit_quarantines_before_detection_starts(masker):
    dofn = _MaskDoFn(masker.policy, TimeLimit(base_seconds=0.0, min_chars_per_s=float("inf")))
    dofn._masker = masker
    doc = {"id": "d", "source": "file:///d.txt", "text": f"電話 {PHONE}", "metadata": {}}
    written, rejected = _outputs(dofn, [doc])
    assert written == [] and [r["reason"] for r in rejected] == [PII_TIMEOUT]
