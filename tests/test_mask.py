"""Masking: the policy's operators applied to detections; failures quarantined."""

from __future__ import annotations

import dataclasses
from collections import Counter

import apache_beam as beam
import pytest

from kiyome.policies.policy import EntityAction, Policy, load_policy, parse_policy_text
from kiyome.transforms.pii.mask import DocumentDropped, Masker, _MaskDoFn
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
    monkeypatch.setattr(detect, "detect_many", lambda detector, texts, *_, **__: [[outer, inner]])
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
    def mask_documents(self, documents):
        raise RuntimeError("tokenizer exploded on 佐藤 花子")  # message carries text: never logged


def test_detection_failure_quarantines_the_document():
    dofn = _MaskDoFn(load_policy())
    dofn._masker = _BrokenMasker()
    doc = {"id": "d1", "source": "file:///x.txt", "text": FORM, "metadata": {}}
    outputs = list(dofn.process([doc]))
    assert len(outputs) == 1
    assert isinstance(outputs[0], beam.pvalue.TaggedOutput) and outputs[0].tag == REJECTED
    record = outputs[0].value
    assert record == {"id": "d1", "source": "file:///x.txt", "stage": "pii",
                      "reason": "pii_error", "detail": {"error": "RuntimeError"}}


def _policy(entities_yaml: str, top: str = "", mode: str = "anonymize") -> Policy:
    text = (f"name: t\nversion: '1'\nmode: {mode}\ndefault: {{operator: replace}}\n" + top
            + "entities:\n" + entities_yaml)
    policy, problems = parse_policy_text(text, "t.yaml")
    assert problems == [], problems
    return policy


def test_allow_listed_values_stay_and_are_counted(masker):
    policy = _policy("  PHONE_NUMBER:\n    operator: replace\n    min_score: 0.4\n    allow:\n"
                     "      - {value: '03-1234-5678', reason: 当社代表番号}\n")
    text, counts = masker.with_policy(policy).mask("代表 03-1234-5678、携帯 090-8765-4321")
    assert text == "代表 03-1234-5678、携帯 <PHONE_NUMBER>"
    assert counts[("PHONE_NUMBER", "allowed")] == 1


def test_pseudonyms_are_stable_and_keyed(masker, monkeypatch):
    monkeypatch.setenv("KIYOME_TEST_KEY", "k" * 40)
    policy = _policy("  EMAIL_ADDRESS:\n    operator: pseudonymize\n"
                     "    placeholder: '＜メール:{pseudonym}＞'\n",
                     top="pseudonym_key: {env: KIYOME_TEST_KEY}\n", mode="pseudonymize")
    pseudonymizer = masker.with_policy(policy)
    first, _ = pseudonymizer.mask("連絡先はtaro@example.co.jpです")
    again, _ = pseudonymizer.mask("再送：taro@example.co.jp まで")
    other, _ = pseudonymizer.mask("別人はhanako@example.co.jpです")
    token = first.removeprefix("連絡先は").removesuffix("です")
    assert token.startswith("＜メール:") and "taro" not in first
    assert token in again
    assert token not in other
    monkeypatch.setenv("KIYOME_TEST_KEY", "z" * 40)
    rekeyed, _ = masker.with_policy(policy).mask("連絡先はtaro@example.co.jpです")
    assert rekeyed != first


def test_drop_document_operator_and_hit_limit(masker):
    dropper = masker.with_policy(_policy("  JP_MY_NUMBER:\n    operator: drop_document\n"
                                         "    min_score: 0.3\n"))
    outcome = dropper.explain("マイナンバー：1234 5678 9018")
    assert (outcome.drop_reason, outcome.drop_detail) == ("policy_drop_document",
                                                          {"entity": "JP_MY_NUMBER"})
    limited = masker.with_policy(_policy("  PHONE_NUMBER:\n    operator: replace\n",
                                         top="document_rules: {max_pii_hits: 1}\n"))
    outcome = limited.explain("電話 090-1234-5678 と 03-1234-5678")
    assert outcome.drop_reason == "too_many_pii"
    assert outcome.drop_detail == {"hits": 2, "limit": 1}


def test_policy_drops_reach_rejected_with_their_reason(masker):
    dofn = _MaskDoFn(load_policy())
    dofn._masker = masker.with_policy(_policy("  EMAIL_ADDRESS:\n    operator: drop_document\n"))
    doc = {"id": "d2", "source": "file:///m.txt", "text": "宛先 taro@example.co.jp",
           "metadata": {}}
    rejected = [out.value for out in dofn.process([doc])
                if isinstance(out, beam.pvalue.TaggedOutput) and out.tag == REJECTED]
    assert rejected == [{"id": "d2", "source": "file:///m.txt", "stage": "pii",
                         "reason": "policy_drop_document",
                         "detail": {"entity": "EMAIL_ADDRESS"}}]


def test_confidential_terms_from_the_policy_are_found_next_to_kana(masker):
    policy = _policy("  CONFIDENTIAL:\n    operator: replace\n    placeholder: ＜機密＞\n",
                     top="confidential_terms:\n  - {term: プロジェクト桜, reason: 未発表の製品}\n"
                         "  - {term: Sakura, reason: 英語表記}\n")
    text, counts = masker.with_policy(policy).mask(
        "プロジェクト桜の進捗とSakuraの件。Sakurajimaは地名。")
    assert text == "＜機密＞の進捗と＜機密＞の件。Sakurajimaは地名。"
    assert counts[("CONFIDENTIAL", "replace")] == 2


