"""``build_detector`` + ``detect`` end to end: mixed documents, chunking, span hygiene."""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict
from pathlib import Path

import pytest

from kiyome.transforms.pii import detect as detect_module
from kiyome.transforms.pii.detect import (
    GINZA_ENTITY_MAPPING,
    MAX_CHUNK_CHARS,
    SUDACHI_MAX_BYTES,
    SUPPORTED_ENTITIES,
    build_detector,
    chunk_spans,
    detect,
)
from tests.child import python_output

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PARTICLES = ("は", "が", "を", "に", "で", "と", "の", "へ", "も", "や", "から", "まで", "より")

MIXED = (
    "件名：ご訪問のお礼\n"
    "山田太郎様\n"
    "先日はありがとうございました。担当の佐藤花子です。\n"
    "マイナンバー（個人番号）の提出をお願いします：1234 5678 9018\n"
    "電話番号は090-1234-5678、メールはtaro@example.co.jpです。\n"
    "〒100-0005 東京都千代田区丸の内1丁目1番1号 丸の内ビル5階\n"
    "会議は大阪市北区梅田2-4-9の梅田ビルで、2026-03-02に行います。\n"
    "注文番号202610160001、JAN 4901234567894、v1.2.3、価格12,345円。\n"
    "山田商事株式会社の皆様とは東京駅で待ち合わせ。\n"
)


@pytest.fixture(scope="module")
def analyzer():
    return build_detector()


@pytest.fixture(scope="module")
def fast_analyzer():
    """Sudachi tokens without GiNZA NER: same chunking path, 20x faster for long texts."""
    return build_detector(ner="off")


def spans(text: str, results) -> set[tuple[str, str]]:
    return {(r.entity_type, text[r.start : r.end]) for r in results}


def _hiragana(c: str) -> bool:
    return "ぁ" <= c <= "ゖ"


def assert_clean(text: str, results) -> None:
    """No edge whitespace; no particle glued to a kanji/number (東京都の, は090…).

    A kana at the edge of an all-hiragana word (いのうえ たくや) is not a particle.
    """
    for r in results:
        span = text[r.start : r.end]
        assert span and span == span.strip(), (r.entity_type, span)
        for p in PARTICLES:
            if span.startswith(p) and len(span) > len(p):
                assert _hiragana(span[len(p)]), (r.entity_type, span)
            if span.endswith(p) and len(span) > len(p):
                assert _hiragana(span[-len(p) - 1]), (r.entity_type, span)
        assert 0 < r.score <= 1


def test_contract_constants(analyzer):
    assert analyzer.supported_entities() == set(SUPPORTED_ENTITIES)
    assert GINZA_ENTITY_MAPPING["Person"] == "PERSON"
    assert {GINZA_ENTITY_MAPPING[k] for k in ("Province", "City", "County")} == {"LOCATION"}
    assert analyzer.analyzer.supported_languages == ["ja"]


def test_mixed_document(analyzer):
    results = detect(analyzer, MIXED)
    found = spans(MIXED, results)
    expected = {
        ("PERSON", "山田太郎"),
        ("PERSON", "佐藤花子"),
        ("JP_MY_NUMBER", "1234 5678 9018"),
        ("PHONE_NUMBER", "090-1234-5678"),
        ("EMAIL_ADDRESS", "taro@example.co.jp"),
        ("JP_POSTAL_CODE", "〒100-0005"),
    }
    assert expected <= found
    address = [s for e, s in found if e == "JP_ADDRESS"]
    assert any("丸の内1丁目1番1号 丸の内ビル5階" in s for s in address)
    assert any("梅田2-4-9" in s for s in address)
    flagged = " ".join(s for _, s in found)
    for negative in ("202610160001", "4901234567894", "2026-03-02", "1.2.3", "12,345", "山田商事"):
        assert negative not in flagged
    assert ("PERSON", "東京駅") not in found and ("LOCATION", "東京駅") not in found
    assert_clean(MIXED, results)


def test_results_sorted_unique_and_positive(analyzer):
    results = detect(analyzer, MIXED)
    assert [r.start for r in results] == sorted(r.start for r in results)
    keys = [(r.entity_type, r.start, r.end) for r in results]
    assert len(keys) == len(set(keys))
    assert all(r.score > 0 for r in results)


