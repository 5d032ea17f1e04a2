"""`kiyome policy check|preview|diff` as a compliance officer runs them."""

from __future__ import annotations

from kiyome.pipeline import cli
from kiyome.policies.policy import DEFAULT_POLICY

SAMPLE = "担当：佐藤 花子様（090-1234-5678）。代表は03-1234-5678です。"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_accepts_the_shipped_policy(capsys):
    code, out, _ = _run(capsys, "policy", "check", str(DEFAULT_POLICY))
    assert code == 0
    assert "OK  name=default" in out
    assert "JP_MY_NUMBER" in out


def test_check_lists_every_problem_with_its_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: '1'\nmode: anonymize\ndefault: {operator: replace}\n"
                   "entities:\n  PERSON: {operator: shred}\n  JP_MY_NUMBER: {operator: keep}\n",
                   encoding="utf-8")
    code, out, err = _run(capsys, "policy", "check", str(bad))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{bad}:6: entities/PERSON/operator: 'shred' is not allowed")
    assert lines[1].startswith(f"{bad}:7: entities/JP_MY_NUMBER: My Number must be deleted")
    assert "2 problem(s)" in err


def test_preview_shows_masked_text_and_decisions_without_values(capsys):
    code, out, _ = _run(capsys, "policy", "preview", str(DEFAULT_POLICY), "--text", SAMPLE)
    assert code == 0
    masked, table = out.split("\n\n", 1)
    assert "担当：＜氏名＞様（＜電話番号＞）" in masked
    assert "span" in table and "PERSON" in table and "PhoneRecognizer" in table
    for value in ("佐藤", "花子", "090-1234-5678"):
        assert value not in out


def test_diff_reports_what_changes(tmp_path, capsys):
    sample = tmp_path / "sample.txt"
    sample.write_text(SAMPLE, encoding="utf-8")
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    main_line = tmp_path / "main_line.yaml"
    main_line.write_text(text.replace(
        "  PHONE_NUMBER:                    # 電話番号（携帯・固定・IP 電話）/ phone numbers\n",
        "  PHONE_NUMBER:\n    allow: [{value: 03-1234-5678, reason: 代表番号}]\n"),
        encoding="utf-8")
    code, out, _ = _run(capsys, "policy", "diff", str(DEFAULT_POLICY), str(main_line),
                        "--input", str(sample))
    assert code == 0
    assert "PHONE_NUMBER: replace -> allowed" in out
    assert "1 sample document(s) handled differently" in out
    assert "03-1234-5678" not in out