def test_confidential_marker_drops_the_document_under_the_default_policy(masker):
    outcome = masker.explain("【社外秘】来期の価格改定案について")
    assert outcome.drop_reason == "policy_drop_document"
    assert outcome.drop_detail == {"entity": "CONFIDENTIAL"}


SENSITIVE = "総務部の佐藤 花子さんは先月から入院しています。会議は金曜に延期します。"


def test_sensitive_topic_near_a_person_drops_the_sentence(masker):
    text, counts = masker.mask(SENSITIVE)
    assert text == "会議は金曜に延期します。"
    assert counts[("SENSITIVE_PERSONAL_INFO", "redact")] == 1
    unrelated, _ = masker.mask("サーバーの通信障害で会議は金曜に延期します。")
    assert unrelated == "サーバーの通信障害で会議は金曜に延期します。"


def test_sensitive_rule_can_drop_the_whole_document(masker):
    policy = _policy("  PERSON:\n    operator: replace\n",
                     top="document_rules:\n  sensitive_personal_info:\n"
                         "    action: drop_document\n    categories: [medical]\n")
    outcome = masker.with_policy(policy).explain(SENSITIVE)
    assert (outcome.drop_reason, outcome.drop_detail) == ("sensitive_personal_info",
                                                          {"category": "medical"})


def test_policy_context_words_reach_the_detectors():
    text = "渡航書類の控え：TK1234567"
    plain = Masker(_policy("  JP_PASSPORT:\n    operator: replace\n    min_score: 0.5\n"))
    assert plain.mask(text)[0] == text  # no built-in passport keyword nearby
    with_context = Masker(_policy("  JP_PASSPORT:\n    operator: replace\n    min_score: 0.5\n"
                                  "    context: [渡航書類]\n"))
    assert with_context.mask(text)[0] == "渡航書類の控え：<JP_PASSPORT>"


def test_shipped_strict_policy_loads_by_name():
    strict = load_policy("strict")
    assert strict.name == "strict" and strict.source == "policies/strict.yaml"
    assert strict.action_for("LOCATION").operator == "replace"
    assert strict.sensitive is not None and strict.sensitive.action == "drop_document"


def test_a_batch_with_one_failing_document_quarantines_only_that_one(masker, monkeypatch):
    """Batched masking falls back to one document at a time when a batch fails."""
    good = {"id": "ok", "source": "file:///a.txt", "text": "電話 090-1234-5678", "metadata": {}}
    bad = {"id": "bad", "source": "file:///b.txt", "text": "壊れる文書", "metadata": {}}
    original = masker.mask_documents

    def fragile(documents):
        if any(text == "壊れる文書" for text, _ in documents):
            raise RuntimeError("detector failed")
        return original(documents)

    monkeypatch.setattr(masker, "mask_documents", fragile)
    dofn = _MaskDoFn(load_policy())
    dofn._masker = masker
    outputs = list(dofn.process([good, bad]))
    written = [o for o in outputs if not isinstance(o, beam.pvalue.TaggedOutput)]
    rejected = [o.value for o in outputs
                if isinstance(o, beam.pvalue.TaggedOutput) and o.tag == REJECTED]
    assert [doc["id"] for doc in written] == ["ok"] and "090-1234-5678" not in written[0]["text"]
    assert rejected == [{"id": "bad", "source": "file:///b.txt", "stage": "pii",
                         "reason": "pii_error", "detail": {"error": "RuntimeError"}}]


def test_mask_documents_matches_mask_and_mask_value(masker):
    """The batch path gives what the one-document path gives, metadata included."""
    docs = [
        ("担当の山田太郎様、電話 090-1234-5678", {"from": "佐藤花子 <hanako@example.jp>", "n": 3}),
        ("何もない文書", {}),
        ("社外秘\n本文", {"subject": "定例"}),
    ]
    results = masker.mask_documents(docs)
    for (text, metadata), result in zip(docs, results, strict=True):
        try:
            expected_text, counts = masker.mask(text)
            expected_metadata = masker.mask_value(metadata, counts)
        except DocumentDropped as dropped:
            assert isinstance(result[0], DocumentDropped) and result[0].reason == dropped.reason
            continue
        assert result[:3] == (expected_text, expected_metadata, counts)
    assert results[0].metadata["n"] == 3 and "hanako" not in results[0].metadata["from"]
    # n_tokens only where the text came out unchanged, and then Sudachi's own count.
    from kiyome.transforms.tokens import MorphemeCounter

    counter = MorphemeCounter()
    assert [r.n_tokens for r in results[:2]] == [counter.count(r.text) for r in results[:2]]


def test_policy_chooses_where_ner_runs(masker):
    """detection.ner in the policy reaches the detector; with_policy rebuilds it when it changes."""
    assert masker.detector.ner == "gated"
    off = masker.with_policy(_policy("  PERSON: {operator: replace}\n",
                                     top="detection: {ner: 'off'}\n"))
    assert off.detector.ner == "off" and off.detector.ner_analyzer is None
    same = masker.with_policy(_policy("  PERSON: {operator: replace}\n"))
    assert same.detector is masker.detector
