"""Near dedup: MinHash over character 5-grams, LSH bands, verified star edges.

The graph stays distributed: signatures are computed per document, candidates
meet in a GroupByKey on band keys, and each bucket links its members to the
bucket's smallest id only (a star, so a bucket of boilerplate shared by
thousands of documents costs N comparisons, not N²). An edge counts only when
the signatures' estimated Jaccard reaches the threshold. A document with a
verified edge to a smaller id is removed as a duplicate of the smallest such
id; the smallest id of every group is therefore always kept.
"""

from __future__ import annotations

from typing import Any

import apache_beam as beam

from kiyome.transforms.dedup.minhash import (
    MinHasher,
    band_keys,
    estimated_jaccard,
    optimal_bands,
)
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import REJECTED, reject

STAGE = "dedup"


class _SignatureDoFn(beam.DoFn):
    def __init__(self, num_perm: int, ngram: int, seed: int) -> None:
        self._params = (num_perm, ngram, seed)
        self._hasher: MinHasher | None = None

    def setup(self) -> None:
        num_perm, ngram, seed = self._params
        self._hasher = MinHasher(num_perm=num_perm, ngram=ngram, seed=seed)

    def process(self, doc: dict[str, Any]):
        yield doc["id"], self._hasher.signature(key_text(doc["text"]))


def _verified_star_edges(bucket: tuple[bytes, Any], threshold: float):
    """(member id, anchor id) for each member whose signature matches the bucket's anchor."""
    _, members = bucket
    members = sorted(members, key=lambda member: member[0])
    anchor_id, anchor_sig = members[0]
    for member_id, member_sig in members[1:]:
        if member_id != anchor_id and estimated_jaccard(anchor_sig, member_sig) >= threshold:
            yield member_id, anchor_id


class _ApplyDecisionDoFn(beam.DoFn):
    def process(self, joined: tuple[str, dict[str, list]]):
        _, groups = joined
        duplicate_of = min(groups["duplicate_of"], default=None)
        for doc in groups["doc"]:
            if duplicate_of is None:
                yield doc
            else:
                yield reject(doc, STAGE, "near_duplicate", duplicate_of=duplicate_of)


class NearDedup(beam.PTransform):
    """Remove near-duplicates (estimated Jaccard >= ``threshold``, reason ``near_duplicate``)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, ngram: int = 5,
                 seed: int = 1) -> None:
        super().__init__()
        self.threshold = threshold
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.bands, self.rows = optimal_bands(threshold, num_perm)

    def expand(self, docs):
        bands, rows, threshold = self.bands, self.rows, self.threshold
        signatures = docs | "Signature" >> beam.ParDo(
            _SignatureDoFn(self.num_perm, self.ngram, self.seed)
        )
        duplicate_of = (
            signatures
            | "ToBands" >> beam.FlatMap(
                lambda item: ((key, item) for key in band_keys(item[1], bands, rows))
            )
            | "GroupByBand" >> beam.GroupByKey()
            | "VerifiedEdges" >> beam.FlatMap(_verified_star_edges, threshold)
            | "SmallestNeighbour" >> beam.CombinePerKey(min)
        )
        by_id = docs | "KeyById" >> beam.Map(lambda doc: (doc["id"], doc))
        return (
            {"doc": by_id, "duplicate_of": duplicate_of}
            | "Join" >> beam.CoGroupByKey()
            | "Decide" >> beam.ParDo(_ApplyDecisionDoFn()).with_outputs(REJECTED, main="docs")
        )
