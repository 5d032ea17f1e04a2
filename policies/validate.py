"""Check a policy document and say, per problem, the line and what to write instead.

A compliance officer reads these messages, not a stack trace: every problem
names its line in the YAML file, the place in the policy, what is wrong and,
where we can tell, the fix (the allowed values, the closest known name).
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import yaml

MY_NUMBER = "JP_MY_NUMBER"
#: Operators that delete a My Number; nothing else is allowed for it (番号法 2条8項, 20条).
MY_NUMBER_OPERATORS = ("replace", "redact", "mask", "drop_document")
#: Entity types that come from the policy itself rather than from a recognizer.
POLICY_ENTITIES = ("CONFIDENTIAL",)


@dataclass(frozen=True)
class PolicyProblem:
    """One thing wrong with a policy, located and explained."""

    path: str
    message: str
    hint: str = ""
    line: int | None = None

    def render(self, source: str) -> str:
        """``file:line: where: what (fix)`` — one line per problem.

        >>> PolicyProblem("entities/PERSON/operator", "'shred' is not allowed",
        ...               "write one of: replace, redact", 12).render("p.yaml")
        "p.yaml:12: entities/PERSON/operator: 'shred' is not allowed; write one of: replace, redact"

        Keys are the user's text: a line break in one is shown escaped, so a problem
        stays one line.

        >>> print(PolicyProblem("name/" + chr(10), "key 0 is not a name", line=5).render("p.yaml"))
        p.yaml:5: name/\\n: key 0 is not a name
        """
        where = f"{source}:{self.line}" if self.line else source
        text = f"{where}: {self.path}: {self.message}"
        text = f"{text}; {self.hint}" if self.hint else text
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@cache
def policy_schema() -> dict[str, Any]:
    path = importlib.resources.files("kiyome.schemas") / "policy.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of ``part`` under a mapping/sequence node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None, None


def line_of(root: yaml.Node | None, path: Sequence[Any], key: str | None = None) -> int | None:
    """1-based line of ``path`` (or of its child ``key``) in the composed YAML."""
    node = root
    for part in path:
        _, node = _child(node, part)
        if node is None:
            return None
    if key is not None:
        key_node, _ = _child(node, key)
        if key_node is not None:
            return key_node.start_mark.line + 1
    return node.start_mark.line + 1 if node is not None else None


def yaml_problem(error: yaml.YAMLError, text: str) -> PolicyProblem:
    """A YAML syntax error as one located line (reader errors carry a position only)."""
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) \
            else None
        code = error.character if isinstance(error.character, int) else ord(
            str(error.character)[:1] or "?")
        return PolicyProblem("(file)", f"not valid YAML: special character U+{code:04X}",
                             "remove it or write it as an escape in a quoted string", line)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    return PolicyProblem("(file)", f"not valid YAML: {' '.join(str(problem).split())}",
                         "check indentation and quotes", mark.line + 1 if mark else None)


def unconstructible_line(root: yaml.Node | None) -> int | None:
    """Line of the first scalar YAML cannot turn into a value (``2026-13-01``, ``!!int x``)."""
    loader = yaml.SafeLoader("")
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except Exception:  # whatever the constructor raises
                return node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            pending += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
    return None


def _structure_problems(value: Any, root: yaml.Node | None,
                        path: tuple = ()) -> list[PolicyProblem]:
    """Keys that are not text (``1: x``) and numbers that are not finite (``.nan``): JSON
    Schema cannot judge them (a non-text key stops it; NaN passes every bound)."""
    problems: list[PolicyProblem] = []
    where = "/".join(str(part) for part in path) or "(top level)"
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(PolicyProblem(where, f"key {key!r} is not a name",
                                              "write names as text", line_of(root, path, key)))
            else:
                problems += _structure_problems(item, root, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += _structure_problems(item, root, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(PolicyProblem(where, f"{value!r} is not a usable number",
                                      "write a finite number", line_of(root, path)))
    return problems


def _closest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


def _schema_problem(error: jsonschema.ValidationError, root: yaml.Node | None) -> PolicyProblem:
    path = list(error.absolute_path)
    where = "/".join(str(part) for part in path) or "(top level)"
    validator, expected = error.validator, error.validator_value
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        name = extra[0] if extra else "?"
        hint = _closest(name, allowed) or f"allowed here: {', '.join(allowed)}"
        if path and path[-1] == "pseudonym_key":
            hint = "the key itself never goes in the file: write env: VARIABLE or gcp_secret: ..."
        return PolicyProblem(where, f"unknown key '{name}'", hint, line_of(root, path, name))
    if validator == "enum":
        hint = "write one of: " + ", ".join(str(value) for value in expected)
        return PolicyProblem(where, f"{error.instance!r} is not allowed", hint,
                             line_of(root, path))
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return PolicyProblem(where, f"'{missing}' is missing", f"add '{missing}:'",
                             line_of(root, path))
    if validator == "type":
        return PolicyProblem(where, f"{error.instance!r} is not a {expected}",
                             f"write a {expected}", line_of(root, path))
    if validator in ("minimum", "maximum"):
        bounds = error.schema
        hint = f"write a number from {bounds.get('minimum', '…')} to {bounds.get('maximum', '…')}"
        return PolicyProblem(where, f"{error.instance!r} is out of range", hint,
                             line_of(root, path))
    if validator == "pattern" and error.absolute_path and "entities" in path[:1]:
        return PolicyProblem(where, f"{error.instance!r} is not an entity name",
                             "entity names are UPPER_SNAKE_CASE, e.g. PERSON",
                             line_of(root, path))
    return PolicyProblem(where, error.message, "", line_of(root, path))


def duplicate_keys(root: yaml.Node | None, path: tuple = ()) -> list[PolicyProblem]:
    """Keys written twice in one mapping (YAML would silently keep the last one)."""
    problems: list[PolicyProblem] = []
    if isinstance(root, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in root.value:
            if key.value in seen:
                where = "/".join((*path, key.value))
                problems.append(PolicyProblem(where, "written twice", "keep only one of them",
                                              key.start_mark.line + 1))
            seen.add(key.value)
            problems += duplicate_keys(value, (*path, str(key.value)))
    elif isinstance(root, yaml.SequenceNode):
        for index, item in enumerate(root.value):
            problems += duplicate_keys(item, (*path, str(index)))
    return problems


def _actions(document: dict[str, Any]) -> Iterable[tuple[list[Any], dict[str, Any]]]:
    yield ["default"], document["default"]
    for name, action in document["entities"].items():
        yield ["entities", name], action


def rule_problems(document: dict[str, Any], root: yaml.Node | None,
                  known_entities: Iterable[str] = (),
                  known_categories: Iterable[str] = ()) -> list[PolicyProblem]:
    """The rules a JSON Schema cannot express: law (番号法) and consistency."""
    problems: list[PolicyProblem] = []
    known = set(known_entities) | set(POLICY_ENTITIES)
    for name in document["entities"]:
        if known_entities and name not in known:
            problems.append(PolicyProblem(
                f"entities/{name}", "no detector produces this entity type",
                _closest(name, known) or "run `kiyome policy check` to list the known types",
                line_of(root, ["entities"], name)))

    my_number = document["entities"].get(MY_NUMBER)
    if my_number is not None:
        path = ["entities", MY_NUMBER]
        if my_number["operator"] not in MY_NUMBER_OPERATORS or not my_number.get("enabled", True):
            problems.append(PolicyProblem(
                "/".join(path), "My Number must be deleted (番号法)",
                "use operator replace, redact, mask or drop_document, and keep it enabled",
                line_of(root, path, "operator")))
        if my_number.get("allow"):
            problems.append(PolicyProblem(
                "/".join(path) + "/allow", "a My Number can never be allow-listed (番号法)",
                "remove the allow list", line_of(root, path, "allow")))

    pseudonymizing = [path for path, action in _actions(document)
                      if action["operator"] == "pseudonymize"]
    for path in pseudonymizing:
        if document["mode"] != "pseudonymize":
            problems.append(PolicyProblem(
                "/".join(path), "operator pseudonymize in mode anonymize",
                "set mode: pseudonymize, or use replace", line_of(root, path, "operator")))
        placeholder = _nested(document, path).get("placeholder")
        if placeholder is not None and "{pseudonym}" not in placeholder:
            problems.append(PolicyProblem(
                "/".join(path) + "/placeholder", "a pseudonym placeholder needs {pseudonym}",
                "e.g. placeholder: \"＜氏名:{pseudonym}＞\"", line_of(root, path, "placeholder")))
    if pseudonymizing and "pseudonym_key" not in document:
        problems.append(PolicyProblem(
            "(top level)", "operator pseudonymize needs a key",
            "add pseudonym_key: {env: KIYOME_PSEUDONYM_KEY}", None))

    sensitive = document.get("document_rules", {}).get("sensitive_personal_info", {})
    categories = set(known_categories)
    for index, category in enumerate(sensitive.get("categories", [])):
        if categories and category not in categories:
            path = ["document_rules", "sensitive_personal_info", "categories", index]
            problems.append(PolicyProblem(
                "/".join(str(part) for part in path), f"unknown category '{category}'",
                _closest(category, categories) or "known: " + ", ".join(sorted(categories)),
                line_of(root, path)))
    return problems


def _nested(document: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node: Any = document
    for part in path:
        node = node[part]
    return node


def check(document: Any, root: yaml.Node | None, known_entities: Iterable[str] = (),
          known_categories: Iterable[str] = ()) -> list[PolicyProblem]:
    """Every problem of a parsed policy document, in file order."""
    if not isinstance(document, dict):
        return [PolicyProblem("(top level)", "a policy is a YAML mapping",
                              "start from policies/default.yaml", 1)]
    problems = duplicate_keys(root)
    structure = _structure_problems(document, root)
    if structure:  # the schema cannot judge the rest reliably
        return sorted(problems + structure, key=lambda problem: (problem.line or 0, problem.path))
    validator = jsonschema.Draft202012Validator(policy_schema())
    problems += [_schema_problem(error, root) for error in validator.iter_errors(document)]
    try:
        problems += rule_problems(document, root, known_entities, known_categories)
    except (KeyError, TypeError, AttributeError):
        pass  # the structure is broken; the schema problems above already say where
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.path))
