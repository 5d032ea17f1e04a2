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
    assert by_text["本文"]["metadata"]["title"] == "お知らせ"
    assert by_text["本文"]["metadata"]["format"] == "html"
    assert by_text["問い合わせ"]["id"] == "t-1"
    assert by_text["問い合わせ"]["metadata"]["channel"] == "web"
    assert by_text["問い合わせ"]["metadata"]["format"] == "jsonl"
    assert "text" not in by_text["問い合わせ"]["metadata"]
    assert by_text["# 手順\n本文"]["metadata"]["encoding"] == "utf-8-sig"
    for doc in docs:
        assert doc["metadata"]["size"] > 0
        assert "modified" in doc["metadata"]
    assert len(by_text["id のない行"]["id"]) == 24


def test_bad_inputs_are_rejected_with_reasons(tmp_path, stage_runner):
    paths = [
        _write(tmp_path, "binary.txt", bytes(range(256)) * 4),
        _write(tmp_path, "photo.heic", b"\x00\x00\x00\x18ftypheic"),
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


def test_legacy_japanese_encodings_are_read(tmp_path, stage_runner):
    """Before the ingestion issue CP932 was rejected as undecodable; now it is a document."""
    path = _write(tmp_path, "legacy.txt", "社外秘\r\n取扱注意".encode("cp932"))
    docs, rejected = stage_runner(Ingest(), [path])
    assert rejected == []
    assert docs[0]["text"] == "社外秘\n取扱注意"
    assert docs[0]["metadata"]["encoding"] == "cp932"


def test_ids_are_stable_across_runs(tmp_path, stage_runner):
    path = _write(tmp_path, "a.txt", "同じ内容".encode())
    first, _ = stage_runner(Ingest(), [path])
    second, _ = stage_runner(Ingest(), [path])
    assert first[0]["id"] == second[0]["id"]
