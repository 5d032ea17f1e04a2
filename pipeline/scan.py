"""Canary scan: reread finished shards for personal data that should not be there.

Masking is checked where it matters, in the files a trainer will read. The scan
reruns the project's own high-confidence recognizers — My Number and corporate
numbers next to their keywords (check digits), e-mail addresses, Japanese phone
numbers, card numbers (Luhn) next to a keyword — over every shard's ``text``
and ``metadata`` columns, and reports counts per shard and entity. Never a
value: the report is as safe to share as the manifest.

``kiyome scan DIR`` prints it (exit 1 when anything is found); ``kiyome run``
records :func:`summary` as the manifest's ``scan`` section.
"""

from __future__ import annotations

import os

# Must happen before presidio (and so tldextract) is imported anywhere.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

#: Entity -> lowest score that counts as a finding. Check-digit identifiers and
#: cards score >= 0.85 only with a keyword nearby (a checksum alone passes ~10 % of
#: random numbers); e-mail addresses always score >= 0.85; a phone number that
#: fits the numbering plan scores 0.6 without a label.
SCAN_MIN_SCORE: dict[str, float] = {
    "JP_MY_NUMBER": 0.85,
    "JP_CORPORATE_NUMBER": 0.85,
    "EMAIL_ADDRESS": 0.85,
    "PHONE_NUMBER": 0.6,
    "CREDIT_CARD": 0.85,
}
#: Shard columns that hold document content (``metadata`` is JSON text).
SCANNED_COLUMNS = ("text", "metadata")
_BATCH_ROWS = 512


def _recognizers() -> list:
    from kiyome.transforms.pii.recognizers.registry import japanese_recognizers

    return [recognizer for recognizer in japanese_recognizers(ner=False)
            if set(recognizer.supported_entities) & set(SCAN_MIN_SCORE)]


def kept_by(policy) -> list[str]:
    """Scanned entities ``policy`` leaves in the text on purpose (``keep`` or disabled):
    the default policy keeps corporate numbers, which identify companies, not people."""
    disabled = policy.disabled_entities()
    return sorted(entity for entity in SCAN_MIN_SCORE
                  if entity in disabled or policy.action_for(entity).operator == "keep")


def run_policy(directory: str):
    """The policy a finished run used, from its manifest, if it still loads unchanged."""
    import json

    from apache_beam.io.filesystems import FileSystems

    from kiyome.policies.policy import PolicyError, load_policy

    try:
        with FileSystems.open(f"{directory.rstrip('/')}/manifest.json") as handle:
            recorded = json.loads(handle.read())["policy"]
        policy = load_policy(recorded["source"])
    except (OSError, ValueError, KeyError, TypeError, PolicyError):
        return None
    return policy if policy.content_hash == recorded.get("content_hash") else None


def scan_texts(texts: Iterable[str], recognizers: list | None = None) -> Counter:
    """Findings per entity in ``texts`` (overlapping findings of one entity count once).

    >>> scan_texts(["連絡先 taro@example.co.jp", "＜電話番号＞ ＜メールアドレス＞"])
    Counter({'EMAIL_ADDRESS': 1})
    """
    recognizers = _recognizers() if recognizers is None else recognizers
    entities = list(SCAN_MIN_SCORE)
    found: Counter = Counter()
    for text in texts:
        if not text:
            continue
        spans: set[tuple[str, int, int]] = set()
        for recognizer in recognizers:
            for result in recognizer.analyze(text, entities, None):
                if result.score >= SCAN_MIN_SCORE.get(result.entity_type, 1.1):
                    spans.add((result.entity_type, result.start, result.end))
        kept: list[tuple[str, int, int]] = []
        for entity, start, end in sorted(spans, key=lambda s: (s[0], s[1], -s[2])):
            if kept and kept[-1][0] == entity and start < kept[-1][2]:
                continue  # inside a longer finding of the same entity
            kept.append((entity, start, end))
        found.update(entity for entity, _, _ in kept)
    return found


def _shard_texts(path: str) -> Iterator[tuple[int, list[str]]]:
    """(rows, texts) per record batch of one shard: the scanned columns' strings."""
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as handle:
        shard = pq.ParquetFile(handle)
        columns = [c for c in SCANNED_COLUMNS if c in shard.schema_arrow.names]
        for batch in shard.iter_batches(batch_size=_BATCH_ROWS, columns=columns):
            texts = [value for column in batch.columns for value in column.to_pylist()
                     if isinstance(value, str)]
            yield batch.num_rows, texts


def scan_shards(output_dir: str, skip: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Per shard: its path (relative to ``output_dir``), rows read, findings per entity
    (entities in ``skip`` are not looked for)."""
    from kiyome.pipeline.manifest import shard_files

    skip = set(skip)
    recognizers = [r for r in _recognizers() if set(r.supported_entities) - skip]
    base = output_dir.rstrip("/")
    report = []
    for path in shard_files(output_dir):
        rows, found = 0, Counter()
        for batch_rows, texts in _shard_texts(path):
            rows += batch_rows
            found += scan_texts(texts, recognizers)
        report.append({"path": path[len(base) + 1:] if path.startswith(base) else path,
                       "rows": rows, "found": dict(sorted(found.items()))})
    return report


def summary(output_dir: str, policy=None) -> dict[str, Any]:
    """The manifest's ``scan`` section: what was looked for, per-shard and total counts.

    Entities ``policy`` keeps on purpose are not looked for (listed as ``kept_by_policy``).
    """
    kept = kept_by(policy) if policy is not None else []
    shards = scan_shards(output_dir, skip=kept)
    total: Counter = Counter()
    for shard in shards:
        total.update(shard["found"])
    return {
        "entities": {e: score for e, score in SCAN_MIN_SCORE.items() if e not in kept},
        "kept_by_policy": kept,
        "columns": list(SCANNED_COLUMNS),
        "shards": shards,
        "found": dict(sorted(total.items())),
        "clean": not total,
    }


def format_report(result: dict[str, Any]) -> list[str]:
    """One line per shard, then the verdict; counts only."""
    lines = []
    for shard in result["shards"]:
        found = ", ".join(f"{entity} {count}" for entity, count in shard["found"].items())
        lines.append(f"{shard['path']}: {shard['rows']} rows, {found or 'clean'}")
    total = sum(result["found"].values())
    lines.append("scan: clean" if result["clean"] else
                 f"scan: {total} high-confidence personal data finding(s) in "
                 f"{sum(1 for s in result['shards'] if s['found'])} shard(s)")
    return lines


def run_scan_command(directory: str, policy_name: str | None = None) -> int:
    """``kiyome scan DIR``: 0 clean, 1 findings, 2 no shards there (or a bad policy).

    The policy (what it keeps is not a finding) is ``policy_name``, else the one
    the run's manifest names if it still loads with the same content hash, else
    none: every scanned entity counts.
    """
    import sys

    from kiyome.pipeline.manifest import shard_files
    from kiyome.policies.policy import PolicyError, load_policy

    if not shard_files(directory):
        print(f"kiyome: error: no shards under {directory.rstrip('/')}/shards/", file=sys.stderr)
        return 2
    try:
        policy = load_policy(policy_name) if policy_name else run_policy(directory)
    except PolicyError as error:
        print(f"kiyome: error: {error}", file=sys.stderr)
        return 2
    result = summary(directory, policy)
    for line in format_report(result):
        print(line)
    return 0 if result["clean"] else 1
