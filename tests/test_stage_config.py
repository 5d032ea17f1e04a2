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
    path, err = _refused(tmp_path, capsys, content)
    assert f"--config {path}: {field}" in err


def _refused(tmp_path, capsys, content: str):
    """Parse ``--config`` of a file holding ``content``: it must stop with exit 2;
    (the file, what it printed)."""
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(SystemExit) as stopped:
        _parse("--config", str(path))
    assert stopped.value.code == 2
    return path, capsys.readouterr().err


def test_the_file_sets_the_minhash_shape_and_languages(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("langid: {languages: [ja, en]}\n"
                    "dedup: {num_perm: 64, ngram: 4, bands: 8, rows: 8, cc_rounds: 12,"
                    " max_bucket: 50}\n")
    args = _parse("--config", str(path))
    assert args.languages == frozenset({"ja", "en"})
    assert (args.num_perm, args.ngram, args.bands, args.rows) == (64, 4, 8, 8)
    assert (args.cc_rounds, args.max_bucket) == (12, 50)
    path.write_text("langid: {languages: all}\n")
    assert _parse("--config", str(path)).languages is None
    args = _parse("--config", str(path), "--languages", "ja,zh", "--num-perm", "256")
    assert (args.languages, args.num_perm) == (frozenset({"ja", "zh"}), 256)


@pytest.mark.parametrize(("content", "says"), [
    ("dedup: {bands: 16}\n", "dedup.bands: bands and rows go together"),
    ("dedup: {num_perm: 64, bands: 16, rows: 8}\n",
     "dedup.num_perm, dedup.bands, dedup.rows: bands x rows = 16 x 8 = 128 is more than "
     "num_perm = 64"),
    ("dedup: {bands: 20, rows: 8}\n",
     "dedup.bands, dedup.rows: bands x rows = 20 x 8 = 160 is more than num_perm = 128"),
    ("dedup: {ngram: 0}\n", "dedup.ngram: 0 is less than the minimum of 1"),
    ("dedup: {num_perm: 2.5}\n", "dedup.num_perm: 2.5 is not of type 'integer'"),
    ("dedup: {max_bucket: 1}\n", "dedup.max_bucket: 1 is less than the minimum of 2"),
    ("langid: {languages: ja}\n", "langid.languages: 'ja': expected all, or a list"),
    ("langid: {languages: []}\n", "langid.languages: []: expected all, or a list"),
    ("langid: {languages: [ja, Japanese]}\n", "langid.languages: ['ja', 'Japanese']: expected"),
])
def test_a_shape_that_cannot_work_is_one_line_naming_the_fields(tmp_path, capsys, content, says):
    path, err = _refused(tmp_path, capsys, content)
    assert f"--config {path}: {says}" in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("kiyome")]) == 1


@pytest.mark.parametrize(("flags", "says"), [
    (["--bands", "16"], "bands and rows go together"),
    (["--num-perm", "64", "--bands", "16", "--rows", "8"], "16 x 8 = 128 is more than num_perm"),
    (["--ngram", "0"], "--ngram must be in [1, 64], got 0"),
    (["--num-perm", "0"], "--num-perm must be in [1, 1024], got 0"),
    (["--cc-rounds", "0"], "--cc-rounds must be in [1, 64], got 0"),
    (["--max-bucket", "1"], "--max-bucket must be at least 2, got 1"),
])
def test_flags_and_file_together_are_checked_before_any_reading(tmp_path, capsys, flags, says):
    from kiyome.pipeline.cli import main

    source = tmp_path / "in.txt"
    source.write_text("本文です。", encoding="utf-8")
    output = tmp_path / "out"
    assert main(["run", "--input", str(source), "--output", str(output), *flags]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert not output.exists()


def test_file_rows_with_a_flag_num_perm_too_small_is_refused(tmp_path, capsys):
    from kiyome.pipeline.cli import main

    config = tmp_path / "run.yaml"
    config.write_text("dedup: {bands: 16, rows: 8}\n")
    source = tmp_path / "in.txt"
    source.write_text("本文です。", encoding="utf-8")
    code = main(["run", "--input", str(source), "--output", str(tmp_path / "out"),
                 "--config", str(config), "--num-perm", "100"])
    assert code == 2 and "128 is more than num_perm = 100" in capsys.readouterr().err


def test_the_shape_reaches_near_dedup_and_the_manifest_options():
    from kiyome.pipeline.graph import RunConfig, near_dedup, stages
    from kiyome.pipeline.manifest import dedup_shape
    from kiyome.policies.policy import load_policy
    from kiyome.transforms.dedup.near import NearDedup

    config = RunConfig((), "out", load_policy("default"), num_perm=64, ngram=3, bands=8,
                       rows=4, near_dup_cc_rounds=5, max_bucket=77)
    near = next(stage for _, stage in stages(config) if isinstance(stage, NearDedup))
    assert (near.num_perm, near.ngram, near.bands, near.rows) == (64, 3, 8, 4)
    assert (near.cc_rounds, near.max_bucket) == (5, 77)
    assert dedup_shape(config) == {"num_perm": 64, "ngram": 3, "bands": 8, "rows": 4,
                                   "bands_derived": False, "cc_rounds": 5, "max_bucket": 77}
    derived = near_dedup(RunConfig((), "out", load_policy("default"), num_perm=256))
    assert derived.bands * derived.rows <= 256 and (derived.bands, derived.rows) != (16, 8)
