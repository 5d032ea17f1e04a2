"""Near dedup internals: true-Jaccard verification, hot buckets, connected components, keep rule."""

from __future__ import annotations

import collections
import functools
import uuid

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that

from kiyome.transforms.dedup.minhash import jaccard, shingle_hashes
from kiyome.transforms.dedup.near import (
    ConnectedComponents,
    NearDedup,
    bucket_candidates,
    keep_rank,
    verified_anchors,
)
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import new_document
from tests.test_minhash import SENTENCES

_OUT: dict[str, list] = {}


def _collect(key: str, actual: list) -> None:
    _OUT.setdefault(key, []).extend(actual)


def _run(build, elements) -> tuple[list, dict[str, int]]:
    """Run ``build(pcoll)`` on ``elements``; return its output and the kiyome counters."""
    run = uuid.uuid4().hex
    pipeline = beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"]))
    out = build(pipeline | beam.Create(list(elements)))
    assert_that(out, functools.partial(_collect, run))
    result = pipeline.run()
    result.wait_until_finish()
    counters = {
        c.key.metric.name: c.committed
        for c in result.metrics().query(MetricsFilter().with_namespace("kiyome"))["counters"]
    }
    return _OUT.pop(run, []), counters


def _doc(doc_id: str, text: str, **metadata) -> dict:
    return new_document(doc_id, f"file:///{doc_id}.txt", text, metadata)


def _window(start: int, size: int = 20) -> str:
    return "".join(SENTENCES[start : start + size])


def _j(a: str, b: str) -> float:
    return jaccard(shingle_hashes(key_text(a)), shingle_hashes(key_text(b)))


# ------------------------------------------------------------- verification


def test_star_verifies_by_true_jaccard_not_the_estimate():
    base = _window(0)
    near = _window(1)  # one sentence out, one in: J ~ 0.9
    far = _window(0, 14) + _window(21, 6)  # J below 0.8
    assert _j(base, near) >= 0.8 > _j(base, far)
    hashes = {i: shingle_hashes(key_text(t)) for i, t in (("b", near), ("a", base), ("c", far))}
    pairs = sorted(bucket_candidates(["b", "a", "c"], max_bucket=1000))
    assert pairs == [("b", "a"), ("c", "a")]
    verified = [(member, a) for member, a in pairs
                if verified_anchors(hashes[member], [(a, hashes[a])], 0.8)]
    assert verified == [("b", "a")]


def test_pair_just_below_threshold_is_never_merged(stage_runner):
    a, b = _window(0), _window(0, 16) + _window(22, 4)
    assert 0.6 < _j(a, b) < 0.8
    # Even with bands that make them candidates for sure, the pair is not merged.
    docs, rejected = stage_runner(NearDedup(threshold=0.8, bands=64, rows=2),
                                  [_doc("a", a), _doc("b", b)])
    assert sorted(d["id"] for d in docs) == ["a", "b"]
    assert rejected == []


# ------------------------------------------------------------- components


@pytest.mark.parametrize("seed", [0, 1])
def test_connected_components_of_a_shuffled_path_and_a_star(seed):
    rng = np.random.default_rng(seed)
    labels = [f"n{i:03d}" for i in rng.permutation(40)]
    path = [(labels[i], labels[i + 1]) for i in range(24)]  # one component of 25
    star = [(labels[30], labels[j]) for j in range(31, 40)]  # one of 10
    out, counters = _run(lambda p: p | ConnectedComponents(rounds=8), path + star)
    expected = {v: min(labels[:25]) for v in labels[:25]}
    expected.update({v: min(labels[30:]) for v in labels[30:]})
    expected = {v: root for v, root in expected.items() if v != root}
    assert dict(out) == expected
    assert len(out) == len(expected)
    assert counters.get("near_dedup.cc_converged") == 1
    assert "near_dedup.cc_unconverged_edges" not in counters


def test_unconverged_components_are_counted(caplog):
    labels = [f"n{i:03d}" for i in range(64)]
    path = [(labels[i], labels[i + 1]) for i in range(63)][::-1]
    # a path of 64 cannot collapse to a star in one round
    _, counters = _run(lambda p: p | ConnectedComponents(rounds=1), path)
    assert counters["near_dedup.cc_unconverged_edges"] > 0


