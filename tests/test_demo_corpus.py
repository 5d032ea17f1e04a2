"""The demo corpus (examples/) end to end: no planted personal data reaches any output.

``demo_run`` (tests/conftest.py) is shared with the report tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.pii_checks import leaks, planted_values, shard_rows

EXAMPLES = Path(__file__).parents[1] / "examples"


def test_demo_is_accounted_for(demo_run):
    documents = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert documents["accounted"] is True
    assert documents["in"] == documents["out"] + documents["dropped"]
    reasons = documents["dropped_by_reason"]
    assert reasons["dedup.exact_duplicate"] == 3
    assert reasons["dedup.near_duplicate"] == 4
    assert reasons["langid.lang_not_allowed"] == 5
    # reports/2026Q1_market_overview.txt is marked 【社外秘】: the default policy drops it.
    assert reasons["pii.policy_drop_document"] == 1
    assert documents["out"] == 36


def test_ner_reads_only_the_gated_sentences(demo_run):
    """The manifest says how much text GiNZA's NER read: a few sentences, not the corpus."""
    detection = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))["detection"]
    assert detection["ner"] == "gated"
    assert detection["chars"] > 10_000
    assert 0 < detection["ner_chars"] < 0.05 * detection["chars"]


def test_demo_shards_hold_no_planted_personal_data(demo_run):
    found = leaks(demo_run, planted_values(EXAMPLES / "planted_pii.tsv"))
    assert found == [], f"{len(found)} planted values survived: {sorted({v for _, v in found})}"


def test_demo_keeps_hard_negatives(demo_run):
    texts = "\n".join(row["text"] for row in shard_rows(demo_run))
    for kept in ("202610160001", "山田商事株式会社", "v2.3.1", "東京駅"):
        assert kept in texts
