"""Masking: the policy's operators applied to detections; failures quarantined."""

from __future__ import annotations

import dataclasses
from collections import Counter

import apache_beam as beam
import pytest

from kiyome.policies.policy import EntityAction, load_policy
from kiyome.transforms.pii.mask import Masker, _MaskDoFn
from kiyome.transforms.records import REJECTED

FORM = ("氏名：佐藤 花子\nマイナンバー：1234 5678 9018\n"
        "住所：〒154-0023 東京都世田谷区若林3丁目15番8号\n"
        "メールはhanako.sato@example.co.jpです。電話 090-1234-5678")


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(load_policy())


def test_default_policy_replaces_with_typed_placeholders(masker):
    text, counts = masker.mask(FORM)
    for value in ("佐藤", "花子", "1234 5678 9018", "154-0023", "若林3丁目15番8号",
                  "hanako.sato@example.co.jp", "090-1234-5678"):
        assert value not in text
    for placeholder in ("＜氏名＞", "＜個人番号＞", "＜郵便番号＞",
                        "＜メールアドレス＞", "＜電話番号＞"):
        assert placeholder in text
    assert "メールは＜メールアドレス＞です" in text  # the address glued to kana, span exact
    assert counts[("JP_MY_NUMBER", "replace")] == 1


def test_kept_entities_never_shield_masked_ones(masker, monkeypatch):
    from presidio_analyzer import RecognizerResult

    from kiyome.transforms.pii import detect

    text = "大阪の佐藤さん宅"
    outer = RecognizerResult("LOCATION", 0, 8, 0.9)  # kept, and contains the name
    inner = RecognizerResult("PERSON", 3, 5, 0.9)
    monkeypatch.setattr(detect, "detect", lambda analyzer, text, entities=None: [outer, inner])
    masked, counts = masker.mask(text)
    assert masked == "大阪の＜氏名＞さん宅"
    assert counts == Counter({("LOCATION", "keep"): 1, ("PERSON", "replace"): 1})


@pytest.mark.parametrize(("operator", "expected"), [
    ("redact", "電話 "),
    ("mask", "電話 ＊＊＊＊＊＊＊＊＊＊＊＊＊"),
    ("replace", "電話 <PHONE_NUMBER>"),
])
def test_operators(masker, operator, expected):
    policy = load_policy()
    changed = dataclasses.replace(
        policy, entities={**policy.entities, "PHONE_NUMBER": EntityAction(operator)})
    assert masker.with_policy(changed).mask("電話 090-1234-5678")[0] == expected


def test_metadata_values_are_masked(masker):
    counts: Counter = Counter()
    masked = masker.mask_value(
        {"author": "担当：佐藤 花子", "tags": ["090-1234-5678", "定例"], "pages": 3, "draft": True},
        counts)
    assert masked == {"author": "担当：＜氏名＞", "tags": ["＜電話番号＞", "定例"], "pages": 3,
                      "draft": True}


class _BrokenMasker:
    def mask(self, text):
        raise RuntimeError("tokenizer exploded on 佐藤 花子")  # message carries text: never logged


def test_detection_failure_quarantines_the_document():
    dofn = _MaskDoFn(load_policy())
    dofn._masker = _BrokenMasker()
    doc = {"id": "d1", "source": "file:///x.txt", "text": FORM, "metadata": {}}
    outputs = list(dofn.process(doc))
    assert len(outputs) == 1
    assert isinstance(outputs[0], beam.pvalue.TaggedOutput) and outputs[0].tag == REJECTED
    record = outputs[0].value
    assert record == {"id": "d1", "source": "file:///x.txt", "stage": "pii",
                      "reason": "pii_detection_failed", "detail": {"error": "RuntimeError"}}
