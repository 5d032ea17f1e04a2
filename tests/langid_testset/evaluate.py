"""Score language ID on the test set: Kiyome's decision against lid.176 alone.

    .venv/bin/python -m tests.langid_testset.evaluate [--errors] [--dev [--dev-half a|b]]

"lid.176 alone" is what Kiyome did before issue 8: the top label of fastText on
the NFKC text's first 4,000 characters, newlines as spaces.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

TESTSET = Path(__file__).parent / "testset.jsonl"
#: The development set (devset.py): other sources, what thresholds are tuned on.
DEVSET = Path(__file__).parent / "devset.jsonl"


def load(path: Path = TESTSET) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def dev_half(text: str) -> str:
    """Which half of the development set an item is in: ``a`` (tuned on) or ``b`` (held out).

    Fixed by the text alone (the first byte of its SHA-256), so the halves never
    move when the set is rebuilt or reordered.

    >>> dev_half("Guardar cambios"), dev_half("Speichern unter")
    ('a', 'b')
    """
    return "a" if hashlib.sha256(text.encode("utf-8")).digest()[0] < 128 else "b"


def klass(item: dict) -> str:
    return "kanji_only" if item["kanji_only"] else item["length"]


def score(items: list[dict], predict: Callable[[str], str]) -> dict:
    """The figures issue 8 sets bars on, plus accuracy per language and per length class."""
    predicted = [predict(item["text"]) for item in items]
    right = [p == item["expected"] for p, item in zip(predicted, items, strict=True)]
    said_ja = [item for p, item in zip(predicted, items, strict=True) if p == "ja"]
    ja = [(p, item) for p, item in zip(predicted, items, strict=True)
          if item["lang"] == "ja" and not item["kanji_only"]]
    kanji = [(p, item) for p, item in zip(predicted, items, strict=True) if item["kanji_only"]]
    zh = [(p, item) for p, item in zip(predicted, items, strict=True)
          if item["lang"].startswith("zh")]
    by_lang: dict[str, list[bool]] = {}
    by_class: dict[str, list[bool]] = {}
    for ok, item in zip(right, items, strict=True):
        by_lang.setdefault(item["lang"], []).append(ok)
        by_class.setdefault(klass(item), []).append(ok)

    def share(values: list[bool]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    return {
        "items": len(items),
        "accuracy": share(right),
        "ja_precision": share([item["lang"] == "ja" for item in said_ja]),
        "ja_recall": share([p == "ja" for p, _ in ja]),
        "zh_as_ja": share([p == "ja" for p, _ in zh]),
        "kanji_only_recall": share([p == "ja" for p, _ in kanji]),
        "accuracy_by_lang": {lang: share(v) for lang, v in sorted(by_lang.items())},
        "accuracy_by_length": {name: share(v) for name, v in sorted(by_class.items())},
        "confusions": dict(Counter(
            f"{item['lang']}->{p}" for p, item in zip(predicted, items, strict=True)
            if p != item["expected"]).most_common(15)),
    }


def kiyome_predictor() -> Callable[[str], str]:
    from kiyome.transforms.langid import identify, load_model

    model = load_model()
    return lambda text: identify(model, text)[0]


def fasttext_predictor() -> Callable[[str], str]:
    """lid.176's top label on the sample Kiyome scored before issue 8."""
    from kiyome.transforms.langid import fasttext_sample, load_model

    model = load_model()

    def predict(text: str) -> str:
        labels, _ = model.predict(fasttext_sample(text), k=1)
        return labels[0].removeprefix("__label__") if labels else "und"

    return predict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print Kiyome's wrong answers")
    parser.add_argument("--dev", action="store_true",
                        help="score the development set (devset.jsonl) instead of the test set")
    parser.add_argument("--dev-half", choices=("a", "b"),
                        help="only one half of the development set: a (tuned on) or b (held out)")
    args = parser.parse_args(argv)
    items = load(DEVSET if args.dev or args.dev_half else TESTSET)
    if args.dev_half:
        items = [item for item in items if dev_half(item["text"]) == args.dev_half]
    kiyome = kiyome_predictor()
    result = {"kiyome": score(items, kiyome), "lid176_alone": score(items, fasttext_predictor())}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.errors:
        for item in items:
            got = kiyome(item["text"])
            if got != item["expected"]:
                print(item["lang"], klass(item), got, repr(item["text"][:80]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
