"""Near dedup: MinHash LSH candidates, exact-Jaccard verification, distributed clustering.

Everything global is a GroupByKey / CombinePerKey / CoGroupByKey, so no step
needs the whole corpus on one worker:

1. **Candidates.** Each document gets a MinHash signature of its NFKC'd
   character n-grams and one key per LSH band. Documents meet in a GroupByKey
   on band keys; buckets carry ids only (16 small records per document, not
   16 copies of its shingle set). A bucket links each member to the bucket's
   smallest id only (a star: N candidate pairs, never N²). A bucket larger than ``max_bucket``
   (boilerplate shared by thousands of documents) is split by a hash of the
   id into sub-buckets while it is iterated; each sub-bucket stars to its own
   anchor and the sub-bucket anchors star to the smallest id
   (:func:`bucket_candidates`).
2. **Verification.** Two joins bring the sorted uint64 shingle hashes of
   both documents to each distinct candidate pair, so an edge counts only
   when the *true* Jaccard of the two shingle sets reaches the threshold:
   pairs the estimate would merge at 0.75-0.80 are never merged.
3. **Clustering.** Duplicate groups are the connected components of the
   verified edges, computed with alternating large-star / small-star rounds
   (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014),
   unrolled to ``cc_rounds`` rounds. The edges that changed in the last round
   are counted (``kiyome:near_dedup.cc_unconverged_edges``); a non-zero count
   logs a warning, so an unconverged clustering is never silent.
4. **Keep rule.** One document per component, chosen deterministically by
   ``keep`` ("longest", "newest" by ``metadata["modified"]``, "smallest_id";
   ties by id). Kept documents carry ``dup_cluster`` (the smallest id of the
   component) and ``dup_cluster_size``; the others are rejected with reason
   ``near_duplicate`` and ``duplicate_of`` = the kept id.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import apache_beam as beam
import numpy as np
import xxhash
from apache_beam.metrics import Metrics

from kiyome.transforms.dedup.minhash import (
    MinHasher,
    band_keys,
    jaccard,
    optimal_bands,
    shingle_hashes,
)
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "dedup"
KEEP_RULES = ("longest", "newest", "smallest_id")
#: Weight of false positives when choosing LSH bands x rows (false negatives
#: weigh 1 - this); see :func:`~kiyome.transforms.dedup.minhash.optimal_bands`.
CANDIDATE_FP_WEIGHT = 0.05

_LOG = logging.getLogger(__name__)


def _counter(name: str):
    return Metrics.counter(METRICS_NAMESPACE, f"near_dedup.{name}")


# ---------------------------------------------------------------- keep rule


def _modified_rank(value: Any) -> tuple:
    """Sort key (ascending = newer first) of a ``metadata["modified"]`` value.

    Numbers are epoch seconds, strings ISO 8601 (compared as instants when
    they parse, else as text); missing values rank after every present one.
    """
    if isinstance(value, bool) or value is None:
        return (2,)
    if isinstance(value, (int, float)):
        return (0, -float(value))
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            return (0, -parsed.timestamp())
        except ValueError:
            # Greatest string first: negated code points, a trailing 1 makes
            # a prefix rank after its extensions.
            return (1, (*(-ord(ch) for ch in value), 1))
    return (2,)


def keep_rank(keep: str, doc_id: str, n_chars: int, modified: Any) -> tuple:
    """Sort key of a document under a keep rule: the component keeps the minimum.

    >>> keep_rank("longest", "b", 10, None) < keep_rank("longest", "a", 9, None)
    True
    >>> keep_rank("newest", "b", 1, "2026-03-01") < keep_rank("newest", "a", 1, "2026-02-01")
    True
    >>> keep_rank("newest", "b", 1, None) > keep_rank("newest", "a", 1, "2020-01-01")
    True
    """
    if keep == "longest":
        return (-n_chars, doc_id)
    if keep == "newest":
        return (_modified_rank(modified), doc_id)
    if keep == "smallest_id":
        return (doc_id,)
    raise ValueError(f"keep must be one of {KEEP_RULES}, got {keep!r}")


# ---------------------------------------------------------------- candidates


class _SignatureDoFn(beam.DoFn):
    """doc -> (id, (band keys, sorted shingle hashes, keep rank))."""

    def __init__(self, num_perm: int, ngram: int, seed: int, bands: int, rows: int,
                 keep: str) -> None:
        self._params = (num_perm, ngram, seed)
        self._bands = (bands, rows)
        self._keep = keep
        self._hasher: MinHasher | None = None

    def setup(self) -> None:
        num_perm, ngram, seed = self._params
        self._hasher = MinHasher(num_perm=num_perm, ngram=ngram, seed=seed)

    @timed("near_dedup", count=False)
    def process(self, doc: dict[str, Any]):
        hashes = shingle_hashes(key_text(doc["text"]), self._hasher.ngram)
        signature = self._hasher.signature_from_hashes(hashes)
        metadata = doc.get("metadata") or {}
        rank = keep_rank(self._keep, doc["id"], len(doc["text"]),
                         metadata.get("modified") if isinstance(metadata, dict) else None)
        yield doc["id"], (band_keys(signature, *self._bands), hashes, rank)


def _sub_key(doc_id: str, fanout: int) -> int:
    return xxhash.xxh3_64_intdigest(doc_id.encode("utf-8", "surrogatepass")) % fanout


def verified_anchors(own: np.ndarray, candidates, threshold: float) -> list[str]:
    """Anchors of ``(anchor, anchor hashes)`` candidates whose true Jaccard with ``own`` passes."""
    kept, rejected = [], 0
    for anchor, hashes in candidates:
        if jaccard(own, hashes) >= threshold:
            kept.append(anchor)
        else:
            rejected += 1
    if kept:
        _counter("edges_verified").inc(len(kept))
    if rejected:
        _counter("candidates_below_threshold").inc(rejected)
    return kept


def bucket_candidates(members, max_bucket: int):
    """Candidate (member, anchor) pairs of one band bucket, in O(sub-buckets) memory.

    A bucket of at most ``max_bucket`` ids is one star to its smallest id. A
    larger one (boilerplate shared by thousands of documents) is split by a
    hash of the id into ``ceil(n / max_bucket)`` sub-buckets; each stars to
    its own smallest id, and those sub-anchors star to the smallest id of
    all, so no anchor is compared with more than ~``max_bucket`` members. The
    members are iterated (two or three passes, which Beam's grouped values
    allow and page in lazily on Dataflow) and never copied into a list.

    >>> sorted(bucket_candidates(["c", "a", "b"], 1000))
    [('b', 'a'), ('c', 'a')]
    >>> pairs = list(bucket_candidates([f"d{i}" for i in range(10)], 3))
    >>> len(pairs), {m for m, _ in pairs} == {f"d{i}" for i in range(1, 10)}
    (9, True)
    """
    count, anchor = 0, None
    for member in members:
        count += 1
        anchor = member if anchor is None or member < anchor else anchor
    if count < 2:
        return
    if count <= max_bucket:
        for member in members:
            if member != anchor:
                yield member, anchor
        return
    fanout = -(-count // max_bucket)
    _counter("hot_buckets_split").inc()
    _counter("hot_bucket_members").inc(count)
    sub_anchor: dict[int, str] = {}
    for member in members:
        sub = _sub_key(member, fanout)
        if sub not in sub_anchor or member < sub_anchor[sub]:
            sub_anchor[sub] = member
    for member in members:
        own = sub_anchor[_sub_key(member, fanout)]
        if member != own:
            yield member, own
    for own in sub_anchor.values():
        if own != anchor:
            yield own, anchor


def _attach_anchor_hashes(joined):
    """(anchor, {members, hashes}) -> (member, (anchor, anchor hashes))."""
    anchor, groups = joined
    hashes = next(iter(groups["hashes"]), None)
    if hashes is not None:
        for member in groups["members"]:
            yield member, (anchor, hashes)


def _verify_member(joined, threshold: float):
    """(member, {candidates, own hashes}) -> verified (member, anchor) edges."""
    member, groups = joined
    own = next(iter(groups["hashes"]), None)
    if own is not None:
        for anchor in verified_anchors(own, groups["candidates"], threshold):
            yield member, anchor


class VerifyCandidates(beam.PTransform):
    """Candidate pairs -> the pairs whose *true* Jaccard reaches the threshold.

    Input ``{"pairs": (member, anchor), "hashes": (id, sorted shingle hashes)}``.
    Two joins bring both shingle sets to the pair: each document's set is
    shuffled twice, instead of once per band as when buckets carried them.
    """

    def __init__(self, threshold: float) -> None:
        super().__init__()
        self.threshold = threshold

    def expand(self, inputs):
        pairs = inputs["pairs"] | "DistinctPairs" >> Distinct()
        hashes = inputs["hashes"]
        with_anchor = (
            {"members": pairs | "ByAnchor" >> beam.Map(lambda pair: (pair[1], pair[0])),
             "hashes": hashes}
            | "JoinAnchor" >> beam.CoGroupByKey()
            | "AttachAnchor" >> beam.FlatMap(_attach_anchor_hashes)
        )
        return (
            {"candidates": with_anchor, "hashes": hashes}
            | "JoinMember" >> beam.CoGroupByKey()
            | "Verify" >> beam.FlatMap(_verify_member, self.threshold)
        )


# ---------------------------------------------------------------- clustering


class Distinct(beam.PTransform):
    """``beam.Distinct`` without combiner lifting, so worker memory does not grow with the corpus.

    ``beam.Distinct`` (like ``CombinePerKey``) pre-combines in every worker in
    a table of up to 100,000 keys per step (1,000,000 for ``sum``), flushed
    only when full. Edges and pairs are nearly all distinct, so the table
    removes almost nothing but costs memory in each fused step, and the
    unlifted version was also faster in bench/dedup_scale.py. A plain
    GroupByKey streams instead.
    """

    def expand(self, pcoll):
        return (
            pcoll
            | "WithNone" >> beam.Map(lambda x: (x, None))
            | "Group" >> beam.GroupByKey()
            | "Keys" >> beam.Keys()
        )


def _canonical(edge: tuple[str, str]) -> tuple[str, str]:
    a, b = edge
    return (a, b) if a < b else (b, a)


def _large_star(node_neighbours):
    """Link every larger neighbour of u to the smallest of u's closed neighbourhood."""
    u, neighbours = node_neighbours
    neighbours = set(neighbours)
    m = min(neighbours | {u})
    for v in neighbours:
        if v > u and v != m:
            yield _canonical((v, m))


