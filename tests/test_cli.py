"""The command line refuses bad usage in one line, before reading any document."""

from __future__ import annotations

import pytest

from kiyome.pipeline import cli


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    return code, capsys.readouterr().err


def test_missing_input_is_a_one_line_error(tmp_path, capsys):
    code, err = _run(capsys, ["run", "--input", str(tmp_path / "nope"), "--output",
                              str(tmp_path / "out")])
    assert code == 2
    assert err.strip().splitlines() == [f"kiyome: error: --input {tmp_path / 'nope'}: "
                                        "no such file or directory"]
    assert not (tmp_path / "out").exists()


def test_bad_policy_is_refused_before_reading(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("本文", encoding="utf-8")
    policy = tmp_path / "p.yaml"
    policy.write_text("name: p\nversion: '1'\nmode: anonymize\ndefault: {operator: replace}\n"
                      "entities: {JP_MY_NUMBER: {operator: keep}}\n", encoding="utf-8")
    code, err = _run(capsys, ["run", "--input", str(corpus), "--output", str(tmp_path / "out"),
                              "--policy", str(policy)])
    assert code == 2
    assert "番号法" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_unknown_stage_cannot_be_skipped(tmp_path, capsys):
    code, err = _run(capsys, ["run", "--input", str(tmp_path), "--output", str(tmp_path),
                              "--skip", "pii"])
    assert code == 2
    assert "invalid choice: 'pii'" in err


def test_earlier_output_needs_overwrite(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("本文", encoding="utf-8")
    out = tmp_path / "out"
    (out / "shards").mkdir(parents=True)
    code, err = _run(capsys, ["run", "--input", str(corpus), "--output", str(out)])
    assert code == 2
    assert "--overwrite" in err


def test_stray_positional_argument_is_refused(tmp_path, capsys):
    code, err = _run(capsys, ["run", "--input", str(tmp_path), "--output", str(tmp_path),
                              "--runner", "FnApiRunner", "stray"])
    assert code == 2
    assert "unexpected argument 'stray'" in err


@pytest.mark.parametrize("value", ["ja", "ja,en", "all"])
def test_languages_option_parses(value):
    args, _ = cli.build_parser().parse_known_args(
        ["run", "--input", "x", "--output", "y", "--languages", value])
    assert args.languages == cli.parse_languages(value)
