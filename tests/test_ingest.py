"""Ingest: every file becomes documents or a rejection with a reason, never a crash."""

from __future__ import annotations

import json

from kiyome.transforms.ingest import Ingest


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_reads_each_format(tmp_path, stage_runner):
    paths = [
        _write(tmp_path, "memo.txt", "社内連絡です。".encode()),
        _write(tmp_path, "guide.md", "# 手順\n本文".encode("utf-8-sig")),
        _write(tmp_path, "page.html",
               "<title>お知らせ</title><nav>メニュー</nav><p>本文</p>".encode()),
        _write(tmp_path, "tickets.jsonl", "\n".join([
            json.dumps({"id": "t-1", "text": "問い合わせ", "channel": "web"}, ensure_ascii=False),
            json.dumps({"text": "id のない行"}, ensure_ascii=False),
        ]).encode()),
    ]
    docs, rejected = stage_runner(Ingest(), paths)
    assert rejected == []
    by_text = {doc["text"]: doc for doc in docs}
    assert set(by_text) == {"社内連絡です。", "# 手順\n本文", "本文", "問い合わせ", "id のない行"}
    assert by_text["本文"]["metadata"] == {"title": "お知らせ"}
    assert by_text["問い合わせ"]["id"] == "t-1"
    assert by_text["問い合わせ"]["metadata"] == {"channel": "web"}
    assert len(by_text["id のない行"]["id"]) == 24


def test_bad_inputs_are_rejected_with_reasons(tmp_path, stage_runner):
    paths = [
        _write(tmp_path, "legacy.txt", "社外秘".encode("cp932")),
        _write(tmp_path, "scan.pdf", b"%PDF-1.4"),
        _write(tmp_path, "broken.jsonl", b'{"text": "ok"}\n{not json\n{"body": "no text"}\n'),
    ]
    docs, rejected = stage_runner(Ingest(), paths)
    assert [doc["text"] for doc in docs] == ["ok"]
    reasons = sorted((record["reason"], record["detail"].get("line")) for record in rejected)
    assert reasons == [("invalid_json", 2), ("missing_text", 3), ("undecodable", None),
                       ("unsupported_format", None)]
    for record in rejected:
        assert set(record) == {"id", "source", "stage", "reason", "detail"}
        assert record["stage"] == "ingest"


def test_ids_are_stable_across_runs(tmp_path, stage_runner):
    path = _write(tmp_path, "a.txt", "同じ内容".encode())
    first, _ = stage_runner(Ingest(), [path])
    second, _ = stage_runner(Ingest(), [path])
    assert first[0]["id"] == second[0]["id"]
