"""The benchmark corpus builder's pure parts: text extraction, splitting, planting, sizes.

Offline: a tiny man page and HTML page under tests/fixtures/bench stand in for
the Debian packages; nothing is downloaded.
"""

from __future__ import annotations

import doctest
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bench import corpus, debs, plant, textconv
from bench.corpus import SourceDoc

FIXTURES = Path(__file__).parent / "fixtures" / "bench"


def test_doctests_of_the_text_helpers():
    assert doctest.testmod(textconv).failed == 0


def test_man_page_to_text_keeps_prose_and_drops_macros_and_comments():
    text = textconv.roff_to_text(gzip.decompress((FIXTURES / "ls.1.gz").read_bytes()).decode())
    assert "ls - ディレクトリの内容をリスト表示する" in text
    assert "--sort が指定されない場合" in text
    assert ". で始まるエントリーを無視しない。" in text
    assert "translator@example.org" not in text  # comments (translator credits) go
    assert ".TH" not in text and "\\f" not in text


def test_html_to_text_drops_script_style_and_tags():
    text = textconv.html_to_text((FIXTURES / "faq.html").read_text(encoding="utf-8"))
    assert "Debian は 自由なオペレーティングシステムです。" in text
    assert "二つ目&三つ目" in text
    assert "alert" not in text and "color" not in text and "<" not in text


def test_source_documents_reads_man_pages_and_html_of_an_unpacked_tree(tmp_path, monkeypatch):
    man = tmp_path / "usr/share/man/ja/man1"
    man.mkdir(parents=True)
    shutil.copy(FIXTURES / "ls.1.gz", man / "ls.1.gz")
    shutil.copy(FIXTURES / "faq.html", tmp_path / "faq.html")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert corpus.source_documents(tmp_path, "pkg") == []  # shorter than a document
    monkeypatch.setattr(corpus, "MIN_DOC_CHARS", 10)
    ids = [doc.id for doc in corpus.source_documents(tmp_path, "pkg")]
    assert ids == ["pkg/faq.html#0", "pkg/usr/share/man/ja/man1/ls.1.gz#0"]
    texts = {Path(p).name: corpus.page_text(tmp_path / p)
             for p in ("usr/share/man/ja/man1/ls.1.gz", "faq.html", "image.png")}
    assert "ディレクトリ" in texts["ls.1.gz"] and "Debian" in texts["faq.html"]
    assert texts["image.png"] is None


def test_split_documents_packs_paragraphs_up_to_the_limit():
    text = "\n\n".join(f"{i}番目の段落です。" * 10 for i in range(20))
    docs = textconv.split_documents(text, max_chars=400, min_chars=50)
    assert all(50 <= len(doc) <= 400 for doc in docs)
    assert "".join(docs).replace("\n", "") == text.replace("\n", "")  # nothing lost


def test_split_documents_cuts_one_huge_paragraph():
    docs = textconv.split_documents("あ" * 1000, max_chars=300, min_chars=10)
    assert [len(doc) for doc in docs] == [300, 300, 300, 100]


def _source(count: int) -> list[SourceDoc]:
    return [SourceDoc(f"pkg/doc{i:03d}", f"これは{i}番目の文書です。\n\n" + "本文の段落。" * 30)
            for i in range(count)]


def test_planting_hits_exactly_the_share_in_every_block():
    planted = plant.plant([doc.text for doc in _source(100)], share=0.3, seed=1)
    flags = [bool(item.values) for item in planted]
    for start in range(0, 100, 10):
        assert sum(flags[start:start + 10]) == 3
    for item, doc in zip(planted, _source(100), strict=True):
        if item.values:
            assert all(value in item.text for _, value in item.values)
            assert len(item.text) > len(doc.text)
        else:
            assert item.text == doc.text
    entities = {entity for item in planted for entity, _ in item.values}
    assert {"PERSON", "JP_MY_NUMBER"} <= entities


