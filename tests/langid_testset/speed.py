"""Language ID speed against raw fastText, the way bench/stages.py measures it.

    .venv/bin/python -m tests.langid_testset.speed [--cache DIR] [--short] [PACKAGE ...]

Documents: the man pages of the given packages (default manpages-ja, manpages-zh,
manpages-de), cut as the benchmark cuts them, from generate.py's cache; with
``--short``, the development set's short and medium items instead (UI strings,
where the word evidence works; the man pages never reach it). Kiyome's
``identify`` and lid.176's raw ``predict`` on the whole text (newlines as spaces)
run in alternating rounds in this process; prints chars/s and the paired ratio.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.corpus import source_documents
from bench.debs import download, unpack
from bench.measure import alternate, chars_of, paired_ratio, rate
from kiyome.transforms.langid import identify, load_model
from tests.langid_testset.evaluate import DEVSET, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*",
                        default=["manpages-ja", "manpages-zh", "manpages-de"])
    parser.add_argument("--cache", type=Path, default=Path("out/langid_testset"))
    parser.add_argument("--docs", type=int, default=1500, help="documents per package")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--short", action="store_true",
                        help="the development set's short and medium items, not man pages")
    args = parser.parse_args(argv)
    texts: list[str] = []
    if args.short:
        texts = [item["text"] for item in load(DEVSET) if item["length"] != "long"]
    for deb in [] if args.short else download(tuple(args.packages), args.cache / "debs"):
        tree = unpack(deb, args.cache / "unpacked")
        package = deb.name.split("_")[0]
        texts += [doc.text for doc in source_documents(tree, package)][: args.docs]
    model = load_model()
    identify(model, "Speichern unter")  # word lists loaded before timing, as in a worker
    raw = [text.replace("\n", " ") for text in texts]
    sides = alternate({"kiyome": lambda: [identify(model, text) for text in texts],
                       "fasttext": lambda: [model.predict(text, k=1) for text in raw]},
                      args.rounds)
    chars = chars_of(texts)
    print(json.dumps({"docs": len(texts), "chars": chars,
                      "kiyome_chars_per_s": round(rate(chars, sides["kiyome"].best)),
                      "fasttext_chars_per_s": round(rate(chars, sides["fasttext"].best)),
                      "ratio": round(paired_ratio(sides["kiyome"], sides["fasttext"]), 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