def _small_star(node_neighbours):
    """Link u and its smaller neighbours to the smallest of them."""
    u, smaller = node_neighbours
    group = set(smaller) | {u}
    m = min(group)
    for v in group:
        if v != m:
            yield _canonical((v, m))


class ConnectedComponents(beam.PTransform):
    """Undirected edges (a, b) -> (node, component id = smallest node), non-root nodes only.

    Alternating large-star / small-star rounds, unrolled to ``rounds``. After
    convergence every edge is (node, smallest node of its component). The
    edges changed by the last round are counted; if any changed, the result
    may not be final and a warning is logged with the count.
    """

    def __init__(self, rounds: int = 8) -> None:
        super().__init__()
        if rounds < 1:
            raise ValueError(f"rounds must be >= 1, got {rounds}")
        self.rounds = rounds

    def expand(self, edges):
        edges = (
            edges
            | "Canonical" >> beam.Map(_canonical)
            | "Distinct0" >> Distinct()
        )
        previous = edges
        for i in range(1, self.rounds + 1):
            previous = edges
            large = (
                edges
                | f"LargeBoth{i}" >> beam.FlatMap(lambda e: (e, (e[1], e[0])))
                | f"LargeGroup{i}" >> beam.GroupByKey()
                | f"LargeStar{i}" >> beam.FlatMap(_large_star)
                | f"LargeDistinct{i}" >> Distinct()
            )
            edges = (
                large
                | f"SmallOrient{i}" >> beam.Map(lambda e: (e[1], e[0]))  # (larger, smaller)
                | f"SmallGroup{i}" >> beam.GroupByKey()
                | f"SmallStar{i}" >> beam.FlatMap(_small_star)
                | f"SmallDistinct{i}" >> Distinct()
            )
        _ = (
            {"before": previous | "KeyBefore" >> beam.Map(lambda e: (e, 1)),
             "after": edges | "KeyAfter" >> beam.Map(lambda e: (e, 1))}
            | "CompareLastRound" >> beam.CoGroupByKey()
            | "Changed" >> beam.Map(lambda kv: int(bool(kv[1]["before"]) != bool(kv[1]["after"])))
            | "SumChanged" >> beam.CombineGlobally(sum)
            | "ReportConvergence" >> beam.Map(_report_convergence, self.rounds)
        )
        return edges | "NodeToRoot" >> beam.Map(lambda e: (e[1], e[0]))


