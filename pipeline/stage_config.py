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
The MinHash shape (permutations, n-gram size) must match across runs for
``--dedup-against``; a shape that cannot work (``bands * rows > num_perm``, one of
bands and rows without the other) is refused in one line (:func:`dedup_shape_problem`).
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
    ("langid", "languages"): "languages",
    ("langid", "min_ja_ratio"): "min_ja_ratio",
    ("quality", "profile"): "quality_profile",
    ("dedup", "near_dup_threshold"): "near_dup_threshold",
    ("dedup", "near_dup_keep"): "near_dup_keep",
    ("dedup", "num_perm"): "num_perm",
    ("dedup", "ngram"): "ngram",
    ("dedup", "bands"): "bands",
    ("dedup", "rows"): "rows",
    ("dedup", "cc_rounds"): "cc_rounds",
    ("dedup", "max_bucket"): "max_bucket",
    ("ingest", "max_file_mb"): "max_file_mb",
    ("ingest", "max_chars"): "max_chars",
    ("ingest", "split_mb"): "split_mb",
    ("write", "num_shards"): "num_shards",
    ("write", "shard_size_mb"): "shard_size_mb",
    ("write", "row_group_mb"): "row_group_mb",
}


#: MinHash shape of a run that sets none of it (transforms/dedup/near.py NearDedup).
SHAPE_DEFAULTS = {"num_perm": 128, "ngram": 5, "bands": None, "rows": None}


class StageConfigError(ValueError):
    """The file cannot be used: one line naming the file and the field."""


def dedup_shape_problem(num_perm: int, ngram: int, bands: int | None,
                        rows: int | None) -> str | None:
    """Why a MinHash shape cannot work, in words, or None when it can.

    >>> dedup_shape_problem(128, 5, None, None) is None
    True
    >>> dedup_shape_problem(64, 5, 16, 8)
    'bands x rows = 16 x 8 = 128 is more than num_perm = 64 (each band reads rows values)'
    >>> dedup_shape_problem(128, 5, 16, None)
    'bands and rows go together: give both, or neither to derive them from the threshold'
    """
    if ngram < 1 or num_perm < 1:
        return f"num_perm ({num_perm}) and ngram ({ngram}) must be at least 1"
    if (bands is None) != (rows is None):
        return "bands and rows go together: give both, or neither to derive them from the threshold"
    if bands is not None and rows is not None:
        if bands < 1 or rows < 1:
            return f"bands ({bands}) and rows ({rows}) must be at least 1"
        if bands * rows > num_perm:
            return (f"bands x rows = {bands} x {rows} = {bands * rows} is more than "
                    f"num_perm = {num_perm} (each band reads rows values)")
    return None


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
        problem = problems[0]
        where = ".".join(str(p) for p in problem.absolute_path) or "(top level)"
        custom = problem.schema.get("x-message") if problem.validator == "anyOf" else None
        message = " ".join((f"{problem.instance!r}: {custom}" if custom
                            else problem.message).split())
        raise StageConfigError(f"--config {path}: {where}: {message}")
    values = {}
    for (section, key), dest in FIELDS.items():
        if key in data.get(section, {}):
            value = data[section][key]
            rule = schema["properties"][section]["properties"][key]
            if isinstance(value, float) and not math.isfinite(value):  # NaN passes bounds
                raise StageConfigError(f"--config {path}: {section}.{key}: {value} is not "
                                       "a finite number")
            values[dest] = _value(dest, value, rule)
    given = [key for key in SHAPE_DEFAULTS if key in values]
    problem = dedup_shape_problem(**{**SHAPE_DEFAULTS, **{key: values[key] for key in given}})
    if problem:
        where = ", ".join(f"dedup.{key}" for key in given)
        raise StageConfigError(f"--config {path}: {where}: {problem}")
    return values


def _value(dest: str, value: Any, rule: dict[str, Any]) -> Any:
    """A validated file value as the command line's option holds it."""
    if dest == "languages":  # all -> None, a list -> frozenset, as --languages gives
        return None if value == "all" else frozenset(value)
    types = rule.get("type", ())
    if value is not None and "integer" in ([types] if isinstance(types, str) else types):
        return int(value)
    return value


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