def test_long_document_offsets_and_tail(fast_analyzer, monkeypatch):
    analyzer = fast_analyzer
    filler = "本日の定例会議では、来期の製品計画と開発体制について議論した。特に問題はなかった。\n"
    head = "マイナンバー：123456789018\n"
    tail = "最後に、担当の鈴木一郎さん（電話 03-1234-5678）へ連絡すること。\n"
    body = filler * 500
    middle = "メール：hanako@example.jp\n"
    text = head + body[: len(body) // 2] + middle + body[len(body) // 2 :] + tail
    assert len(text.encode("utf-8")) > 60_000

    seen: list[int] = []
    engine = analyzer.analyzer.nlp_engine
    original = engine.process_text

    def spy(piece, *args, **kwargs):
        seen.append(len(piece.encode("utf-8")))
        return original(piece, *args, **kwargs)

    monkeypatch.setattr(engine, "process_text", spy)
    results = detect(analyzer, text)
    assert len(seen) > 1 and max(seen) <= SUDACHI_MAX_BYTES

    found = spans(text, results)
    assert ("JP_MY_NUMBER", "123456789018") in found
    assert ("EMAIL_ADDRESS", "hanako@example.jp") in found
    assert ("PHONE_NUMBER", "03-1234-5678") in found
    assert ("PERSON", "鈴木一郎") in found
    phone = next(r for r in results if r.entity_type == "PHONE_NUMBER")
    assert phone.start == text.index("03-1234-5678")
    assert_clean(text, results)


def test_long_line_without_breaks(analyzer):
    """Hard cuts overlap, so a value straddling a cut is still found whole, once."""
    cut = MAX_CHUNK_CHARS
    value = "090-1234-5678"
    text = "あ" * (cut - 6) + value + "い" * (cut + 50)
    results = detect(analyzer, text, entities=["PHONE_NUMBER"])
    assert [(text[r.start : r.end]) for r in results] == [value]


def test_chunks_partition_the_text():
    text = ("一行目の文章です。" * 30 + "\n") * 200
    chunks = chunk_spans(text)
    assert chunks[0][2] == 0 and chunks[-1][3] == len(text)
    for (_, _, _, own_to), (_, _, own_from, _) in itertools.pairwise(chunks):
        assert own_to == own_from
    for start, end, own_from, own_to in chunks:
        assert start <= own_from < own_to <= end
        assert end - start <= MAX_CHUNK_CHARS
        assert end == len(text) or text[end - 1] == "\n"


def test_fast_mode_has_no_location(fast_analyzer):
    assert "LOCATION" not in fast_analyzer.supported_entities()
    found = spans(MIXED, detect(fast_analyzer, MIXED))
    expected = {("PERSON", "山田太郎"), ("PERSON", "佐藤花子"), ("JP_MY_NUMBER", "1234 5678 9018")}
    assert expected <= found


def test_entity_filter_skips_nlp(analyzer, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("NLP should not run for pattern-only entities")

    monkeypatch.setattr(analyzer.analyzer.nlp_engine, "process_text", boom)
    monkeypatch.setattr(analyzer.ner_analyzer.nlp_engine, "process_batch", boom)
    results = detect(analyzer, MIXED, entities=["JP_MY_NUMBER", "EMAIL_ADDRESS"])
    assert spans(MIXED, results) == {
        ("JP_MY_NUMBER", "1234 5678 9018"),
        ("EMAIL_ADDRESS", "taro@example.co.jp"),
    }


def test_empty_and_invalid_input(analyzer):
    assert detect(analyzer, "") == []
    assert detect(analyzer, " \n\u3000") == []
    assert detect(analyzer, MIXED, entities=[]) == []
    with pytest.raises(ValueError):
        detect(analyzer, MIXED, entities=["US_SSN"])
    with pytest.raises(TypeError):
        detect(analyzer, b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize("stage", ["sudachi", "ginza"])
def test_failures_propagate(analyzer, monkeypatch, stage):
    """A failing tokenizer or NER pass raises: the caller quarantines (fail closed)."""
    def broken(*args, **kwargs):
        raise RuntimeError(f"{stage} exploded")

    if stage == "sudachi":
        monkeypatch.setattr(analyzer.analyzer.nlp_engine, "process_text", broken)
    else:
        monkeypatch.setattr(analyzer.ner_analyzer.nlp_engine, "process_batch", broken)
    text = MIXED + "来週は森さんが伺います。\n"  # 森さん: a question only GiNZA answers
    with pytest.raises(RuntimeError, match="exploded"):
        detect(analyzer, text)


def test_no_download_when_model_missing(monkeypatch):
    monkeypatch.setattr(detect_module.spacy.util, "is_package", lambda name: False)
    engine = detect_module.GinzaNlpEngine()
    with pytest.raises(RuntimeError, match="never downloaded"):
        engine.load()


# -- sample corpus ------------------------------------------------------------------


def _corpus_texts(path: Path) -> list[str]:
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["text"] for line in lines if line.strip()]
    return [path.read_text(encoding="utf-8")]


def test_sample_corpus_recall(analyzer):
    """Every planted value of our entity types in the Japanese files lies inside a span >= 0.4."""
    planted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (EXAMPLES / "planted_pii.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["entity"] in SUPPORTED_ENTITIES and not row["file"].startswith(("en/", "zh/")):
                planted[row["file"]].append((row["entity"], row["value"]))
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for name, values in planted.items():
        path = EXAMPLES / "corpus" / name
        if not path.exists():
            continue
        docs = [(t, detect(analyzer, t)) for t in _corpus_texts(path)]
        for text, results in docs:
            assert_clean(text, results)
        for entity, value in values:
            ok = any(
                r.start <= i and i + len(value) <= r.end and r.score >= 0.4
                for text, results in docs
                for i in _positions(text, value)
                for r in results
            )
            hits[entity][0] += ok
            hits[entity][1] += 1
            if not ok:
                missed.append((name, entity, value))
    recall = {entity: found / total for entity, (found, total) in hits.items()}
    assert all(r >= 0.95 for r in recall.values()), (recall, missed)


def _positions(text: str, value: str) -> list[int]:
    out, i = [], text.find(value)
    while i >= 0:
        out.append(i)
        i = text.find(value, i + 1)
    return out


def test_sudachi_vocab_is_replaced_before_it_grows_without_bound(monkeypatch):
    """Every word seen stays in a spaCy vocab; past MAX_LEXEMES the engine starts afresh."""
    from kiyome.transforms.pii import sudachi_engine

    engine = sudachi_engine.SudachiNlpEngine()
    engine.load()
    base = len(engine.vocab)  # a blank vocab starts with a few hundred entries
    monkeypatch.setattr(sudachi_engine, "MAX_LEXEMES", base + 50)
    first = engine.vocab
    docs = [engine.doc(f"注文番号{n:06d}の件、担当は山田です。") for n in range(200)]
    assert engine.vocab is not first and len(engine.vocab) <= base + 50 + 20
    assert [t.text for t in docs[0]][:2] == ["注文", "番号"]  # earlier docs stay valid


def test_ginza_reads_the_same_tokens_and_entities_through_the_shared_dictionary(analyzer, nlp):
    """GiNZA tokenizing with the fast pass's Sudachi dictionary (one map per worker)
    gives exactly what it gives with its own."""
    shared = analyzer.ner_analyzer.nlp_engine.nlp["ja"]
    own = nlp.nlp["ja"]
    assert shared.tokenizer.tokenizer is not own.tokenizer.tokenizer
    texts = [*MIXED.splitlines(), *(path.read_text(encoding="utf-8") for path in sorted(
        (EXAMPLES / "corpus" / "mail").glob("*.txt")))]
    assert len(texts) > 10
    for text in texts:
        a, b = shared(text), own(text)
        assert [(t.text, t.tag_, t.lemma_) for t in a] == [(t.text, t.tag_, t.lemma_) for t in b]
        assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]


def test_a_worker_maps_sudachis_dictionary_once():
    script = ("from kiyome.transforms.pii.detect import build_detector\n"
              "import gc; d = build_detector(); gc.collect()\n"
              "maps = open('/proc/self/maps').read().splitlines()\n"
              "print(sum(line.endswith('system.dic') for line in maps))")
    assert python_output(script).splitlines()[-1] == "1"