def _report_convergence(changed: int, rounds: int) -> int:
    if changed:
        _counter("cc_unconverged_edges").inc(changed)
        _LOG.warning("near dedup: connected components not converged after %d rounds; "
                     "%d edges changed in the last round (raise the CC round bound)",
                     rounds, changed)
    else:
        _counter("cc_converged").inc()
    return changed


# ---------------------------------------------------------------- decisions


class _KeepCombineFn(beam.CombineFn):
    """(rank, id) of members -> (best rank, best id, member count)."""

    def create_accumulator(self):
        return (None, None, 0)

    def add_input(self, acc, member):
        rank, doc_id = member
        best_rank, best_id, count = acc
        if best_rank is None or rank < best_rank:
            return (rank, doc_id, count + 1)
        return (best_rank, best_id, count + 1)

    def merge_accumulators(self, accumulators):
        result = (None, None, 0)
        for best_rank, best_id, count in accumulators:
            if best_rank is not None and (result[0] is None or best_rank < result[0]):
                result = (best_rank, best_id, result[2] + count)
            else:
                result = (result[0], result[1], result[2] + count)
        return result

    def extract_output(self, acc):
        return acc[1], acc[2]


def _assign(joined):
    """(root, {member ids, decision}) -> (member id, (root, kept id, size))."""
    root, groups = joined
    (kept, size), = groups["decision"]
    for member in groups["member"]:
        yield member, (root, kept, size)


