"""Incremental dedup: reject new documents that duplicate an earlier run's documents.

The earlier runs are read only from their signature stores
(:mod:`~kiyome.transforms.dedup.signatures`), never from their text or
shards, and their documents are never emitted again: a month's batch costs
one pass over the stored signatures, not a re-run of the whole corpus.

1. **Exact.** A new document whose content key (SHA-256 of the NFKC'd text)
   equals an earlier one's is rejected ``exact_duplicate``.
2. **Near.** Band keys of both sides meet in a GroupByKey that carries ids
   only (16 small records per earlier document, not their shingles). Each
   bucket with both sides yields (earlier id, new id) candidates; at most
   ``max_bucket`` earlier ids per bucket (smallest first; the rest are
   counted in ``near_dedup.earlier_bucket_truncated``). Candidates then fetch
   the earlier shingle set by id (one join) and meet the new document's set
   (a second join), where the *true* Jaccard of the stored 32-bit shingle
   sets must reach the threshold -- the same rule as within a run.
3. **Decision.** A new document with any match is rejected with
   ``duplicate_of`` = the earlier id: an exact match first, else the highest
   Jaccard, ties by the smallest id. The survivors go on to within-batch dedup.
"""

from __future__ import annotations

from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

from kiyome.transforms.dedup.exact import content_key
from kiyome.transforms.dedup.minhash import MinHasher, band_keys, jaccard, shingle_hash_array
from kiyome.transforms.dedup.signatures import read_signature_file, shingle_set32
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import METRICS_NAMESPACE, REJECTED, reject

STAGE = "dedup"
EXACT, NEAR = "exact_duplicate", "near_duplicate"


def _counter(name: str):
    return Metrics.counter(METRICS_NAMESPACE, f"near_dedup.{name}")


def better_match(a: tuple[str, float, str], b: tuple[str, float, str]) -> tuple[str, float, str]:
    """Of two (reason, jaccard, earlier id) matches, the one a rejection names.

    >>> better_match((NEAR, 0.9, "b"), (EXACT, 1.0, "z"))[2]
    'z'
    >>> better_match((NEAR, 0.9, "b"), (NEAR, 0.9, "a"))[2]
    'a'
    >>> better_match((NEAR, 0.85, "a"), (NEAR, 0.95, "c"))[2]
    'c'
    """
    def rank(match: tuple[str, float, str]) -> tuple:
        reason, similarity, earlier_id = match
        return (reason != EXACT, -similarity, earlier_id)

    return min(a, b, key=rank)


class _NewFeaturesDoFn(beam.DoFn):
    """new doc -> (id, (content key, band keys, 32-bit shingle set))."""

    def __init__(self, num_perm: int, ngram: int, seed: int, bands: int, rows: int) -> None:
        self._params = (num_perm, ngram, seed)
        self._bands = (bands, rows)
        self._hasher: MinHasher | None = None

    def setup(self) -> None:
        self._hasher = MinHasher(*self._params)

    def process(self, doc: dict[str, Any]):
        hashes = shingle_hash_array(key_text(doc["text"]), self._hasher.ngram)
        keys = band_keys(self._hasher.signature_from_hashes(hashes), *self._bands)
        yield doc["id"], (content_key(doc["text"]), keys, shingle_set32(hashes))


def _exact_matches(joined):
    """(content key, {earlier ids, new ids}) -> (new id, exact match) when both sides exist."""
    _, groups = joined
    earlier = list(groups["earlier"])
    if earlier:
        for new_id in groups["new"]:
            yield new_id, (EXACT, 1.0, min(earlier))


def _bucket_pairs(bucket, max_bucket: int):
    """(band key, [(side, id)]) -> (earlier id, new id) for every cross-side pair."""
    _, members = bucket
    earlier, new = [], []
    for side, doc_id in members:
        (earlier if side == 0 else new).append(doc_id)
    if not earlier or not new:
        return
    earlier = sorted(set(earlier))
    if len(earlier) > max_bucket:
        _counter("earlier_bucket_truncated").inc(len(earlier) - max_bucket)
        earlier = earlier[:max_bucket]
    for new_id in sorted(set(new)):
        for earlier_id in earlier:
            yield earlier_id, new_id


def _with_earlier_shingles(joined):
    """(earlier id, {new ids, shingles}) -> (new id, (earlier id, earlier shingles))."""
    earlier_id, groups = joined
    shingles = next(iter(groups["shingles"]), None)
    if shingles is None:
        return
    for new_id in groups["new"]:
        yield new_id, (earlier_id, shingles)


