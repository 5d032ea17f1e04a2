"""Fail closed: a failure anywhere in detection or masking quarantines the document.

Failures are injected into a recognizer's ``analyze``, GiNZA's NER, the
anonymizer, the pseudonymizer and metadata masking; each time the document
lands in ``rejected/`` as ``pii_error`` (its exception class, never its message
or text) and the other documents of the same batch are still masked and
written. The last test does the same through ``kiyome run`` end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest

from kiyome.pipeline import cli
from kiyome.policies.policy import load_policy, parse_policy_text
from kiyome.transforms.pii import pseudonym as pseudonym_module
from kiyome.transforms.pii.detect import GinzaNlpEngine
from kiyome.transforms.pii.mask import PII_ERROR, Masker, MaskPii, _MaskDoFn
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_phone_recognizer import (
    JpPhoneRecognizer,
)
from kiyome.transforms.records import REJECTED
from tests.output_text import output_text

#: A word no real document holds: the injected failures fire only where it appears.
TRIGGER = "故障誘発"
GOOD_1 = "営業部の連絡先は 090-1234-5678 です。"
GOOD_2 = "メールは hanako.sato@example.co.jp までお願いします。"
BAD = f"{TRIGGER}の文書。担当：佐藤 花子、電話 03-1234-5678。"
RAW = ("090-1234-5678", "hanako.sato@example.co.jp", "佐藤", "03-1234-5678")


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(load_policy())


def _doc(doc_id: str, text: str, metadata: dict | None = None) -> dict:
    return {"id": doc_id, "source": f"file:///{doc_id}.txt", "text": text,
            "metadata": metadata or {}}


def _batch() -> list[dict]:
    return [_doc("good1", GOOD_1), _doc("bad", BAD), _doc("good2", GOOD_2)]


def _run_dofn(masker: Masker, batch: list[dict]) -> tuple[list[dict], list[dict]]:
    dofn = _MaskDoFn(masker.policy)
    dofn._masker = masker
    outputs = list(dofn.process(batch))
    written = [o for o in outputs if not isinstance(o, beam.pvalue.TaggedOutput)]
    rejected = [o.value for o in outputs
                if isinstance(o, beam.pvalue.TaggedOutput) and o.tag == REJECTED]
    return written, rejected


def _assert_quarantined(written: list[dict], rejected: list[dict], error: str) -> None:
    assert rejected == [{"id": "bad", "source": "file:///bad.txt", "stage": "pii",
                         "reason": PII_ERROR, "detail": {"error": error}}]
    assert sorted(doc["id"] for doc in written) == ["good1", "good2"]
    for doc in written:
        assert TRIGGER not in doc["text"]
        assert not any(value in doc["text"] for value in RAW), doc["text"]


class InjectedFailure(RuntimeError):
    """Raised by the injected faults; its message carries text that must never leak."""


def _fail_on_trigger(original):
    def wrapper(self, text, *args, **kwargs):
        if TRIGGER in text:
            raise InjectedFailure(f"failed on {text}")
        return original(self, text, *args, **kwargs)
    return wrapper


def test_a_failing_recognizer_quarantines_only_its_document(masker, monkeypatch):
    monkeypatch.setattr(JpPhoneRecognizer, "analyze", _fail_on_trigger(JpPhoneRecognizer.analyze))
    _assert_quarantined(*_run_dofn(masker, _batch()), "InjectedFailure")


def test_a_failing_ner_pass_quarantines_only_its_document(masker, monkeypatch):
    calls = []
    original = GinzaNlpEngine.process_batch

    def process_batch(self, texts, *args, **kwargs):
        texts = list(texts)
        calls.append(len(texts))
        if any(TRIGGER in text for text in texts):
            raise InjectedFailure("NER failed")
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(GinzaNlpEngine, "process_batch", process_batch)
    # A lone surname with no cue is left open by the fast pass: GiNZA reads its sentence.
    bad = _doc("bad", f"{TRIGGER}の件で佐藤が来た。")
    written, rejected = _run_dofn(masker, [_doc("good1", GOOD_1), bad, _doc("good2", GOOD_2)])
    assert calls, "the NER pass never ran: the injection proves nothing"
    _assert_quarantined(written, rejected, "InjectedFailure")


def test_a_failing_anonymizer_quarantines_only_its_document(masker, monkeypatch):
    original = masker.anonymizer.anonymize

    def anonymize(text, *args, **kwargs):
        if TRIGGER in text:
            raise InjectedFailure(f"anonymizer failed on {text}")
        return original(text, *args, **kwargs)

    monkeypatch.setattr(masker.anonymizer, "anonymize", anonymize)
    _assert_quarantined(*_run_dofn(masker, _batch()), "InjectedFailure")


def test_a_failing_pseudonymizer_quarantines_only_its_document(masker, monkeypatch):
    monkeypatch.setenv("KIYOME_TEST_KEY", "k" * 40)
    policy, problems = parse_policy_text(
        "name: t\nversion: '1'\nmode: pseudonymize\ndefault: {operator: replace}\n"
        "pseudonym_key: {env: KIYOME_TEST_KEY}\n"
        "entities:\n  EMAIL_ADDRESS:\n    operator: pseudonymize\n", "t.yaml")
    assert problems == []
    original = pseudonym_module.pseudonym

    def pseudonym(key, entity, value):
        if value.startswith("bad."):
            raise InjectedFailure(f"pseudonym of {value}")
        return original(key, entity, value)

    monkeypatch.setattr(pseudonym_module, "pseudonym", pseudonym)
    batch = [_doc("good1", GOOD_1), _doc("bad", "連絡は bad.person@example.co.jp へ。"),
             _doc("good2", GOOD_2)]
    written, rejected = _run_dofn(masker.with_policy(policy), batch)
    assert [r["reason"] for r in rejected] == [PII_ERROR]
    assert rejected[0]["id"] == "bad" and rejected[0]["detail"] == {"error": "InjectedFailure"}
    assert sorted(doc["id"] for doc in written) == ["good1", "good2"]
    assert "hanako.sato@example.co.jp" not in json.dumps(written, ensure_ascii=False)


def test_a_failure_in_metadata_masking_quarantines_the_document(masker, monkeypatch):
    monkeypatch.setattr(JpPhoneRecognizer, "analyze", _fail_on_trigger(JpPhoneRecognizer.analyze))
    batch = [_doc("good1", GOOD_1),
             _doc("bad", "本文には何もありません。", {"subject": f"{TRIGGER} 090-1111-2222"}),
             _doc("good2", GOOD_2)]
    _assert_quarantined(*_run_dofn(masker, batch), "InjectedFailure")


def test_failures_are_quarantined_through_the_beam_stage(stage_runner, monkeypatch):
    monkeypatch.setattr(JpPhoneRecognizer, "analyze", _fail_on_trigger(JpPhoneRecognizer.analyze))
    written, rejected = stage_runner(MaskPii(load_policy()), _batch())
    _assert_quarantined(written, rejected, "InjectedFailure")


def _japanese_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    body = "本日の会議では来期の予算と人員配置について議論しました。次回は来週の水曜日です。"
    (corpus / "a.txt").write_text(f"{body}\n連絡先：{GOOD_1}", encoding="utf-8")
    (corpus / "b.txt").write_text(f"{body}\n{BAD}", encoding="utf-8")
    (corpus / "c.txt").write_text(f"週報です。{GOOD_2}\n進捗は順調で、課題はありません。",
                                  encoding="utf-8")
    (corpus / "d.txt").write_text(f"議事録。{TRIGGER}。担当 鈴木 一郎様、メール "
                                  "ichiro.suzuki@example.co.jp", encoding="utf-8")
    return corpus


def test_kiyome_run_quarantines_failing_documents_and_writes_the_rest(
        tmp_path, monkeypatch, capsys):
    """``kiyome run`` in process (in-memory runner), faults in a recognizer and the
    anonymizer: both documents in rejected/ as pii_error, the rest in the shards,
    no raw value or exception message anywhere in the output or on stderr."""
    monkeypatch.setattr(JpPhoneRecognizer, "analyze", _fail_on_trigger(JpPhoneRecognizer.analyze))
    from presidio_anonymizer import AnonymizerEngine

    original = AnonymizerEngine.anonymize

    def anonymize(self, text, *args, **kwargs):
        if "鈴木" in text:
            raise InjectedFailure(f"anonymizer failed on {text}")
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(AnonymizerEngine, "anonymize", anonymize)
    output = tmp_path / "out"
    code = cli.main(["run", "--input", str(_japanese_corpus(tmp_path)), "--output", str(output),
                     "--direct_running_mode=in_memory", "--direct_num_workers=1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err[-2000:]
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"]["accounted"]
    rejected = [json.loads(line) for path in sorted((output / "rejected").glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert sorted((r["source"].rsplit("/", 1)[1], r["reason"], r["detail"]["error"])
                  for r in rejected) == [("b.txt", PII_ERROR, "InjectedFailure"),
                                         ("d.txt", PII_ERROR, "InjectedFailure")]
    rows = [row for path in sorted((output / "shards").rglob("*.parquet"))
            for row in pq.read_table(path).to_pylist()]
    assert sorted(row["source"].rsplit("/", 1)[1] for row in rows) == ["a.txt", "c.txt"]
    written_text = output_text(output) + captured.out + captured.err
    for secret in (*RAW, "鈴木", "ichiro.suzuki@example.co.jp", TRIGGER, "failed on"):
        assert secret not in written_text, secret
