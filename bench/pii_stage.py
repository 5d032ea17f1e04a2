"""PII stage throughput per core, side by side with plain Presidio + GiNZA.

Usage: .venv/bin/python bench/pii_stage.py [CORPUS_DIR] [--repeat N]

Both sides run in this one process on the same texts (the Japanese documents
of the sample corpus by default), so the ratio holds on a noisy machine:

* kiyome: ``Masker.explain_many`` under the default policy (detection, decisions,
  masking), in batches as the Beam stage runs it;
* reference: Presidio ``AnalyzerEngine`` on ``ja_ginza`` with its stock
  ``SpacyRecognizer``, ``analyze()`` per document — the way Presidio's docs wire
  a spaCy model in (and it finds only PERSON/LOCATION-type entities).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = Path(__file__).resolve().parents[1]


def japanese_texts(corpus: Path) -> list[str]:
    from kiyome.transforms.langid import identify, load_model

    model = load_model()
    texts = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".txt", ".md", ".jsonl"):
            continue
        content = path.read_text(encoding="utf-8-sig")
        items = ([json.loads(line)["text"] for line in content.splitlines()
                  if line.strip().startswith("{") and '"text"' in line]
                 if path.suffix == ".jsonl" else [content])
        texts += [text for text in items if text.strip() and identify(model, text)[0] == "ja"]
    return texts


def plain_presidio():
    """Plain Presidio + GiNZA: the one definition lives with the quality evaluation."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as a script: make tests/ importable
    from tests.pii_eval import reference_analyzer

    return reference_analyzer()


def mask_in_batches(masker, texts: list[str]) -> list:
    """``Masker.explain_many`` over batches of ``MAX_BATCH``, as the Beam stage batches."""
    from kiyome.transforms.pii.mask import MAX_BATCH

    return [outcome for start in range(0, len(texts), MAX_BATCH)
            for outcome in masker.explain_many(texts[start:start + MAX_BATCH])]


def timed(function, texts: list[str], repeat: int) -> float:
    function(texts[0])  # warm caches
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            function(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "examples" / "corpus"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from kiyome.policies.policy import load_policy
    from kiyome.transforms.pii.mask import Masker

    texts = japanese_texts(Path(args.corpus))
    chars = sum(len(text) for text in texts) * args.repeat
    masker = Masker(load_policy())
    reference = plain_presidio()
    ours = timed(lambda batch: mask_in_batches(masker, batch), [texts], args.repeat)
    theirs = timed(lambda text: reference.analyze(text, language="ja"), texts, args.repeat)
    result = {
        "documents": len(texts) * args.repeat,
        "chars": chars,
        "kiyome_chars_per_s_per_core": round(chars / ours),
        "presidio_ginza_chars_per_s_per_core": round(chars / theirs),
        "pii_vs_presidio_ginza": round(theirs / ours, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