def _verify(joined, threshold: float):
    """(new id, {candidates, own shingles}) -> (new id, best verified near match)."""
    new_id, groups = joined
    own = next(iter(groups["own"]), None)
    if own is None:
        return
    best = None
    verified = rejected = 0
    for earlier_id, shingles in groups["candidates"]:
        similarity = jaccard(own, shingles)
        if similarity >= threshold:
            verified += 1
            match = (NEAR, similarity, earlier_id)
            best = match if best is None else better_match(best, match)
        else:
            rejected += 1
    if verified:
        _counter("earlier_pairs_verified").inc(verified)
    if rejected:
        _counter("earlier_candidates_below_threshold").inc(rejected)
    if best is not None:
        yield new_id, best


class _ApplyDoFn(beam.DoFn):
    def process(self, joined):
        _, groups = joined
        matches = list(groups["match"])
        for doc in groups["doc"]:
            if not matches:
                yield doc
                continue
            best = matches[0]
            for match in matches[1:]:
                best = better_match(best, match)
            reason, _, earlier_id = best
            yield reject(doc, STAGE, reason, duplicate_of=earlier_id, earlier_run=True)


class DedupAgainstEarlier(beam.PTransform):
    """New documents minus those duplicating a document of earlier runs' signature files."""

    def __init__(self, signature_files: list[str], threshold: float, num_perm: int,
                 ngram: int, seed: int, bands: int, rows: int, max_bucket: int = 1000) -> None:
        super().__init__()
        if not signature_files:
            raise ValueError("no signature files to dedup against")
        self.signature_files = sorted(signature_files)
        self.threshold = threshold
        self.params = (num_perm, ngram, seed)
        self.bands = (bands, rows)
        self.max_bucket = max_bucket

    def expand(self, docs):
        threshold, max_bucket = self.threshold, self.max_bucket
        bands = self.bands
        earlier = (
            docs.pipeline
            | "EarlierFiles" >> beam.Create(self.signature_files)
            | "Reshuffle" >> beam.Reshuffle()
            | "ReadEarlier" >> beam.FlatMap(read_signature_file)
        )
        new = docs | "NewFeatures" >> beam.ParDo(_NewFeaturesDoFn(*self.params, *bands))

        exact = (
            {"earlier": earlier | "EarlierContent" >> beam.Map(
                lambda row: (row["content_key"], row["id"])),
             "new": new | "NewContent" >> beam.Map(lambda kv: (kv[1][0], kv[0]))}
            | "JoinContent" >> beam.CoGroupByKey()
            | "ExactMatches" >> beam.FlatMap(_exact_matches)
        )
        earlier_keys = earlier | "EarlierBands" >> beam.FlatMap(
            lambda row: ((key, (0, row["id"])) for key in band_keys(row["signature"], *bands)))
        new_keys = new | "NewBands" >> beam.FlatMap(
            lambda kv: ((key, (1, kv[0])) for key in kv[1][1]))
        pairs = (
            (earlier_keys, new_keys)
            | "AllBands" >> beam.Flatten()
            | "GroupBands" >> beam.GroupByKey()
            | "CrossPairs" >> beam.FlatMap(_bucket_pairs, max_bucket)
            | "DistinctPairs" >> beam.Distinct()
        )
        candidates = (
            {"new": pairs,
             "shingles": earlier | "EarlierShingles" >> beam.Map(
                 lambda row: (row["id"], row["shingles"]))}
            | "JoinEarlier" >> beam.CoGroupByKey()
            | "WithEarlierShingles" >> beam.FlatMap(_with_earlier_shingles)
        )
        near = (
            {"candidates": candidates,
             "own": new | "NewShingles" >> beam.Map(lambda kv: (kv[0], kv[1][2]))}
            | "JoinNew" >> beam.CoGroupByKey()
            | "Verify" >> beam.FlatMap(_verify, threshold)
        )
        matches = (exact, near) | "AllMatches" >> beam.Flatten()
        return (
            {"doc": docs | "KeyById" >> beam.Map(lambda doc: (doc["id"], doc)),
             "match": matches}
            | "JoinMatches" >> beam.CoGroupByKey()
            | "Apply" >> beam.ParDo(_ApplyDoFn()).with_outputs(REJECTED, main="docs")
        )


__all__ = ["DedupAgainstEarlier", "better_match"]