# ------------------------------------------------------------- the transform


def test_chains_form_one_group_with_cluster_columns(stage_runner):
    a, b, c = _window(0), _window(2), _window(4)
    assert _j(a, b) >= 0.8 and _j(b, c) >= 0.8 and _j(a, c) < 0.8
    lone = "".join(reversed(SENTENCES))
    docs, rejected = stage_runner(NearDedup(keep="smallest_id"), [
        _doc("c", c), _doc("a", a), _doc("b", b), _doc("z", lone)])
    assert sorted((d["id"], d["dup_cluster"], d["dup_cluster_size"]) for d in docs) == [
        ("a", "a", 3), ("z", "z", 1)]
    assert sorted((r["id"], r["reason"], r["detail"]["duplicate_of"]) for r in rejected) == [
        ("b", "near_duplicate", "a"), ("c", "near_duplicate", "a")]


@pytest.mark.parametrize(("keep", "kept"), [
    ("longest", "b"), ("newest", "c"), ("smallest_id", "a")])
def test_keep_rule(stage_runner, keep, kept):
    base = _window(0)
    docs, rejected = stage_runner(NearDedup(keep=keep), [
        _doc("a", base, modified="2026-01-05T00:00:00+00:00"),
        _doc("b", base + SENTENCES[25], modified="2026-01-04T00:00:00+00:00"),
        _doc("c", base.replace("六時", "七時"), modified="2026-02-01T09:00:00+00:00"),
        _doc("d", base.replace("六時", "八時")),  # no modification time: never newest
    ])
    assert [(d["id"], d["dup_cluster"], d["dup_cluster_size"]) for d in docs] == [
        (kept, "a", 4)]
    assert {r["detail"]["duplicate_of"] for r in rejected} == {kept}
    assert len(rejected) == 3


def test_keep_rank_ties_and_unparsable_dates():
    assert keep_rank("longest", "a", 5, None) < keep_rank("longest", "b", 5, None)
    assert keep_rank("newest", "a", 1, "2026-01-01") < keep_rank("newest", "b", 1, "2026-01-01")
    assert keep_rank("newest", "x", 1, 1_800_000_000) < keep_rank("newest", "a", 1, None)
    assert keep_rank("newest", "x", 1, "v10b") < keep_rank("newest", "a", 1, "v10")
    with pytest.raises(ValueError, match="keep"):
        NearDedup(keep="oldest")


def test_hot_bucket_candidates_form_a_bounded_two_level_star():
    members = [f"d{i:04d}" for i in range(2500)][::-1]
    pairs = list(bucket_candidates(members, max_bucket=100))
    assert len(pairs) == len(members) - 1  # a spanning tree: every member once, no pair twice
    parent = dict(pairs)
    assert set(parent) == set(members) - {"d0000"}
    for member in members[:-1]:  # everyone reaches the smallest id in at most two hops
        assert parent.get(parent[member], "d0000") == "d0000"
    fan_in = collections.Counter(parent.values())
    assert max(fan_in.values()) <= 2 * 100  # no anchor is compared with the whole bucket


def test_hot_buckets_are_split_and_still_form_one_group():
    base = _window(0)
    variants = [base.replace("六時", f"{n}時") for n in "一二三四五七八九"]
    docs = [_doc(f"v{i}", text) for i, text in enumerate(variants)]
    out, counters = _run(
        lambda p: (p | NearDedup(keep="smallest_id", max_bucket=3)).docs, docs)
    assert [(d["id"], d["dup_cluster_size"]) for d in out] == [("v0", 8)]
    assert counters["near_dedup.hot_buckets_split"] > 0


# ------------------------------------------------------------- wiring


def test_keep_rule_reaches_the_graph_from_the_cli():
    from kiyome.pipeline import cli, graph
    from kiyome.policies.policy import load_policy

    args, _ = cli.build_parser().parse_known_args(
        ["run", "--input", "x", "--output", "y", "--near-dup-keep", "newest"])
    assert args.near_dup_keep == "newest"
    config = graph.RunConfig(input_paths=("x",), output_dir="y", policy=load_policy(),
                             near_dup_keep=args.near_dup_keep, near_dup_cc_rounds=5)
    near = dict(graph.stages(config))["NearDedup"]
    assert (near.keep, near.cc_rounds) == ("newest", 5)
