"""Property tests of the policy loader: whatever a compliance officer writes, the
answer is a policy that says exactly what the file says, or one-line problems
with their location — never a traceback, never a silently weaker policy."""

from __future__ import annotations

import contextlib
import copy
import io
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiyome.pipeline import cli
from kiyome.policies.policy import DEFAULT_POLICY, Policy, parse_policy_text
from kiyome.policies.validate import MY_NUMBER, MY_NUMBER_OPERATORS

DEFAULT_TEXT = DEFAULT_POLICY.read_text(encoding="utf-8")
DEFAULT_DOCUMENT = yaml.safe_load(DEFAULT_TEXT)
SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

#: Fragments that make YAML go wrong in every way it can: structure, tags, anchors,
#: dates that do not exist, NaN, control characters, and the policy's own words.
YAML_PIECES = st.sampled_from([
    ":", ": ", "-", "- ", " ", "\n", "  ", "\t", "[", "]", "{", "}", ",", "'", '"', "#", "?",
    "|", ">", "&a ", "*a", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!python/name:x",
    "2026-13-01", "2026-02-30", ".nan", ".inf", "-.inf", "1e999", "0x1F", "no", "on", "~",
    "\x00", "\x07", "\ufeff", "name", "version", "mode", "default", "entities", "PERSON",
    "JP_MY_NUMBER", "operator", "replace", "keep", "pseudonymize", "min_score", "0.5", "1",
    "enabled", "allow", "value", "reason", "placeholder", "＜氏名＞", "pseudonym_key", "env",
])
yaml_like = st.lists(YAML_PIECES, max_size=40).map("".join)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["replace", "keep", "redact", "mask", "pseudonymize", "drop_document",
                       "0.9", "yes", "off", "", "PERSON"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8) | st.integers(0, 3), children, max_size=3),
    max_leaves=6)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a document: each mapping key and list index, nested."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


PLACES = [path for path in _paths(DEFAULT_DOCUMENT) if path]


def _assert_located_one_liners(problems: list, text: str) -> None:
    lines = len(re.split("\r\n|\r|\n|\x85|\u2028|\u2029", text))  # YAML's line breaks
    for problem in problems:
        rendered = problem.render("p.yaml")
        assert "\n" not in rendered and "Traceback" not in rendered, rendered
        assert problem.path and problem.message, rendered
        assert problem.line is None or 1 <= problem.line <= lines, rendered


def _assert_says_what_the_file_says(policy: Policy, document: dict[str, Any]) -> None:
    """The loaded policy is the document, with documented defaults only for absent keys."""
    for name, spec in document["entities"].items():
        action = policy.action_for(name)
        assert action.operator == spec["operator"]
        assert action.min_score == spec.get("min_score", 0.5)
        assert action.enabled == spec.get("enabled", True)
        assert math.isfinite(action.min_score)
    assert policy.default.operator == document["default"]["operator"]
    my_number = policy.action_for(MY_NUMBER)
    if MY_NUMBER in document["entities"]:
        assert my_number.operator in MY_NUMBER_OPERATORS and my_number.enabled


@SETTINGS
@given(yaml_like)
def test_any_yaml_ish_text_gives_a_policy_or_located_one_line_problems(text):
    policy, problems = parse_policy_text(text, "p.yaml")
    assert (policy is None) == bool(problems)
    _assert_located_one_liners(problems, text)


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_at_all_never_raises(text):
    policy, problems = parse_policy_text(text, "p.yaml")
    assert (policy is None) == bool(problems)
    _assert_located_one_liners(problems, text)


@SETTINGS
@given(st.sampled_from(PLACES), values)
def test_a_changed_value_is_refused_with_its_line_or_taken_exactly(place, value):
    document = copy.deepcopy(DEFAULT_DOCUMENT)
    node = document
    for part in place[:-1]:
        node = node[part]
    node[place[-1]] = value
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    policy, problems = parse_policy_text(text, "p.yaml")
    if problems:
        _assert_located_one_liners(problems, text)
        assert any(problem.line is not None for problem in problems)
    else:
        _assert_says_what_the_file_says(policy, document)


@SETTINGS
@given(st.sampled_from(PLACES))
def test_a_removed_key_is_refused_or_falls_back_to_a_documented_default(place):
    document = copy.deepcopy(DEFAULT_DOCUMENT)
    node = document
    for part in place[:-1]:
        node = node[part]
    del node[place[-1]]
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    policy, problems = parse_policy_text(text, "p.yaml")
    if problems:
        _assert_located_one_liners(problems, text)
    else:
        _assert_says_what_the_file_says(policy, document)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like | st.sampled_from(PLACES).map(lambda place: "/".join(map(str, place))))
def test_kiyome_run_refuses_a_bad_policy_in_one_line_before_reading(text):
    with tempfile.TemporaryDirectory() as tmp:
        policy_file = Path(tmp) / "p.yaml"
        policy_file.write_text(text, encoding="utf-8")
        (Path(tmp) / "in.txt").write_text("本文", encoding="utf-8")
        if parse_policy_text(text, str(policy_file))[0] is not None:
            return  # a valid policy: nothing to refuse
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["run", "--input", f"{tmp}/in.txt", "--output", f"{tmp}/out",
                             "--policy", str(policy_file)])
        assert code == 2
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"kiyome: error: {policy_file}")
        assert not (Path(tmp) / "out").exists()


VALID_HEAD = "name: t\nversion: '1'\nmode: anonymize\ndefault: {operator: replace}\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("name: 2026-13-01\n", 1, "cannot read"),               # a date that does not exist
    ("a:\n  b: !!int\n", 2, "cannot read"),                  # an empty explicit int
    ("1: x\n", 1, "not a name"),                             # a key that is not text
    (VALID_HEAD + "entities: {PERSON: {operator: replace, min_score: .nan}}\n", 5,
     "not a usable number"),                                 # NaN passes every bound
    ("name: t\n\x00", 2, "U+0000"),                          # a control character
    ("[" * 5000, None, "nested too deeply"),
])
def test_found_by_the_properties(text, line, words):
    policy, problems = parse_policy_text(text, "p.yaml")
    assert policy is None and problems[0].line == line
    assert words in problems[0].render("p.yaml")
