"""A generated corpus of hostile inputs, each with the outcome a run must give it.

``build(root)`` writes the files and returns, per input name, the reasons its
rejection may carry (``DOCUMENT`` when it must reach a shard instead). Large
files are streamed to disk, never built in memory.

The unreadable file: tests run as root, so ``chmod 000`` would not stop a
read. A FIFO named ``.txt`` stands in for it: opening one for reading blocks
until a writer appears, which is exactly how an unreadable input hangs a
naive reader. A broken symlink and a symlink loop are the other two files
no one can read.

Run ``python -m tests.hostile DIR`` to write the corpus somewhere to look at it.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tarfile
import zipfile
from pathlib import Path

from tests import documents

DOCUMENT = "document"
LINES = ["社内連絡：来週の定例会議は第二会議室で行います。", "資料は前日までに共有してください。"]
MiB = 1024 * 1024


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _corrupt(data: bytes) -> bytes:
    """The first 64 bytes (signatures intact), then noise where the structure was."""
    noise = bytes((i * 131 + 17) % 256 for i in range(len(data) - 64))
    return data[:64] + noise


def _zip_bomb() -> bytes:
    """300 MiB of zeros in a ~300 kB member: stopped by the ratio limit while inflating."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("zeros.txt", "w", force_zip64=True) as member:
        block = b"\0" * MiB
        for _ in range(300):
            member.write(block)
    return buffer.getvalue()


def _nested_zip(depth: int) -> bytes:
    data = documents.txt(LINES)
    name = "memo.txt"
    for level in range(depth):
        data = documents.zip_file({name: data})
        name = f"level{level}.zip"
    return data


def _stream(path: Path, chunk: bytes, total: int) -> None:
    with path.open("wb") as handle:
        written = 0
        while written < total:
            handle.write(chunk)
            written += len(chunk)


def build(root: Path) -> dict[str, set[str]]:
    """Write the hostile corpus under ``root``; input name -> acceptable outcomes."""
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, set[str]] = {}

    def put(name: str, data: bytes, *outcomes: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = set(outcomes)

    for ext in (".pdf", ".docx", ".xlsx", ".pptx"):
        good = documents.BUILDERS[ext](LINES)
        put(f"truncated{ext}", _truncate(good), "corrupt")
        put(f"corrupt{ext}", _corrupt(good), "corrupt")
        put(f"empty{ext}", b"", "corrupt")
    put("zip_bomb.zip", _zip_bomb(), "archive_ratio")
    put("nested_ok.zip", _nested_zip(3), DOCUMENT)
    put("nested_deep.zip", _nested_zip(6), "archive_too_deep")
    put("truncated.zip", _truncate(documents.zip_file({"a.txt": documents.txt(LINES)})),
        "corrupt")
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        info = tarfile.TarInfo("memo.txt")
        info.size = 10
        archive.addfile(info, io.BytesIO(b"0123456789"))
    put("truncated.tar.gz", _truncate(tar.getvalue()), "corrupt")
    put("empty.zip", documents.zip_file({}), "empty_archive")
    put("not_gzip.gz", b"plain text, not gzip", "corrupt")

    _stream(root / "huge.txt", ("大きなファイルの一行です。" * 8 + "\n").encode("utf-8"),
            200 * MiB)
    expected["huge.txt"] = {"too_many_chars"}
    _stream(root / "long_line.txt", b"x" * MiB, 10 * MiB)
    expected["long_line.txt"] = {"too_many_chars"}
    with (root / "long_line.jsonl").open("wb") as handle:
        handle.write(b'{"text": "')
        for _ in range(10):
            handle.write("長".encode() * (MiB // 3))
        handle.write(b'"}')  # no newline at the end either
    # 3.5 M characters on one line, under the 5 M limit: read, masked and written.
    # Repetitive on purpose: the quality filter may drop it as filler, after it was read.
    # One kanji repeated holds no Japanese evidence (長長 is a Chinese word, 长长), so
    # language ID may take it for Chinese, also after it was read.
    expected["long_line.jsonl"] = {DOCUMENT, "high_top4gram_share", "lang_not_allowed"}

    put("binary.txt", bytes(range(256)) * 64, "undecodable")
    put("invalid_utf8.txt", "会議は".encode() + b"\xff\xfe\xc3\x28" * 50 + "です".encode(),
        "undecodable")
    put("mixed_encodings.txt", "前半はUTF-8です。".encode() * 20
        + "後半はShift_JISです。".encode("cp932") * 20, "undecodable")
    # NUL bytes are control characters: normalize drops them and the text is kept.
    put("nul_bytes.txt", "会議\x00の\x00議事録\x00です。".encode() * 50, DOCUMENT)
    expected["nul_bytes.txt"].add("high_top4gram_share")  # the same sentence 50 times
    put("lone_surrogate.jsonl",
        b'{"text": "\\ud800 \xe4\xbc\x9a\xe8\xad\xb0\xe3\x81\xae\xe8\xa8\x98\xe9\x8c\xb2"}\n'
        b'{"text": "ok", "meta": "\\udfff"}\n', "invalid_text")
    put("bad.json", b'{"text": "unterminated', "invalid_json")
    put("nested.html", b"<div>" * 200_000 + "深い入れ子の本文です。".encode() + b"</div>" * 200_000,
        DOCUMENT)
    put("empty.txt", b"", "empty")
    put("empty.jsonl", b"", "no_documents")
    put("whitespace.txt", b" \n\t\n", "empty")
    put("legacy.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "legacy_office_format")
    put("unknown.bin", b"\0\1\2", "unsupported_format")

    os.symlink("loop_b.txt", root / "loop_a.txt")
    os.symlink("loop_a.txt", root / "loop_b.txt")
    expected["loop_a.txt"] = expected["loop_b.txt"] = {"symlink_loop"}
    os.symlink("missing-target.txt", root / "dangling.txt")
    expected["dangling.txt"] = {"unreadable"}
    os.mkfifo(root / "fifo.txt")
    expected["fifo.txt"] = {"not_a_regular_file"}
    put("good.txt", documents.txt(["ご連絡：健康診断は来月の第一週に実施します。"]), DOCUMENT)
    put("good.jsonl", json.dumps({"text": "週報：今週は新人研修の準備を進めました。"},
                                 ensure_ascii=False).encode() + b"\n", DOCUMENT)
    compressed = documents.txt(["圧縮された社内文書です。内容は研修の案内です。"])
    put("good.txt.gz", gzip.compress(compressed), DOCUMENT)
    return expected


if __name__ == "__main__":
    for name, outcomes in sorted(build(Path(sys.argv[1])).items()):
        print(name, ",".join(sorted(outcomes)))
