"""MinHash signature throughput per core: kiyome's MinHasher against datasketch.

Usage: .venv/bin/python bench/minhash.py [CORPUS_DIR] [--docs N] [--chars C] [--repeat R]

Both sides run in this one process, pinned to one core, on the same Japanese
documents: C-character windows (1,000 by default) cut from the Japanese files
of the sample corpus, normalised as dedup sees them (NFKC, whitespace folded).
Both sides include shingling (character 5-grams) and 128 permutations:

* kiyome: ``MinHasher.signature(text)`` (xxh3-64 shingles, exact mod 2**61 - 1);
* datasketch: ``MinHash(num_perm=128, hashfunc=xxh32).update_batch(shingles)``,
  its fastest documented path.

Prints one JSON dict; ``ratio_vs_datasketch`` > 1 means kiyome is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NON_JAPANESE_DIRS = {"en", "zh"}


def documents(corpus: Path, count: int, chars: int) -> list[str]:
    from kiyome.transforms.normalize import key_text

    parts = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".txt", ".md") and not NON_JAPANESE_DIRS & set(path.parts):
            parts.append(key_text(path.read_text(encoding="utf-8-sig", errors="replace")))
    stream = " ".join(parts)
    if len(stream) < chars:
        sys.exit(f"not enough text under {corpus}")
    span = len(stream) - chars
    return [stream[(i * 997) % span:][:chars] for i in range(count)]


def rate(function, texts: list[str], repeat: int) -> float:
    function(texts[0])  # warm caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "examples" / "corpus"))
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--num-perm", type=int, default=128)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    import xxhash
    from datasketch import MinHash

    from kiyome.transforms.dedup.minhash import MinHasher, char_ngrams, shingle_hashes

    texts = documents(Path(args.corpus), args.docs, args.chars)
    hasher = MinHasher(num_perm=args.num_perm)

    def datasketch_signature(text: str):
        sketch = MinHash(num_perm=args.num_perm, hashfunc=xxhash.xxh32_intdigest)
        sketch.update_batch([gram.encode("utf-8") for gram in char_ngrams(text, 5)])
        return sketch.hashvalues

    kiyome = rate(hasher.signature, texts, args.repeat)
    shingles = rate(shingle_hashes, texts, args.repeat)
    reference = rate(datasketch_signature, texts, args.repeat)
    print(json.dumps({
        "docs": len(texts), "chars_per_doc": args.chars, "num_perm": args.num_perm,
        "kiyome_docs_per_s": round(kiyome, 1),
        "kiyome_shingling_only_docs_per_s": round(shingles, 1),
        "datasketch_update_batch_docs_per_s": round(reference, 1),
        "ratio_vs_datasketch": round(kiyome / reference, 2),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
