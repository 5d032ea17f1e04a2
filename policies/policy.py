"""Load, validate and fingerprint a masking policy.

A policy is data a compliance officer edits; the pipeline refuses a bad one
before it reads a single document. Validation is the JSON Schema in
``schemas/policy.schema.json`` plus the legal rules a schema cannot express
(番号法: My Number is always deleted).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

#: The policy shipped with Kiyome, used when ``--policy`` is not given.
DEFAULT_POLICY = importlib.resources.files("kiyome.policies") / "default.yaml"

#: Operators that delete a value; the only ones My Number may have (番号法 2条8項, 20条).
DELETING_OPERATORS = frozenset({"replace", "redact", "mask"})
MY_NUMBER = "JP_MY_NUMBER"


class PolicyError(ValueError):
    """A policy that must not be used; the message says where and what to write instead."""


@dataclass(frozen=True)
class EntityAction:
    """What to do with one entity type."""

    operator: str
    min_score: float = 0.5
    enabled: bool = True
    placeholder: str | None = None
    masking_char: str = "＊"

    def replacement_for(self, entity: str) -> str:
        """The placeholder written for ``entity`` with operator replace.

        >>> EntityAction("replace").replacement_for("PERSON")
        '<PERSON>'
        >>> EntityAction("replace", placeholder="＜氏名＞").replacement_for("PERSON")
        '＜氏名＞'
        """
        return self.placeholder or f"<{entity}>"


@dataclass(frozen=True)
class Policy:
    """A validated policy and the fingerprint stamped on every shard."""

    name: str
    version: str
    mode: str
    default: EntityAction
    entities: dict[str, EntityAction] = field(default_factory=dict)
    content_hash: str = ""
    source: str = ""

    def action_for(self, entity: str) -> EntityAction:
        """The action for ``entity``; unlisted types get ``default``, never pass-through."""
        return self.entities.get(entity, self.default)

    def disabled_entities(self) -> frozenset[str]:
        return frozenset(name for name, action in self.entities.items() if not action.enabled)


def _schema() -> dict[str, Any]:
    path = importlib.resources.files("kiyome.schemas") / "policy.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the policy's canonical JSON: comments and key order do not change it.

    >>> content_hash({"b": 1, "a": "氏名"}) == content_hash({"a": "氏名", "b": 1})
    True
    """
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _location(error: jsonschema.ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def parse_policy(document: Any, source: str = "<memory>") -> Policy:
    """Validate a parsed policy document and build the :class:`Policy`.

    >>> keep_my_number = {"name": "x", "version": "1", "mode": "anonymize",
    ...                   "default": {"operator": "replace"},
    ...                   "entities": {"JP_MY_NUMBER": {"operator": "keep"}}}
    >>> try:
    ...     parse_policy(keep_my_number)
    ... except PolicyError as error:
    ...     print(error)
    <memory>: entities/JP_MY_NUMBER: My Number must be deleted (番号法): use replace or redact
    """
    if not isinstance(document, dict):
        raise PolicyError(f"{source}: a policy is a YAML mapping with name, version, mode, "
                          "default and entities")
    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(document),
                    key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        raise PolicyError(f"{source}: {_location(first)}: {first.message}")

    entities = {name: EntityAction(**spec) for name, spec in document["entities"].items()}
    my_number = entities.get(MY_NUMBER)
    if my_number is not None and (
        my_number.operator not in DELETING_OPERATORS or not my_number.enabled
    ):
        raise PolicyError(f"{source}: entities/{MY_NUMBER}: My Number must be deleted "
                          "(番号法): use replace or redact")
    return Policy(
        name=document["name"],
        version=document["version"],
        mode=document["mode"],
        default=EntityAction(**document["default"]),
        entities=entities,
        content_hash=content_hash(document),
        source=source,
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy file (the shipped default when ``path`` is None)."""
    target = DEFAULT_POLICY if path is None else Path(path)
    source = "policies/default.yaml" if path is None else str(path)
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{source}: cannot read the policy ({error.strerror})") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise PolicyError(f"{source}: {where}: not valid YAML") from None
    return parse_policy(document, source)
