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
    assert documents["out"] == 37


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


def test_demo_thread_quotes_go_only_where_the_thread_has_them(demo_run):
    """mail/2026-03-04 quotes 03-02 (in the corpus): its quote goes. mail/2026-03-12 quotes a
    customer's mail that is not in the corpus (kept: the only copy), with 03-09 nested in it
    (gone, with the line introducing it)."""
    manifest = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))
    boilerplate = manifest["boilerplate"]
    assert boilerplate["quoted_reply"] == {"documents": 2, "lines": 26}
    assert boilerplate["quoted_reply_kept"] == {"documents": 1, "lines": 9}
    assert boilerplate["signature"] == {"documents": 1, "lines": 8}
    assert boilerplate["page_furniture"] == boilerplate["disclaimer"] == {"documents": 0,
                                                                          "lines": 0}
    texts = {row["source"].rsplit("/", 1)[-1]: row["text"] for row in shard_rows(demo_run)}
    reply = texts["2026-03-04_reply_from_supplier.txt"]
    assert "Original Message" not in reply and not reply.rstrip().endswith("（金）")
    assert not [line for line in reply.split("\n") if line.startswith(">")]
    confirmed = texts["2026-03-12_visit_date_confirmed.txt"]
    assert "> 候補日のうち、3月18日（水）14:00〜15:30でお願いできますでしょうか。" in confirmed
    assert "> >" not in confirmed and "平素より" not in confirmed
    report = json.loads((demo_run / "report.json").read_text(encoding="utf-8"))
    assert report["boilerplate"] == boilerplate
    assert "Boilerplate removed inside documents" in (demo_run / "report.html").read_text(
        encoding="utf-8")
