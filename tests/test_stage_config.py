"""The stage configuration file: defaults match the command line, validation, flags override."""

from __future__ import annotations

import json

import pytest

from kiyome.pipeline.cli import build_parser
from kiyome.pipeline.stage_config import DEFAULTS_FILE, FIELDS, SCHEMA, load_stage_config

BASE = ["run", "--input", "in", "--output", "out"]


def _parse(*extra: str):
    args, _ = build_parser().parse_known_args([*BASE, *extra])
    return args


def test_the_repository_file_holds_every_field_at_its_command_line_default():
    config = load_stage_config(str(DEFAULTS_FILE))
    assert set(config) == set(FIELDS.values())
    defaults = _parse()
    assert {dest: getattr(defaults, dest) for dest in config} == config


def test_every_field_is_documented_in_the_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    documented = {(section, key): spec["description"]
                  for section, body in schema["properties"].items()
                  for key, spec in body["properties"].items()}
    assert set(documented) == set(FIELDS) and all(documented.values())


def test_file_sets_options_and_flags_override_it_before_or_after(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("dedup: {near_dup_threshold: 0.7}\nquality: {profile: web}\n")
    args = _parse("--config", str(path))
    assert (args.near_dup_threshold, args.quality_profile) == (0.7, "web")
    for order in (("--near-dup-threshold", "0.9", "--config", str(path)),
                  ("--config", str(path), "--near-dup-threshold", "0.9")):
        args = _parse(*order)
        assert (args.near_dup_threshold, args.quality_profile) == (0.9, "web")


@pytest.mark.parametrize(("content", "field"), [
    ("dedup: {near_dup_treshold: 0.7}\n", "dedup"),
    ("quality: {profile: strict}\n", "quality.profile"),
    ("ingest: {max_chars: -3}\n", "ingest.max_chars"),
    ("policy: default\n", "(top level)"),
])
def test_a_bad_file_stops_with_the_field_named(tmp_path, capsys, content, field):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(SystemExit) as stopped:
        _parse("--config", str(path))
    assert stopped.value.code == 2
    assert f"--config {path}: {field}" in capsys.readouterr().err
