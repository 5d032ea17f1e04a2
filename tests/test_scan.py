"""Canary scan (pipeline/scan.py, ``kiyome scan``): finds what it should, reports counts only."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kiyome.pipeline import cli, scan

MY_NUMBER = "123456789018"
CORPORATE = "8700110005901"
EMAIL = "hanako.sato@example.co.jp"
PHONE = "090-1234-5678"
CARD = "4111 1111 1111 1111"
LEAKY = {
    "JP_MY_NUMBER": f"マイナンバー：{MY_NUMBER}",
    "JP_CORPORATE_NUMBER": f"法人番号 {CORPORATE}",
    "EMAIL_ADDRESS": f"連絡はメール{EMAIL}まで",
    "PHONE_NUMBER": f"携帯は{PHONE}です",
    "CREDIT_CARD": f"カード番号 {CARD}",
}
VALUES = (MY_NUMBER, CORPORATE, EMAIL, PHONE, CARD, "hanako")
CLEAN = [
    "担当：＜氏名＞ ＜電話番号＞ ＜メールアドレス＞ ＜個人番号＞",
    f"注文番号 {MY_NUMBER} の納期",           # a checksum-valid number without its keyword
    "価格 12,345円、v10.0.1234、2026-03-02 の会議",
]


@pytest.mark.parametrize("entity", sorted(LEAKY))
def test_each_entity_is_found_next_to_its_evidence(entity):
    assert scan.scan_texts([LEAKY[entity]]) == {entity: 1}


def test_placeholders_and_hard_negatives_are_not_findings():
    assert scan.scan_texts(CLEAN) == {}


def _write_shard(output: Path, rows: list[dict], name: str = "part-00000-of-00001.parquet"):
    shards = output / "shards"
    shards.mkdir(parents=True, exist_ok=True)
    table = pa.table({"id": [str(i) for i in range(len(rows))],
                      "text": [row["text"] for row in rows],
                      "source": ["file:///x.txt"] * len(rows),
                      "metadata": [json.dumps(row.get("metadata", {}), ensure_ascii=False)
                                   for row in rows]})
    pq.write_table(table, shards / name, compression="zstd")


def test_shards_are_scanned_in_text_and_metadata_and_reported_per_shard(tmp_path):
    _write_shard(tmp_path, [{"text": CLEAN[0]},
                            {"text": LEAKY["EMAIL_ADDRESS"]},
                            {"text": "本文", "metadata": {"from": LEAKY["PHONE_NUMBER"]}}])
    _write_shard(tmp_path, [{"text": CLEAN[1]}], name="part-00001-of-00002.parquet")
    result = scan.summary(str(tmp_path))
    assert result["shards"] == [
        {"path": "shards/part-00000-of-00001.parquet", "rows": 3,
         "found": {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}},
        {"path": "shards/part-00001-of-00002.parquet", "rows": 1, "found": {}}]
    assert result["found"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    assert result["clean"] is False
    reported = json.dumps(result, ensure_ascii=False)
    assert not any(value in reported for value in VALUES)


def test_kiyome_scan_exit_codes_and_output_never_hold_values(tmp_path, capsys):
    dirty, clean, empty = tmp_path / "dirty", tmp_path / "clean", tmp_path / "empty"
    _write_shard(dirty, [{"text": text} for text in LEAKY.values()])
    _write_shard(clean, [{"text": text} for text in CLEAN])
    empty.mkdir()
    assert cli.main(["scan", str(dirty)]) == 1
    out = capsys.readouterr().out
    assert "shards/part-00000-of-00001.parquet: 5 rows" in out
    assert all(entity in out for entity in LEAKY)
    assert not any(value in out for value in VALUES)
    assert cli.main(["scan", str(clean)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "scan: clean"
    assert cli.main(["scan", str(empty)]) == 2
    assert "no shards" in capsys.readouterr().err


def test_entities_the_policy_keeps_are_not_findings(tmp_path, capsys):
    from kiyome.policies.policy import load_policy

    _write_shard(tmp_path, [{"text": LEAKY["JP_CORPORATE_NUMBER"]}])
    assert scan.summary(str(tmp_path))["found"] == {"JP_CORPORATE_NUMBER": 1}
    result = scan.summary(str(tmp_path), load_policy())  # the default keeps company numbers
    assert result["kept_by_policy"] == ["JP_CORPORATE_NUMBER"] and result["clean"]
    assert cli.main(["scan", str(tmp_path), "--policy", "default"]) == 0
    assert cli.main(["scan", str(tmp_path), "--policy", "strict"]) == 1
