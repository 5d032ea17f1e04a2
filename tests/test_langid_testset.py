"""Language ID against the multilingual test set built from Debian's translations.

Bars from issue 8, held here: overall accuracy >= 0.97, Japanese precision >=
0.995 and recall >= 0.99, Chinese taken for Japanese <= 1 %, kanji-only Japanese
recall >= 0.8, and Kiyome must beat lid.176 alone. The word-evidence thresholds
were tuned on the development set (devset.jsonl, other packages), which is
checked here too: the test set was only measured.
"""

from __future__ import annotations

import statistics

import pytest

from kiyome.transforms.langid import identify, lid176, load_model
from tests.langid_testset.evaluate import DEVSET, dev_half, load, score


@pytest.fixture(scope="module")
def items():
    return load()


@pytest.fixture(scope="module")
def decisions(items):
    model = load_model()
    return [identify(model, item["text"]) for item in items]


@pytest.fixture(scope="module")
def kiyome(items, decisions):
    answers = {item["text"]: decision.lang for item, decision in zip(items, decisions, strict=True)}
    return score(items, answers.__getitem__)


def test_testset_is_real_multilingual_and_sized(items):
    langs = {item["lang"] for item in items}
    assert len(langs) >= 12 and {"ja", "zh-Hans", "zh-Hant", "ko", "en"} <= langs
    for lang in langs:
        classes = {item["length"] for item in items if item["lang"] == lang}
        assert classes == {"short", "medium", "long"}, lang
    assert sum(item["kanji_only"] for item in items) >= 100
    assert all(item["source"].split(":")[0].endswith(".deb") for item in items)


def test_japanese_bars(kiyome):
    assert kiyome["ja_precision"] >= 0.995
    assert kiyome["ja_recall"] >= 0.99
    assert kiyome["zh_as_ja"] <= 0.01
    assert kiyome["kanji_only_recall"] >= 0.8


def test_overall_accuracy_beats_lid176_alone(items, kiyome):
    model = load_model()
    alone = score(items, lambda text: lid176(model, text)[0])
    assert kiyome["accuracy"] >= 0.97
    assert kiyome["accuracy"] > alone["accuracy"]
    assert kiyome["kanji_only_recall"] > alone["kanji_only_recall"]


def test_short_scores_are_not_overconfident(items, decisions):
    """Below 20 characters the mean score stays under the accuracy actually reached."""
    def by_length(length):
        pairs = [(item, decision) for item, decision in zip(items, decisions, strict=True)
                 if item["length"] == length and not item["kanji_only"]]
        accuracy = statistics.mean(d.lang == i["expected"] for i, d in pairs)
        return accuracy, statistics.mean(d.score for _, d in pairs)

    short_accuracy, short_score = by_length("short")
    _, long_score = by_length("long")
    assert short_score <= short_accuracy
    assert short_score < long_score


@pytest.fixture(scope="module")
def dev_items():
    return load(DEVSET)


def test_devset_shares_no_text_and_no_package_with_the_testset(items, dev_items):
    assert len(dev_items) >= 5000
    assert not {item["text"] for item in items} & {item["text"] for item in dev_items}
    packages = {item["source"].split("_")[0] for item in items}
    assert not packages & {item["source"].split("_")[0] for item in dev_items}


def test_devset_accuracy_and_honest_short_scores(dev_items):
    """What the thresholds were tuned on: measured 0.9716 overall (lid.176 alone 0.8812);
    short Latin-script items are where the word evidence works."""
    model = load_model()
    decisions = [identify(model, item["text"]) for item in dev_items]
    answers = {item["text"]: d.lang for item, d in zip(dev_items, decisions, strict=True)}
    kiyome = score(dev_items, answers.__getitem__)
    alone = score(dev_items, lambda text: lid176(model, text)[0])
    assert kiyome["accuracy"] >= 0.965 and alone["accuracy"] < 0.9
    latin = {"de", "en", "es", "fr", "it", "pt", "vi"}
    short = [(item, d) for item, d in zip(dev_items, decisions, strict=True)
             if item["length"] == "short" and item["lang"] in latin]
    accuracy = statistics.mean(d.lang == item["expected"] for item, d in short)
    assert accuracy >= 0.92
    assert statistics.mean(d.score for _, d in short) <= accuracy


def test_devset_held_out_half_meets_the_japanese_bars(dev_items):
    """The kanji-only rule was tuned on half A; half B is held out and must meet the bars
    (measured 2026-11-28: ja precision 0.997, recall 1.000, zh taken for ja 0.2 %,
    kanji-only recall 0.91, accuracy 0.972)."""
    model = load_model()
    held_out = [item for item in dev_items if dev_half(item["text"]) == "b"]
    assert 3000 < len(held_out) < 3700
    kiyome = score(held_out, lambda text: identify(model, text).lang)
    assert kiyome["ja_precision"] >= 0.995
    assert kiyome["ja_recall"] >= 0.99
    assert kiyome["zh_as_ja"] <= 0.01
    assert kiyome["kanji_only_recall"] >= 0.8
    assert kiyome["accuracy"] >= 0.97
