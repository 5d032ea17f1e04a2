"""The Beam graph: ingest -> normalize -> langid -> boilerplate -> quality -> exact dedup
-> near dedup -> pii -> write.

Every stage is a PTransform in ``transforms/`` returning its documents and its
rejections; the graph collects all rejections into ``rejected/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import apache_beam as beam

from kiyome.policies.policy import Policy
from kiyome.transforms.dedup.exact import ExactDedup
from kiyome.transforms.dedup.incremental import DedupAgainstEarlier
from kiyome.transforms.dedup.near import NearDedup
from kiyome.transforms.dedup.signatures import WriteSignatures
from kiyome.transforms.ingest import Ingest, IngestLimits
from kiyome.transforms.langid import MIN_JA_RATIO, LanguageId
from kiyome.transforms.normalize import Normalize
from kiyome.transforms.pii.mask import AUDIT, MaskPii
from kiyome.transforms.quality import DEFAULT as DEFAULT_QUALITY
from kiyome.transforms.quality import QualityFilter
from kiyome.transforms.quality.boilerplate import StripBoilerplate
from kiyome.transforms.records import REJECTED
from kiyome.transforms.write import ShardLayout, WriteAudit, WriteRejected, WriteShards

#: Stages ``--skip`` accepts; ingest, PII masking and writing can never be skipped.
SKIPPABLE = ("langid", "dedup")
#: The resource hint that puts masking in an environment of its own, so a runner
#: starts separate workers for it: GiNZA, Sudachi and a batch of documents peak
#: under 0.8 GB (bench/results.json, ``peak_rss_mb_masking_workers``).
MASKING_MIN_RAM = "2GB"


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs besides the Beam options."""

    input_paths: tuple[str, ...]
    output_dir: str
    policy: Policy
    languages: frozenset[str] | None = frozenset({"ja"})
    #: Documents in another language are kept when this share of them is Japanese.
    min_ja_ratio: float = MIN_JA_RATIO
    #: Quality profile (transforms/quality/profiles.py), or "off" (no boilerplate
    #: removal either).
    quality_profile: str = DEFAULT_QUALITY
    skip: frozenset[str] = field(default_factory=frozenset)
    num_shards: int = 1
    near_dup_threshold: float = 0.8
    num_perm: int = 128
    #: Characters per MinHash shingle.
    ngram: int = 5
    #: LSH bands x rows; None (both) derives them from the threshold and num_perm.
    bands: int | None = None
    rows: int | None = None
    near_dup_keep: str = "longest"
    near_dup_cc_rounds: int = 8
    #: LSH buckets larger than this are split into sub-stars.
    max_bucket: int = 1000
    #: Signature files of earlier runs (``--dedup-against``); new documents
    #: duplicating theirs are rejected.
    dedup_against: tuple[str, ...] = ()
    text_column: str = "text"
    id_column: str = "id"
    ingest_limits: IngestLimits = field(default_factory=IngestLimits)
    shard_layout: ShardLayout = field(default_factory=ShardLayout)
    #: Masking in worker processes of its own (``runner.masking_in_own_workers``).
    masking_in_own_workers: bool = False


def near_dedup(config: RunConfig) -> NearDedup:
    """The near-dedup stage with the run's MinHash shape (bands derived when not given)."""
    return NearDedup(config.near_dup_threshold, config.num_perm, ngram=config.ngram,
                     keep=config.near_dup_keep, cc_rounds=config.near_dup_cc_rounds,
                     max_bucket=config.max_bucket, bands=config.bands, rows=config.rows)


def stages(config: RunConfig) -> list[tuple[str, beam.PTransform]]:
    """The document stages in order, less the skipped ones."""
    chosen: list[tuple[str, beam.PTransform]] = [("Normalize", Normalize())]
    if "langid" not in config.skip:
        chosen.append(("LanguageId", LanguageId(config.languages, config.min_ja_ratio)))
    if config.quality_profile != "off":  # off leaves the text as it came
        chosen.append(("Boilerplate", StripBoilerplate()))
        chosen.append(("Quality", QualityFilter(config.quality_profile)))
    if "dedup" not in config.skip:
        near = near_dedup(config)
        if config.dedup_against:
            chosen.append(("DedupAgainstEarlier", DedupAgainstEarlier(
                list(config.dedup_against), config.near_dup_threshold, near.num_perm,
                near.ngram, near.seed, near.bands, near.rows, near.max_bucket)))
        chosen.append(("ExactDedup", ExactDedup()))
        chosen.append(("NearDedup", near))
    chosen.append(("MaskPii", MaskPii(config.policy)))
    return chosen


def build(pipeline: beam.Pipeline, config: RunConfig) -> None:
    """Add the whole Kiyome graph to ``pipeline``."""
    ingested = (
        pipeline
        | "InputFiles" >> beam.Create(sorted(config.input_paths))
        | "Ingest" >> Ingest(config.ingest_limits, config.text_column, config.id_column)
    )
    docs, rejected = ingested.docs, [ingested[REJECTED]]
    deduplicated, near = None, None
    for name, stage in stages(config):
        if isinstance(stage, NearDedup):
            near = stage
        if isinstance(stage, MaskPii):
            deduplicated = docs  # unmasked: what later runs' documents are compared with
        if isinstance(stage, MaskPii) and config.masking_in_own_workers:
            stage = stage.with_resource_hints(min_ram=MASKING_MIN_RAM)
        result = docs | name >> stage
        docs = result.docs
        rejected.append(result[REJECTED])
        if isinstance(stage, MaskPii):
            result[AUDIT] | "WriteAudit" >> WriteAudit(config.output_dir)

    docs | "WriteShards" >> WriteShards(config.output_dir, config.policy, config.num_shards,
                                        config.shard_layout)
    if near is not None:  # every run with dedup leaves signatures for later runs
        (
            {"docs": deduplicated, "kept": docs | "WrittenIds" >> beam.Map(lambda d: d["id"])}
            | "WriteSignatures" >> WriteSignatures(config.output_dir, config.num_shards,
                                                   near.num_perm, near.ngram, near.seed)
        )
    (
        rejected
        | "AllRejected" >> beam.Flatten()
        | "WriteRejected" >> WriteRejected(config.output_dir)
    )