def test_planting_a_prefix_gives_the_same_documents():
    texts = [doc.text for doc in _source(100)]
    assert plant.plant(texts[:30], 0.3, seed=5) == plant.plant(texts, 0.3, seed=5)[:30]


def test_planted_my_numbers_have_valid_check_digits():
    from tests.pii_testset.generate import my_number_check

    planted = plant.plant([doc.text for doc in _source(50)], share=1.0, seed=3)
    numbers = [value for item in planted for entity, value in item.values
               if entity == "JP_MY_NUMBER"]
    assert numbers
    for value in numbers:
        digits = "".join(ch for ch in value.translate(
            str.maketrans("０１２３４５６７８９", "0123456789")) if ch.isdigit())
        assert len(digits) == 12 and int(digits[-1]) == my_number_check(digits[:11])


def test_pool_and_scales_are_deterministic_nested_and_describe_counts_only(tmp_path):
    first = corpus.build_pool(_source(200), tmp_path / "a", 200, seed=7)
    second = corpus.build_pool(_source(200), tmp_path / "b", 200, seed=7)
    assert first == second
    assert (tmp_path / "a/pool.jsonl").read_bytes() == (tmp_path / "b/pool.jsonl").read_bytes()
    described = corpus.materialize(first, tmp_path / "a", base_docs=10, scales=(1, 4, 16))
    assert [described[k]["docs"] for k in ("x1", "x4", "x16")] == [10, 40, 160]
    assert all(described[k]["share_with_planted_pii"] == 0.3 for k in described)
    x1 = [json.loads(line) for f in sorted((tmp_path / "a/x1").glob("*.jsonl"))
          for line in f.read_text(encoding="utf-8").splitlines()]
    x4 = [json.loads(line) for f in sorted((tmp_path / "a/x4").glob("*.jsonl"))
          for line in f.read_text(encoding="utf-8").splitlines()]
    assert x4[:10] == x1 and set(x1[0]) == {"id", "text"}
    planted_values = [value for line in (tmp_path / "a/planted.jsonl").read_text(
        encoding="utf-8").splitlines() for _, value in json.loads(line)["values"]]
    assert planted_values and not any(value in json.dumps(described, ensure_ascii=False)
                                      for value in planted_values)


def test_too_few_documents_is_a_clear_error(tmp_path):
    records = corpus.build_pool(_source(20), tmp_path, 20)
    with pytest.raises(debs.CorpusSourceError, match="lower --docs"):
        corpus.materialize(records, tmp_path, base_docs=10, scales=(1, 4, 16))


def test_download_failure_is_one_line_without_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(debs.shutil, "which", lambda name: None)
    with pytest.raises(debs.CorpusSourceError, match="apt-get not found"):
        debs.download(("manpages-ja",), tmp_path)

    def failing_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 100, "", "E: Unable to locate package x\n")

    monkeypatch.setattr(debs.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(debs.subprocess, "run", failing_run)
    with pytest.raises(debs.CorpusSourceError, match="Unable to locate package"):
        debs.download(("manpages-ja",), tmp_path)


def test_cached_debs_are_not_downloaded_again(tmp_path, monkeypatch):
    (tmp_path / "manpages-ja_1.0_all.deb").write_bytes(b"!<arch>")
    monkeypatch.setattr(debs.subprocess, "run", lambda *a, **k: pytest.fail("downloaded"))
    assert debs.download(("manpages-ja",), tmp_path) == [tmp_path / "manpages-ja_1.0_all.deb"]


def test_cli_reports_a_missing_source_in_one_line(tmp_path, monkeypatch, capsys):
    def fail(out):
        raise debs.CorpusSourceError("apt-get not found: cannot download manpages-ja")

    monkeypatch.setattr(corpus, "fetch_documents", fail)
    assert corpus.main(["--out", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.strip() == "bench: error: apt-get not found: cannot download manpages-ja"
