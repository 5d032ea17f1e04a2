"""Stage parameters from a file (``kiyome run --config FILE``), apart from the masking policy.

The policy says what happens to personal data and belongs to compliance; this
file says how the stages run (thresholds, limits, sizes) and belongs to the
data engineer. ``kiyome.yaml`` at the repository root holds every field with
its default and a comment; ``schemas/stage_config.schema.json`` validates it
(unknown keys, wrong types and out-of-range values are refused with the field's
path). Command-line flags override the file: ``--config`` fills only the options
still at their defaults, so ``--config x.yaml --near-dup-threshold 0.9`` and
``--near-dup-threshold 0.9 --config x.yaml`` both run at 0.9 (a flag given with
its default value before ``--config`` cannot be told from an unset one: the file wins).
Not in the file yet: the MinHash shape (n-gram size, permutations), which
``--dedup-against`` requires to match across runs.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kiyome.pipeline.inputs import read_text
from kiyome.policies.validate import unconstructible_line, yaml_problem

SCHEMA = importlib.resources.files("kiyome.schemas") / "stage_config.schema.json"
#: The documented defaults, at the repository root.
DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "kiyome.yaml"
#: File section and key -> ``kiyome run`` option (argparse dest).
FIELDS = {
    ("langid", "min_ja_ratio"): "min_ja_ratio",
    ("quality", "profile"): "quality_profile",
    ("dedup", "near_dup_threshold"): "near_dup_threshold",
    ("dedup", "near_dup_keep"): "near_dup_keep",
    ("ingest", "max_file_mb"): "max_file_mb",
    ("ingest", "max_chars"): "max_chars",
    ("ingest", "split_mb"): "split_mb",
    ("write", "num_shards"): "num_shards",
    ("write", "shard_size_mb"): "shard_size_mb",
    ("write", "row_group_mb"): "row_group_mb",
}


class StageConfigError(ValueError):
    """The file cannot be used: one line naming the file and the field."""


def load_stage_config(path: str) -> dict[str, Any]:
    """``{dest: value}`` of a validated stage configuration file.

    >>> load_stage_config(str(DEFAULTS_FILE))["quality_profile"]
    'business'
    """
    try:
        text = read_text(path) if "://" in path else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise StageConfigError(f"--config {path}: cannot read the file ({reason})") from None
    data = _parse(text, path) or {}
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    problems = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data),
                      key=lambda e: [str(part) for part in e.absolute_path])
    if problems:
        where = ".".join(str(p) for p in problems[0].absolute_path) or "(top level)"
        message = " ".join(problems[0].message.split())
        raise StageConfigError(f"--config {path}: {where}: {message}")
    values = {}
    for (section, key), dest in FIELDS.items():
        if key in data.get(section, {}):
            value = data[section][key]
            rule = schema["properties"][section]["properties"][key]
            if isinstance(value, float) and not math.isfinite(value):  # NaN passes bounds
                raise StageConfigError(f"--config {path}: {section}.{key}: {value} is not "
                                       "a finite number")
            values[dest] = int(value) if rule.get("type") == "integer" else value
    return values


def _parse(text: str, path: str) -> Any:
    """YAML -> value, every way it can fail turned into one located line."""
    try:
        document = yaml.safe_load(text)
    except RecursionError:
        raise StageConfigError(f"--config {path}: nested too deeply") from None
    except yaml.YAMLError as error:
        problem = yaml_problem(error, text)
        where = f"{path}:{problem.line}" if problem.line else path
        raise StageConfigError(f"--config {where}: {problem.message}") from None
    except Exception as error:  # PyYAML's constructors raise anything (2026-02-30, !!binary)
        line = unconstructible_line(yaml.compose(text))
        reason = " ".join(str(error).split()) or type(error).__name__
        where = f"{path}:{line}" if line else path
        raise StageConfigError(f"--config {where}: a value YAML cannot read ({reason}); "
                               "quote it to make it text") from None
    if isinstance(document, dict):
        for section, body in document.items():
            keys = body.keys() if isinstance(body, dict) else ()
            if not isinstance(section, str) or not all(isinstance(k, str) for k in keys):
                raise StageConfigError(f"--config {path}: {section}: keys must be text")
    return document


class ConfigAction(argparse.Action):
    """``--config FILE``: set the options the command line has left at their defaults."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        try:
            config = load_stage_config(values)
        except StageConfigError as error:
            parser.error(str(error))
        for dest, value in config.items():
            if getattr(namespace, dest) == parser.get_default(dest):
                setattr(namespace, dest, value)
        setattr(namespace, self.dest, values)
