"""Policies: the shipped one is valid; bad ones are refused with a reason."""

from __future__ import annotations

import pytest
import yaml

from kiyome.policies.policy import DEFAULT_POLICY, PolicyError, load_policy, parse_policy


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
    with pytest.raises(PolicyError, match="line 2: not valid YAML"):
        load_policy(broken)