class _ApplyDecisionDoFn(beam.DoFn):
    @timed("near_dedup")
    def process(self, joined: tuple[str, dict[str, list]]):
        doc_id, groups = joined
        assignment = next(iter(groups["assignment"]), None)
        for doc in groups["doc"]:
            if assignment is None:
                yield {**doc, "dup_cluster": doc_id, "dup_cluster_size": 1}
                continue
            root, kept, size = assignment
            if kept == doc_id:
                yield {**doc, "dup_cluster": root, "dup_cluster_size": size}
            else:
                yield reject(doc, STAGE, "near_duplicate", duplicate_of=kept)


class NearDedup(beam.PTransform):
    """Remove near-duplicates (true Jaccard >= ``threshold``, reason ``near_duplicate``)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, ngram: int = 5,
                 seed: int = 1, keep: str = "longest", cc_rounds: int = 8,
                 max_bucket: int = 1000, bands: int | None = None,
                 rows: int | None = None) -> None:
        super().__init__()
        if keep not in KEEP_RULES:
            raise ValueError(f"keep must be one of {KEEP_RULES}, got {keep!r}")
        if max_bucket < 2:
            raise ValueError(f"max_bucket must be >= 2, got {max_bucket}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.keep = keep
        self.cc_rounds = cc_rounds
        self.max_bucket = max_bucket
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        if bands is not None and rows is not None and not (
                bands >= 1 and rows >= 1 and bands * rows <= num_perm):
            raise ValueError(f"bands x rows must be at least 1 x 1 and at most num_perm "
                             f"({num_perm}), got {bands} x {rows}")
        # Every candidate is verified by its true Jaccard, so a false candidate
        # costs one comparison while a missed one is a duplicate kept: the
        # bands favour recall (16 x 8 for 0.8 / 128: P(candidate | J=0.8) ~ 0.95,
        # against ~0.40 for datasketch's balanced 9 x 13).
        self.bands, self.rows = (bands, rows) if bands is not None and rows else optimal_bands(
            threshold, num_perm, CANDIDATE_FP_WEIGHT, 1.0 - CANDIDATE_FP_WEIGHT)

    def expand(self, docs):
        features = docs | "Signature" >> beam.ParDo(_SignatureDoFn(
            self.num_perm, self.ngram, self.seed, self.bands, self.rows, self.keep))
        assignment = features | "Cluster" >> ClusterFeatures(
            self.threshold, self.max_bucket, self.cc_rounds)
        by_id = docs | "KeyById" >> beam.Map(lambda doc: (doc["id"], doc))
        return (
            {"doc": by_id, "assignment": assignment}
            | "Join" >> beam.CoGroupByKey()
            | "Decide" >> beam.ParDo(_ApplyDecisionDoFn()).with_outputs(REJECTED, main="docs")
        )


class ClusterFeatures(beam.PTransform):
    """(id, (band keys, shingle hashes, keep rank)) -> (member id, (root, kept id, size)).

    The whole distributed half of near dedup -- buckets, verification,
    connected components, keep rule -- on precomputed features, so it can be
    benchmarked at scale on synthetic signatures (bench/dedup_scale.py)
    without hashing any text. Only documents in a duplicate group are output.
    """

    def __init__(self, threshold: float, max_bucket: int, cc_rounds: int) -> None:
        super().__init__()
        self.threshold = threshold
        self.max_bucket = max_bucket
        self.cc_rounds = cc_rounds

    def expand(self, features):
        threshold, max_bucket = self.threshold, self.max_bucket
        pairs = (
            features
            | "BandKeys" >> beam.FlatMap(lambda item: ((key, item[0]) for key in item[1][0]))
            | "GroupByBucket" >> beam.GroupByKey()
            | "StarCandidates" >> beam.FlatMap(
                lambda bucket: bucket_candidates(bucket[1], max_bucket))
        )
        edges = (
            {"pairs": pairs,
             "hashes": features | "Hashes" >> beam.Map(lambda item: (item[0], item[1][1]))}
            | "VerifyCandidates" >> VerifyCandidates(threshold)
        )
        node_root = edges | "Components" >> ConnectedComponents(self.cc_rounds)
        # Every clustered node, the roots included, with its keep rank.
        members = (
            (node_root, node_root | "Roots" >> beam.Map(lambda kv: (kv[1], kv[1])))
            | "Members" >> beam.Flatten()
            | "DistinctMembers" >> Distinct()
        )
        ranked = (
            {"root": members, "rank": features | "Rank" >> beam.Map(lambda i: (i[0], i[1][2]))}
            | "JoinRank" >> beam.CoGroupByKey()
            | "RootRank" >> beam.FlatMap(
                lambda kv: ((root, (rank, kv[0]))
                            for root in kv[1]["root"] for rank in kv[1]["rank"]))
        )
        decision = ranked | "Keep" >> beam.CombinePerKey(_KeepCombineFn())
        return (
            {"member": members | "ByRoot" >> beam.Map(lambda kv: (kv[1], kv[0])),
             "decision": decision}
            | "JoinDecision" >> beam.CoGroupByKey()
            | "Assign" >> beam.FlatMap(_assign)
        )


__all__ = ["KEEP_RULES", "ClusterFeatures", "ConnectedComponents", "NearDedup", "VerifyCandidates",
           "bucket_candidates", "keep_rank", "verified_anchors"]
