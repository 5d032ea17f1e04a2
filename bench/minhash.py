"""MinHash signature throughput per core: kiyome against datasketch and datatrove.

Usage: .venv/bin/python bench/minhash.py [CORPUS_DIR] [--docs N] [--chars C] [--repeat R]
                                         [--no-datatrove]

All three run on the same Japanese documents, pinned to one core: C-character
windows (1,000 by default) cut from the Japanese files of the sample corpus,
normalised as dedup sees them (NFKC, whitespace folded). Every side shingles
character 5-grams and computes 128 permutations:

* kiyome: ``MinHasher.signature(text)`` (vectorised shingle hashing, uint32
  multiply-add permutations);
* datasketch: ``MinHash(num_perm=128, hashfunc=xxh32).update_batch(shingles)``,
  its fastest documented path (same process);
* datatrove: ``MinhashDedupSignature.get_signature`` on the same character
  5-grams hashed with its configured ``_hash_func`` (xxhash64), i.e. its
  signature step without its word tokenizer (which needs spaCy for every
  language and strips dakuten). datatrove is not a kiyome dependency: it is
  installed into ``out/bench/datatrove-venv`` and timed in a subprocess on a
  file of the same texts. If that fails (offline, no wheel), the reason is
  printed in one line and the rest of the bench still runs.

Prints one JSON dict; ``ratio_vs_*`` > 1 means kiyome is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NON_JAPANESE_DIRS = {"en", "zh"}
DATATROVE_VENV = ROOT / "out" / "bench" / "datatrove-venv"
#: What datatrove's signature step imports without its optional extras.
DATATROVE_PACKAGES = ("datatrove", "regex", "xxhash", "nltk", "tokenizers")

# Runs inside the datatrove venv: argv = texts.json, num_perm, repeat. The
# constructor is bypassed because it loads a word tokenizer (spaCy) that the
# signature step does not use; the attributes set are the ones __init__ sets.
DATATROVE_SCRIPT = r"""
import json, os, sys, time
import numpy as np
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.hashing import create_hash_func

texts = json.load(open(sys.argv[1], encoding="utf-8"))
num_perm, repeat = int(sys.argv[2]), int(sys.argv[3])
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
step = MinhashDedupSignature.__new__(MinhashDedupSignature)
step.config = MinhashConfig(n_grams=5, num_buckets=num_perm // 8, hashes_per_bucket=8)
step.num_hashes = step.config.num_buckets * step.config.hashes_per_bucket
step._parameters = None
step._hash_func = create_hash_func(step.config.hash_config, bytes)

def signature(text):
    grams = [text[i:i + 5] for i in range(len(text) - 4)] or [text]
    shingles = np.fromiter((step._hash_func(g.encode("utf-8")) for g in grams),
                           dtype=np.uint64).reshape((-1, 1))
    return step.get_signature(shingles)

signature(texts[0])
best = float("inf")
for _ in range(repeat):
    start = time.perf_counter()
    for text in texts:
        signature(text)
    best = min(best, time.perf_counter() - start)
from importlib.metadata import version
print(json.dumps({"docs_per_s": len(texts) / best, "version": version("datatrove")}))
"""


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


def datatrove_python() -> Path:
    """The datatrove venv's interpreter, created and filled on first use."""
    python = DATATROVE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATATROVE_VENV)], check=True,
                       capture_output=True)
    probe = subprocess.run([str(python), "-c", "import datatrove, regex, nltk, tokenizers"],
                           capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *DATATROVE_PACKAGES],
                       check=True, capture_output=True, text=True, timeout=900)
    return python


def datatrove_rate(texts: list[str], num_perm: int, repeat: int) -> tuple[float | None, str]:
    """(docs/s, datatrove version) or (None, one-line reason)."""
    try:
        python = datatrove_python()
    except subprocess.CalledProcessError as error:
        lines = (error.stderr or "").strip().splitlines() if isinstance(error.stderr, str) else []
        return None, f"could not install datatrove: {lines[-1] if lines else error}"
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"could not install datatrove: {error}"
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(texts, f, ensure_ascii=False)
    try:
        command = [str(python), "-c", DATATROVE_SCRIPT, f.name, str(num_perm), str(repeat)]
        done = subprocess.run(command, capture_output=True, text=True,
                              cwd=tempfile.gettempdir())
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"datatrove run failed: {last}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["docs_per_s"], result["version"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "examples" / "corpus"))
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--no-datatrove", action="store_true", help="skip the datatrove side")
    args = parser.parse_args()
    if args.num_perm % 8:
        parser.error("--num-perm must be a multiple of 8 (datatrove buckets of 8 hashes)")
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
    report: dict[str, object] = {
        "docs": len(texts), "chars_per_doc": args.chars, "num_perm": args.num_perm,
        "kiyome_docs_per_s": round(kiyome, 1),
        "kiyome_shingle_set_only_docs_per_s": round(shingles, 1),
        "datasketch_update_batch_docs_per_s": round(reference, 1),
        "ratio_vs_datasketch": round(kiyome / reference, 2),
    }
    if args.no_datatrove:
        report["datatrove"] = "skipped (--no-datatrove)"
    else:
        dt_rate, detail = datatrove_rate(texts, args.num_perm, args.repeat)
        if dt_rate is None:
            print(f"datatrove comparison skipped: {detail}", file=sys.stderr)
            report["datatrove"] = detail
        else:
            report["datatrove_version"] = detail
            report["datatrove_get_signature_docs_per_s"] = round(dt_rate, 1)
            report["ratio_vs_datatrove"] = round(kiyome / dt_rate, 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
