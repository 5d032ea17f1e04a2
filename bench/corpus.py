"""The benchmark corpus: real Japanese documentation from Debian, personal data planted.

    .venv/bin/python -m bench.corpus [--out out/bench] [--docs N] [--scales 1,4,16]

writes ``OUT/corpus/pool.jsonl`` (every document in one fixed order, planted)
and ``OUT/corpus/x{S}/part-NNNNN.jsonl`` for every scale S: the first ``S * N``
documents of the pool, so the 4x corpus contains the 1x one and costs per
document compare like for like (distinct documents, not copies that exact dedup
would drop). ``planted.jsonl`` keeps the planted values for a leak check; they
are never printed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.debs import PACKAGES, CorpusSourceError, download, unpack
from bench.plant import plant
from bench.textconv import html_to_text, roff_to_text, split_documents

SEED = 20261128
PII_SHARE = 0.30
DOCS_PER_FILE = 25
MAX_DOC_CHARS = 3000
MIN_DOC_CHARS = 200


@dataclass(frozen=True)
class SourceDoc:
    id: str
    text: str


def page_text(path: Path) -> str | None:
    """Plain text of a man page (``.gz`` roff) or an HTML page; None for anything else."""
    name = path.name
    if "/man/" in path.as_posix() and name.endswith(".gz"):
        return roff_to_text(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    if name.endswith(".html"):
        return html_to_text(path.read_text(encoding="utf-8", errors="replace"))
    return None


def source_documents(tree: Path, package: str) -> list[SourceDoc]:
    """Documents of one unpacked package, in path order, ids ``package/path#n``."""
    docs: list[SourceDoc] = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        text = page_text(path)
        if not text:
            continue
        relative = path.relative_to(tree).as_posix()
        for number, piece in enumerate(split_documents(text, MAX_DOC_CHARS, MIN_DOC_CHARS)):
            docs.append(SourceDoc(f"{package}/{relative}#{number}", piece))
    return docs


def ordered(docs: list[SourceDoc], seed: int) -> list[SourceDoc]:
    """One fixed order for any machine: sorted by id, then shuffled with ``seed``.

    Documents with identical text are kept once (some pages ship twice).
    """
    seen: set[str] = set()
    unique = []
    for doc in sorted(docs, key=lambda d: d.id):
        digest = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(doc)
    random.Random(seed).shuffle(unique)
    return unique


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_scale(directory: Path, records: list[dict]) -> None:
    """``records`` as ``DOCS_PER_FILE``-line JSONL files (one Beam read per file)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for start in range(0, len(records), DOCS_PER_FILE):
        chunk = records[start:start + DOCS_PER_FILE]
        write_jsonl(directory / f"part-{start // DOCS_PER_FILE:05d}.jsonl",
                    [{"id": r["id"], "text": r["text"]} for r in chunk])


def describe(records: list[dict]) -> dict:
    """Size and planted share of a corpus: counts only, never values."""
    entities: Counter = Counter()
    for record in records:
        entities.update(record["planted"])
    with_pii = sum(1 for record in records if record["planted"])
    return {
        "docs": len(records),
        "chars": sum(len(r["text"]) for r in records),
        "docs_with_planted_pii": with_pii,
        "share_with_planted_pii": round(with_pii / max(1, len(records)), 4),
        "planted_values": sum(entities.values()),
        "planted_by_entity": dict(sorted(entities.items())),
    }


def build_pool(docs: list[SourceDoc], corpus: Path, size: int,
               share: float = PII_SHARE, seed: int = SEED) -> list[dict]:
    """The first ``size`` documents in the fixed order, planted, saved under ``corpus``.

    ``pool.jsonl`` holds id, text and the planted entity names; ``planted.jsonl``
    the planted values. Scales are prefixes of the pool (see :func:`materialize`).
    """
    pool = ordered(docs, seed)[:size]
    planted = plant([doc.text for doc in pool], share, seed)
    records = [{"id": doc.id, "text": item.text, "planted": [e for e, _ in item.values]}
               for doc, item in zip(pool, planted, strict=True)]
    corpus.mkdir(parents=True, exist_ok=True)
    write_jsonl(corpus / "pool.jsonl", records)
    write_jsonl(corpus / "planted.jsonl", [{"id": doc.id, "values": item.values}
                                           for doc, item in zip(pool, planted, strict=True)
                                           if item.values])
    return records


def materialize(records: list[dict], corpus: Path, base_docs: int,
                scales: tuple[int, ...]) -> dict[str, dict]:
    """``corpus/x{S}/`` for every scale: the first ``S * base_docs`` records of the pool."""
    wanted = base_docs * max(scales)
    if len(records) < wanted:
        raise CorpusSourceError(f"only {len(records)} documents, {wanted} needed "
                                f"({base_docs} x {max(scales)}); lower --docs")
    described = {}
    for scale in scales:
        subset = records[:base_docs * scale]
        write_scale(corpus / f"x{scale}", subset)
        described[f"x{scale}"] = {"path": str(corpus / f"x{scale}"), **describe(subset)}
    return described


def fetch_documents(out: Path) -> list[SourceDoc]:
    """Every source document of the Debian packages (downloads cached under ``out/debs``)."""
    debs = download(PACKAGES, out / "debs")
    docs: list[SourceDoc] = []
    for deb in debs:
        package = deb.name.split("_", 1)[0]
        docs += source_documents(unpack(deb, out / "unpacked"), package)
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the benchmark corpus.")
    parser.add_argument("--out", default="out/bench")
    parser.add_argument("--docs", type=int, default=400, help="documents at scale 1x")
    parser.add_argument("--scales", default="1,4,16")
    args = parser.parse_args(argv)
    scales = tuple(int(s) for s in args.scales.split(","))
    try:
        docs = fetch_documents(Path(args.out))
        corpus = Path(args.out) / "corpus"
        records = build_pool(docs, corpus, args.docs * max(scales))
        described = materialize(records, corpus, args.docs, scales)
    except CorpusSourceError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 3
    print(json.dumps(described, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
