"""Property tests of the stage configuration loader (``kiyome run --config``): whatever
the file holds, the answer is exactly its values, or one line naming the file and
the field — never a traceback, never a value the schema refuses."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiyome.pipeline import cli
from kiyome.pipeline.stage_config import FIELDS, SCHEMA, StageConfigError, load_stage_config

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SCHEMA_JSON = json.loads(SCHEMA.read_text(encoding="utf-8"))
YAML_PIECES = st.sampled_from([
    ":", ": ", "- ", " ", "\n", "  ", "\t", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">",
    "&a ", "*a", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!python/name:x",
    "2026-02-30", ".nan", ".inf", "-1", "0", "1e999", "0x1F", "no", "~", "\x00", "\ufeff",
    "langid", "min_ja_ratio", "quality", "profile", "business", "web", "dedup",
    "near_dup_threshold", "near_dup_keep", "longest", "ingest", "max_chars", "write",
    "num_shards", "0.5", "1.5", "languages", "[ja, en]", "all", "num_perm", "ngram", "bands",
    "rows", "null", "cc_rounds", "max_bucket", "128",
])
yaml_like = st.lists(YAML_PIECES, max_size=40).map("".join)
any_value = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                      st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                      st.lists(st.integers(), max_size=3),
                      st.lists(st.sampled_from(["ja", "en", "zh", "JA", "j", "ja", "all"]),
                               max_size=3), st.just("all"))


def _load(text: str):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8",
                                     delete=False) as handle:
        handle.write(text)
    try:
        return load_stage_config(handle.name), handle.name
    finally:
        Path(handle.name).unlink()


def _accepts(section: str, key: str, value) -> bool:
    """What the schema says of one value, checked here without jsonschema."""
    rule = SCHEMA_JSON["properties"][section]["properties"][key]
    if key == "languages":
        return value == "all" or (isinstance(value, list) and 0 < len(value) == len(
            set(value)) and all(isinstance(code, str) and re.fullmatch("[a-z]{2,3}", code)
                                for code in value))
    if value is None:
        return "null" in rule.get("type", ())
    if key in ("bands", "rows"):
        return False  # one without the other
    if "enum" in rule:
        return isinstance(value, str) and value in rule["enum"]
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            (isinstance(value, float) and not math.isfinite(value)):
        return False
    if "integer" in rule["type"] and not (isinstance(value, int) or value.is_integer()):
        return False
    return (value >= rule.get("minimum", -math.inf) and value > rule.get("exclusiveMinimum",
                                                                          -math.inf)
            and value <= rule.get("maximum", math.inf))


@SETTINGS
@given(yaml_like)
def test_any_text_loads_or_is_one_located_line(text):
    try:
        values, _ = _load(text)
    except StageConfigError as error:
        assert "\n" not in str(error) and str(error).startswith("--config ")
        return
    assert set(values) <= set(FIELDS.values())


@SETTINGS
@given(st.sampled_from(sorted(FIELDS)), any_value)
def test_a_value_is_taken_exactly_or_refused_naming_its_field(field, value):
    section, key = field
    text = yaml.safe_dump({section: {key: value}}, allow_unicode=True)
    try:
        values, _ = _load(text)
    except StageConfigError as error:
        assert not _accepts(section, key, value), (field, value, str(error))
        assert f"{section}.{key}" in str(error) and "\n" not in str(error)
        return
    assert _accepts(section, key, value), (field, value)
    if key == "languages":
        value = None if value == "all" else frozenset(value)
    assert values == {FIELDS[field]: value}


@SETTINGS
@given(st.text(min_size=1, max_size=10), st.text(min_size=1, max_size=10), any_value)
def test_unknown_sections_and_keys_are_refused(section, key, value):
    if section in {s for s, _ in FIELDS} and (section, key) in FIELDS:
        return
    text = yaml.safe_dump({section: {key: value}}, allow_unicode=True)
    try:
        _load(text)
    except StageConfigError as error:
        assert "\n" not in str(error)
        return
    raise AssertionError(f"{section}.{key} was accepted")


@settings(max_examples=25, deadline=None, database=None)
@given(yaml_like)
def test_the_command_line_reports_a_bad_file_in_one_line(text):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8",
                                     delete=False) as handle:
        handle.write(text)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
            cli.build_parser().parse_known_args(
                ["run", "--input", "x", "--output", "y", "--config", handle.name])
    finally:
        Path(handle.name).unlink()
    assert "Traceback" not in err.getvalue()
    lines = [line for line in err.getvalue().splitlines() if line.startswith("kiyome")]
    assert len(lines) <= 1
