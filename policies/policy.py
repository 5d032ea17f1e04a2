"""Load, validate and fingerprint a masking policy.

A policy is data a compliance officer edits; the pipeline refuses a bad one
before it reads a single document. The checks (JSON Schema in
``schemas/policy.schema.json``, plus the law a schema cannot express: 番号法
— My Number is always deleted) live in :mod:`kiyome.policies.validate`.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiyome.pipeline.inputs import read_text
from kiyome.policies.validate import PolicyProblem, check, unconstructible_line, yaml_problem

#: The policy shipped with Kiyome, used when ``--policy`` is not given.
DEFAULT_POLICY = importlib.resources.files("kiyome.policies") / "default.yaml"



class PolicyError(ValueError):
    """A policy that must not be used; ``problems`` say where and what to write instead."""

    def __init__(self, source: str, problems: list[PolicyProblem]) -> None:
        self.source = source
        self.problems = problems
        first = problems[0].render(source)
        more = f" (and {len(problems) - 1} more: run `kiyome policy check {source}`)" \
            if len(problems) > 1 else ""
        super().__init__(first + more)


#: Decisions that leave a span as it was: counted in the audit, not as masked.
UNCHANGED = ("keep", "allowed", "below_min_score")

@dataclass(frozen=True)
class EntityAction:
    """What to do with one entity type."""

    operator: str
    min_score: float = 0.5
    enabled: bool = True
    placeholder: str | None = None
    masking_char: str = "＊"
    context: tuple[str, ...] = ()
    allow: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_document(cls, spec: dict[str, Any]) -> EntityAction:
        return cls(
            operator=spec["operator"],
            min_score=spec.get("min_score", 0.5),
            enabled=spec.get("enabled", True),
            placeholder=spec.get("placeholder"),
            masking_char=spec.get("masking_char", "＊"),
            context=tuple(spec.get("context", ())),
            allow=tuple((item["value"], item["reason"]) for item in spec.get("allow", ())),
        )

    def replacement_for(self, entity: str) -> str:
        """The placeholder written for ``entity`` with operator replace.

        >>> EntityAction("replace").replacement_for("PERSON")
        '<PERSON>'
        >>> EntityAction("replace", placeholder="＜氏名＞").replacement_for("PERSON")
        '＜氏名＞'
        """
        return self.placeholder or f"<{entity}>"

    def pseudonym_template(self, entity: str) -> str:
        """Template for operator pseudonymize; ``{pseudonym}`` is the keyed hash."""
        return self.placeholder or f"<{entity}_{{pseudonym}}>"

    def allow_reason(self, value: str) -> str | None:
        """The reason ``value`` may stay unmasked, or None (width and spacing ignored).

        >>> main_line = EntityAction("replace", allow=(("03-1234-5678", "代表番号"),))
        >>> main_line.allow_reason("０３-1234-5678")
        '代表番号'
        """
        key = comparable(value)
        for allowed, reason in self.allow:
            if comparable(allowed) == key:
                return reason
        return None


def comparable(value: str) -> str:
    """NFKC with all whitespace removed: how allow-list values are compared.

    >>> comparable("山田　太郎") == comparable("山田太郎")
    True
    """
    return "".join(unicodedata.normalize("NFKC", value).split())


@dataclass(frozen=True)
class SensitiveRule:
    """要配慮個人情報: drop what puts a sensitive topic next to a person."""

    action: str
    categories: tuple[str, ...] = ()
    window: int = 60
    placeholder: str = ""


@dataclass(frozen=True)
class Policy:
    """A validated policy and the fingerprint stamped on every shard."""

    name: str
    version: str
    mode: str
    default: EntityAction
    entities: dict[str, EntityAction] = field(default_factory=dict)
    confidential_terms: tuple[tuple[str, str], ...] = ()
    pseudonym_key: tuple[str, str] | None = None
    max_pii_hits: int | None = None
    sensitive: SensitiveRule | None = None
    #: Where GiNZA NER runs: gated (default), full or off (``detect.NER_MODES``).
    ner: str = "gated"
    content_hash: str = ""
    source: str = ""

    def action_for(self, entity: str) -> EntityAction:
        """The action for ``entity``; unlisted types get ``default``, never pass-through."""
        return self.entities.get(entity, self.default)

    def disabled_entities(self) -> frozenset[str]:
        return frozenset(name for name, action in self.entities.items() if not action.enabled)

    def extra_context(self) -> dict[str, tuple[str, ...]]:
        """Per entity, the context words the policy adds to the detectors' own."""
        return {name: action.context for name, action in self.entities.items() if action.context}

    def uses_pseudonyms(self) -> bool:
        actions = [self.default, *self.entities.values()]
        return any(action.operator == "pseudonymize" for action in actions)


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the policy's canonical JSON: comments and key order do not change it.

    >>> content_hash({"b": 1, "a": "氏名"}) == content_hash({"a": "氏名", "b": 1})
    True
    """
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def known_entities() -> tuple[str, ...]:
    """Entity types the detectors can produce (imports the detection stack)."""
    from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES

    return tuple(SUPPORTED_ENTITIES)


def known_sensitive_categories() -> tuple[str, ...]:
    try:
        from kiyome.transforms.pii.recognizers.sensitive_topics import SENSITIVE_CATEGORIES
    except ImportError:
        return ()
    return tuple(SENSITIVE_CATEGORIES)


def build_policy(document: dict[str, Any], source: str) -> Policy:
    """The :class:`Policy` of a document that :func:`validate.check` found no problem in."""
    rules = document.get("document_rules", {})
    sensitive = rules.get("sensitive_personal_info")
    key = document.get("pseudonym_key")
    return Policy(
        name=document["name"],
        version=document["version"],
        mode=document["mode"],
        default=EntityAction.from_document(document["default"]),
        entities={name: EntityAction.from_document(spec)
                  for name, spec in document["entities"].items()},
        confidential_terms=tuple((item["term"], item["reason"])
                                 for item in document.get("confidential_terms", ())),
        pseudonym_key=next(iter(key.items())) if key else None,
        max_pii_hits=rules.get("max_pii_hits"),
        sensitive=SensitiveRule(
            action=sensitive["action"],
            categories=tuple(sensitive.get("categories", ())),
            window=sensitive.get("window", 60),
            placeholder=sensitive.get("placeholder", ""),
        ) if sensitive and sensitive.get("enabled", True) else None,
        ner=document.get("detection", {}).get("ner", "gated"),
        content_hash=content_hash(document),
        source=source,
    )


def parse_policy_text(text: str, source: str = "<memory>",
                      check_entities: bool = True) -> tuple[Policy | None, list[PolicyProblem]]:
    """Parse and check policy YAML: the policy, or None and every problem found."""
    try:
        root = yaml.compose(text)
        document = yaml.safe_load(text)
    except RecursionError:
        return None, [PolicyProblem("(file)", "nested too deeply to be a policy",
                                    "start from policies/default.yaml", None)]
    except yaml.YAMLError as error:
        return None, [yaml_problem(error, text)]
    except Exception as error:  # PyYAML's constructors raise anything (IndexError…)
        # A well-formed value YAML cannot build: 2026-13-01 as a date, an empty !!int.
        line = unconstructible_line(yaml.compose(text))
        reason = " ".join(str(error).split()) or type(error).__name__
        return None, [PolicyProblem("(file)", f"a value YAML cannot read ({reason})",
                                    "quote it to make it text", line)]
    entities = known_entities() if check_entities else ()
    problems = check(document, root, entities, known_sensitive_categories())
    if problems:
        return None, problems
    return build_policy(document, source), []


def parse_policy(document: Any, source: str = "<memory>") -> Policy:
    """Check an already-parsed policy document (no line numbers) and build the :class:`Policy`.

    >>> keep_my_number = {"name": "x", "version": "1", "mode": "anonymize",
    ...                   "default": {"operator": "replace"},
    ...                   "entities": {"JP_MY_NUMBER": {"operator": "keep"}}}
    >>> try:
    ...     parse_policy(keep_my_number)
    ... except PolicyError as error:
    ...     print(error.problems[0].message)
    My Number must be deleted (番号法)
    """
    problems = check(document, None, (), known_sensitive_categories())
    if problems:
        raise PolicyError(source, problems)
    return build_policy(document, source)


def shipped_policy(name: str):
    """The shipped policy called ``name`` (``default``, ``strict``), or None."""
    candidate = DEFAULT_POLICY.parent / f"{name}.yaml"
    return candidate if "/" not in name and candidate.is_file() else None


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and check a policy file; None or a shipped name (``strict``) loads a shipped one."""
    name = "default" if path is None else str(path)
    shipped = shipped_policy(name) if not Path(name).suffix else None
    target = shipped or Path(name)
    source = f"policies/{name}.yaml" if shipped else name
    try:
        text = read_text(name) if "://" in name else target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or (
            "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else "not readable")
        raise PolicyError(source, [PolicyProblem("(file)", f"cannot read the policy ({reason})")]) \
            from None
    policy, problems = parse_policy_text(text, source)
    if problems:
        raise PolicyError(source, problems)
    return policy
