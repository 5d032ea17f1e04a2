"""Incremental dedup end to end: later runs against earlier runs' signatures.

Real runner (FnApiRunner, 2 worker processes) through the ``kiyome`` script:
run 1 writes a small corpus and its signatures; run 2 brings an exact copy
(width-changed) and a near copy of run-1 documents, a document that shares
text with one but stays below the threshold, a within-batch near-duplicate
pair and a fresh document; run 3 is deduplicated against runs 1 and 2 at once.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from kiyome.transforms.dedup.minhash import MinHasher, char_ngrams, jaccard, shingle_hash_array
from kiyome.transforms.dedup.signatures import (
    check_compatible,
    read_signature_file,
    shingle_set32,
    signature_files,
)
from kiyome.transforms.normalize import key_text
from tests.pii_checks import rejected_records, shard_rows
from tests.test_e2e import KIYOME, _manifest, run_kiyome
from tests.test_near_dedup_quality import FULL_WIDTH, _base, _render, _sentence

THRESHOLD = 0.8


def true_jaccard(a: str, b: str) -> float:
    x, y = char_ngrams(key_text(a), 5), char_ngrams(key_text(b), 5)
    return len(x & y) / len(x | y)


def _variant(base: dict, rng: random.Random, accept: Callable[[float], bool]) -> str:
    """A copy of ``base`` with sentences rewritten until its Jaccard to it is accepted."""
    original = _render(base)
    for _ in range(500):
        paras = [list(p) for p in base["paragraphs"]]
        for _ in range(rng.randint(1, 8)):
            para = rng.choice(paras)
            para[rng.randrange(len(para))] = _sentence(rng)
        text = _render({**base, "paragraphs": paras})
        if accept(true_jaccard(original, text)):
            return text
    raise AssertionError("no variant in the wanted Jaccard range")


def _write_jsonl(path: Path, docs: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    with (path / "docs.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, text in docs.items():
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return path


def _rejected(output: Path) -> dict[str, dict]:
    return {r["id"]: r for r in rejected_records(output)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    rng = random.Random(6)
    # Without the 【社外秘】 header, which the default policy drops documents for.
    base = [{**b, "header": b["header"].replace("【社外秘】", "")}
            for b in (_base(rng) for _ in range(8))]
    run1 = {f"m1-{i}": _render(b) for i, b in enumerate(base[:5])}
    fresh_pair = base[5]
    run2 = {
        "m2-exact": run1["m1-0"].translate(FULL_WIDTH),  # same NFKC text as m1-0
        "m2-near": _variant(base[1], rng, lambda j: 0.85 <= j < 1.0),
        "m2-below": _variant(base[2], rng, lambda j: 0.4 <= j <= 0.7),
        "m2-pair-a": _render(fresh_pair),
        "m2-pair-b": _variant(fresh_pair, rng, lambda j: 0.85 <= j < 1.0),
        "m2-fresh": _render(base[6]),
    }
    run3 = {
        "m3-copy-of-2": run2["m2-fresh"],
        "m3-near-1": _variant(base[3], rng, lambda j: 0.85 <= j < 1.0),
        "m3-fresh": _render(base[7]),
    }
    root = tmp_path_factory.mktemp("incremental")
    out1, out2, out3 = root / "out1", root / "out2", root / "out3"
    for args in ((out1, _write_jsonl(root / "in1", run1)),
                 (out2, _write_jsonl(root / "in2", run2), "--dedup-against", str(out1)),
                 (out3, _write_jsonl(root / "in3", run3), "--dedup-against", str(out1),
                  "--dedup-against", str(out2))):
        output, corpus, *extra = args
        completed = run_kiyome(output, "--languages", "all", *extra, corpus=corpus)
        assert completed.returncode == 0, completed.stderr[-3000:]
    return {"texts": {**run1, **run2, **run3}, "out": (out1, out2, out3)}


def test_every_run_writes_signatures_of_its_written_documents(runs):
    for output in runs["out"]:
        written = {row["id"] for row in shard_rows(output)}
        stored = [row for path in signature_files(str(output))
                  for row in read_signature_file(path)]
        assert {row["id"] for row in stored} == written
        hasher = MinHasher()
        for row in stored:
            text = key_text(runs["texts"][row["id"]])
            assert np.array_equal(row["signature"], hasher.signature(text))
            assert np.array_equal(row["shingles"], shingle_set32(shingle_hash_array(text)))
        assert _manifest(output)["signatures"]


def test_second_run_rejects_duplicates_of_the_first(runs):
    out1, out2, _ = runs["out"]
    texts = runs["texts"]
    rejected = _rejected(out2)
    assert rejected["m2-exact"]["reason"] == "exact_duplicate"
    assert rejected["m2-exact"]["detail"] == {"duplicate_of": "m1-0", "earlier_run": True}
    assert rejected["m2-near"]["reason"] == "near_duplicate"
    assert rejected["m2-near"]["detail"] == {"duplicate_of": "m1-1", "earlier_run": True}
    assert true_jaccard(texts["m2-near"], texts["m1-1"]) >= THRESHOLD
    # Within the batch, as before: one of the pair, pointing at the other.
    pair = {"m2-pair-a", "m2-pair-b"}
    within = [doc_id for doc_id in pair if doc_id in rejected]
    assert len(within) == 1
    assert rejected[within[0]]["reason"] == "near_duplicate"
    assert rejected[within[0]]["detail"]["duplicate_of"] in pair - set(within)
    assert "earlier_run" not in rejected[within[0]]["detail"]
    assert set(rejected) == {"m2-exact", "m2-near", within[0]}
    # Below the threshold against run 1: written. Earlier documents never are.
    assert true_jaccard(texts["m2-below"], texts["m1-2"]) < THRESHOLD
    written = {row["id"] for row in shard_rows(out2)}
    assert written == {"m2-below", "m2-fresh"} | (pair - set(within))
    documents = _manifest(out2)["documents"]
    assert (documents["in"], documents["out"], documents["dropped"]) == (6, 3, 3)
    assert documents["accounted"] is True
    assert documents["dropped_by_reason"] == {"dedup.exact_duplicate": 1,
                                              "dedup.near_duplicate": 2}
    assert _manifest(out2)["options"]["dedup_against"] == [str(out1)]


def test_third_run_is_checked_against_both_earlier_runs(runs):
    out3 = runs["out"][2]
    rejected = _rejected(out3)
    assert rejected["m3-copy-of-2"]["reason"] == "exact_duplicate"
    assert rejected["m3-copy-of-2"]["detail"]["duplicate_of"] == "m2-fresh"
    assert rejected["m3-near-1"]["reason"] == "near_duplicate"
    assert rejected["m3-near-1"]["detail"]["duplicate_of"] == "m1-3"
    assert {row["id"] for row in shard_rows(out3)} == {"m3-fresh"}
    assert _manifest(out3)["documents"]["accounted"] is True


def test_rejections_against_earlier_runs_carry_no_text(runs):
    for output in runs["out"][1:]:
        raw = "".join(p.read_text(encoding="utf-8") for p in (output / "rejected").glob("*"))
        for text in runs["texts"].values():
            assert text[:20] not in raw


def test_signature_store_refuses_other_parameters(runs):
    path = signature_files(str(runs["out"][0]))[0]
    check_compatible(path, 128, 5, 1)
    with pytest.raises(ValueError, match="num_perm=128"):
        check_compatible(path, 256, 5, 1)
    metadata = pq.read_schema(path).metadata
    assert metadata[b"kiyome.minhash.num_perm"] == b"128"


def test_stored_shingles_give_the_true_jaccard(runs):
    texts = runs["texts"]
    rows = {row["id"]: row for path in signature_files(str(runs["out"][0]))
            for row in read_signature_file(path)}
    near = shingle_set32(shingle_hash_array(key_text(texts["m2-below"])))
    assert jaccard(rows["m1-2"]["shingles"], near) == pytest.approx(
        true_jaccard(texts["m1-2"], texts["m2-below"]), abs=1e-3)


def test_dedup_against_needs_signatures(tmp_path):
    import subprocess

    corpus = _write_jsonl(tmp_path / "in", {"d": "東京都庁舎です。"})
    completed = subprocess.run(
        [*KIYOME, "run", "--input", str(corpus), "--output", str(tmp_path / "o"),
         "--dedup-against", str(corpus)], capture_output=True, text=True, check=False)
    assert completed.returncode == 2
    assert "no signatures" in completed.stderr
