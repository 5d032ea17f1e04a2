"""Policies: the shipped one is valid; bad ones are refused with a reason."""

from __future__ import annotations

import pytest
import yaml

from kiyome.policies.policy import (
    DEFAULT_POLICY,
    PolicyError,
    load_policy,
    parse_policy,
    parse_policy_text,
)


def _default_document() -> dict:
    return yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))


def test_default_policy_is_valid_and_hashed():
    policy = load_policy()
    assert policy.name == "default"
    assert len(policy.content_hash) == 64
    assert policy.action_for("PERSON").replacement_for("PERSON") == "＜氏名＞"
    assert policy.action_for("SOMETHING_NEW").operator == "replace"


def test_hash_ignores_comments_but_not_content(tmp_path):
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    commented = tmp_path / "commented.yaml"
    commented.write_text("# 追加のコメント\n" + text, encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace('placeholder: "＜氏名＞"', 'placeholder: "<PERSON>"'),
                       encoding="utf-8")
    assert load_policy(commented).content_hash == load_policy().content_hash
    assert load_policy(changed).content_hash != load_policy().content_hash


@pytest.mark.parametrize("operator", ["keep"])
def test_my_number_must_be_deleted(operator):
    document = _default_document()
    document["entities"]["JP_MY_NUMBER"]["operator"] = operator
    with pytest.raises(PolicyError, match="番号法"):
        parse_policy(document)


def test_my_number_cannot_be_disabled():
    document = _default_document()
    document["entities"]["JP_MY_NUMBER"]["enabled"] = False
    with pytest.raises(PolicyError, match="JP_MY_NUMBER"):
        parse_policy(document)


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda d: d["entities"]["PERSON"].update(operator="shred"), "entities/PERSON/operator"),
    (lambda d: d["entities"]["PERSON"].update(min_score=1.5), "entities/PERSON/min_score"),
    (lambda d: d.pop("default"), "(top level)"),
    (lambda d: d.update(colour="red"), "(top level)"),
])
def test_schema_errors_say_where(mutate, where):
    document = _default_document()
    mutate(document)
    with pytest.raises(PolicyError) as error:
        parse_policy(document, "p.yaml")
    assert str(error.value).startswith(f"p.yaml: {where}: ")


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"broken.yaml:2: .*not valid YAML"):
        load_policy(broken)


BASE = """\
name: t
version: "1"
mode: anonymize
default:
  operator: replace
entities:
  PERSON:
    operator: replace
    placeholder: "＜氏名＞"
"""


def _problems(text: str) -> list[str]:
    policy, problems = parse_policy_text(text, "p.yaml")
    assert (policy is None) == bool(problems)
    return [problem.render("p.yaml") for problem in problems]


def test_problems_carry_line_numbers_and_fixes():
    text = BASE.replace("operator: replace\n    placeholder", "operator: shred\n    placeholder")
    assert _problems(text) == [
        "p.yaml:8: entities/PERSON/operator: 'shred' is not allowed; write one of: replace, "
        "redact, mask, pseudonymize, drop_document, keep"]


def test_unknown_keys_and_entities_get_suggestions():
    text = BASE + "  PERSN:\n    operator: replace\n    min_scor: 0.5\n"
    assert _problems(text) == [
        "p.yaml:10: entities/PERSN: no detector produces this entity type; "
        "did you mean 'PERSON'?",
        "p.yaml:12: entities/PERSN: unknown key 'min_scor'; did you mean 'min_score'?",
    ]


def test_duplicate_keys_are_refused():
    text = BASE + "  PERSON:\n    operator: keep\n"
    assert _problems(text)[0] == "p.yaml:10: entities/PERSON: written twice; keep only one of them"


def test_pseudonyms_need_the_mode_and_a_key_reference():
    text = BASE.replace("operator: replace\n    placeholder: \"＜氏名＞\"",
                        "operator: pseudonymize")
    assert _problems(text) == [
        "p.yaml: (top level): operator pseudonymize needs a key; "
        "add pseudonym_key: {env: KIYOME_PSEUDONYM_KEY}",
        "p.yaml:8: entities/PERSON: operator pseudonymize in mode anonymize; "
        "set mode: pseudonymize, or use replace"]
    good = text.replace("mode: anonymize", "mode: pseudonymize\npseudonym_key: {env: K}")
    assert _problems(good) == []
    literal = good.replace("{env: K}", "{value: s3cr3t}")
    assert "the key itself never goes in the file" in _problems(literal)[0]


def test_my_number_allow_list_is_refused():
    text = BASE + ("  JP_MY_NUMBER:\n    operator: replace\n    allow:\n"
                   "      - {value: '123456789018', reason: sample}\n")
    assert _problems(text) == [
        "p.yaml:12: entities/JP_MY_NUMBER/allow: a My Number can never be allow-listed "
        "(番号法); remove the allow list"]


def test_allow_lists_need_reasons_and_compare_loosely():
    text = BASE + "    allow:\n      - value: 夏目漱石\n"
    assert "'reason' is missing" in _problems(text)[0]
    policy, _ = parse_policy_text(BASE + "    allow:\n      - {value: 夏目 漱石, reason: 作家}\n")
    assert policy.action_for("PERSON").allow_reason("夏目漱石") == "作家"
    assert policy.action_for("PERSON").allow_reason("夏目") is None


def test_shipped_policies_are_valid():
    for path in sorted(DEFAULT_POLICY.parent.glob("*.yaml")):
        assert parse_policy_text(path.read_text(encoding="utf-8"), path.name)[1] == []


def test_detection_ner_mode_is_read_and_checked():
    from kiyome.policies.policy import parse_policy_text

    base = "name: t\nversion: '1'\nmode: anonymize\ndefault: {operator: replace}\nentities: {}\n"
    policy, problems = parse_policy_text(base)
    assert problems == [] and policy.ner == "gated"
    policy, problems = parse_policy_text(base + "detection: {ner: full}\n")
    assert problems == [] and policy.ner == "full"
    policy, problems = parse_policy_text(base + "detection: {ner: everywhere}\n")
    assert policy is None and "gated, full, off" in problems[0].hint
