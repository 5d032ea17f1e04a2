"""A large JSONL/Parquet file is read in parts by several workers, with the same documents.

Run through Beam's real FnApiRunner with two worker processes; a tiny
``split_bytes`` makes a small fixture "large".
"""

from __future__ import annotations

import codecs
import io
import json
import shutil
import tempfile
import uuid
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from kiyome.transforms.ingest import INGEST_RANGES, INPUT_UNITS, Ingest, IngestLimits
from kiyome.transforms.ingest.split import block_lines, owned_block
from kiyome.transforms.records import REJECTED

SPLIT = 256  # bytes: every fixture below is many ranges


def _dump(element: dict, directory: str) -> None:
    """Write one output element to its own file: worker processes cannot share a list."""
    path = Path(directory) / f"{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(element, ensure_ascii=False), encoding="utf-8")


def _load(directory: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in directory.glob("*.json")]


def _run(paths: list[str], limits: IngestLimits, workers: int = 2):
    """(documents, rejections, counters) of Ingest over ``paths`` on ``workers`` processes.

    ``workers=0``: in this process (quicker, for rules that do not need parallelism).
    """
    out = Path(tempfile.mkdtemp(prefix="kiyome-split-"))
    (out / "docs").mkdir()
    (out / "rejected").mkdir()
    flags = ["--runner=FnApiRunner"]
    if workers:
        flags += ["--direct_running_mode=multi_processing", f"--direct_num_workers={workers}"]
    options = PipelineOptions(flags)
    pipeline = beam.Pipeline(options=options)
    result = pipeline | beam.Create(paths) | Ingest(limits)
    _ = result.docs | "DumpDocs" >> beam.Map(_dump, str(out / "docs"))
    _ = result[REJECTED] | "DumpRejected" >> beam.Map(_dump, str(out / "rejected"))
    outcome = pipeline.run()
    outcome.wait_until_finish()
    counters: dict[str, int] = {}
    for counter in outcome.metrics().query(MetricsFilter())["counters"]:
        name = counter.key.metric.name
        counters[name] = counters.get(name, 0) + counter.committed
    docs, rejected = _load(out / "docs"), _load(out / "rejected")
    shutil.rmtree(out)
    return docs, rejected, counters


def _by_id(docs: list[dict]) -> dict[str, dict]:
    return {doc["id"]: doc for doc in docs}


def _jsonl(count: int) -> bytes:
    lines = []
    for n in range(count):
        record = {"text": f"第{n}号の議事録です。\u2028改行を含む本文 {'あ' * (n % 7)}"}
        if n % 5 == 0:
            record["id"] = f"given-{n}"
        if n % 11 == 3:
            lines.append("")  # blank lines keep their number
        lines.append(json.dumps(record, ensure_ascii=False))
        if n % 13 == 4:
            lines.append("{broken json")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def big_jsonl(tmp_path):
    path = tmp_path / "tickets.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + _jsonl(120))
    return str(path)


def test_split_jsonl_gives_the_unsplit_documents(big_jsonl):
    whole_docs, whole_rejected, whole_counts = _run([big_jsonl], IngestLimits())
    split_docs, split_rejected, split_counts = _run([big_jsonl], IngestLimits(split_bytes=SPLIT))
    assert whole_counts.get(INGEST_RANGES, 0) == 0
    assert split_counts[INGEST_RANGES] > 10  # really many elements, not one worker's file
    assert len(whole_docs) == 120
    assert _by_id(split_docs) == _by_id(whole_docs)  # ids, text, line numbers, metadata
    assert sorted(r["id"] for r in split_rejected) == sorted(r["id"] for r in whole_rejected)
    assert {r["reason"] for r in split_rejected} == {"invalid_json"}
    assert split_counts["ingest.files"] == whole_counts["ingest.files"] == 1
    assert split_counts[INPUT_UNITS] == whole_counts[INPUT_UNITS] == 120 + len(whole_rejected)
    first = next(doc for doc in split_docs if doc["id"] == "given-0")
    assert first["text"].startswith("第0号")  # the BOM is gone from line 1 only
    assert first["metadata"]["encoding"] == "utf-8-sig"
    assert first["metadata"]["format"] == "jsonl"
    assert first["metadata"]["size"] == len(open(big_jsonl, "rb").read())


def test_split_size_never_changes_ids(tmp_path):
    path = tmp_path / "ascii.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"メモ {n}"}) for n in range(60)),
                    encoding="ascii")  # \\u escapes: ASCII, no trailing newline
    results = [_run([str(path)], IngestLimits(split_bytes=size), workers=0)[0]
               for size in (97, 300, 10_000)]
    assert results[0] and _by_id(results[0]) == _by_id(results[1]) == _by_id(results[2])
    assert {doc["metadata"]["encoding"] for doc in results[0]} == {"ascii"}


def test_non_utf8_jsonl_is_read_whole_with_its_encoding(tmp_path):
    path = tmp_path / "legacy.jsonl"
    path.write_bytes("\n".join(json.dumps({"text": f"社外秘の資料 {n}"}, ensure_ascii=False)
                               for n in range(40)).encode("cp932"))
    docs, rejected, counts = _run([str(path)], IngestLimits(split_bytes=SPLIT), workers=0)
    assert rejected == [] and len(docs) == 40
    assert counts.get(INGEST_RANGES, 0) == 0
    assert {doc["metadata"]["encoding"] for doc in docs} == {"cp932"}


def test_split_parquet_by_row_groups(tmp_path):
    path = tmp_path / "rows.parquet"
    table = pa.table({"id": [f"r{n}" if n % 3 else None for n in range(90)],
                      "text": [f"行{n}の本文" if n != 7 else None for n in range(90)]})
    pq.write_table(table, path, row_group_size=10)
    whole_docs, whole_rejected, _ = _run([str(path)], IngestLimits())
    split_docs, split_rejected, counts = _run([str(path)], IngestLimits(split_bytes=SPLIT))
    assert counts[INGEST_RANGES] > 1
    assert len(whole_docs) == 89
    assert _by_id(split_docs) == _by_id(whole_docs)
    assert [(r["reason"], r["detail"]) for r in split_rejected] == [("missing_text", {"row": 7})]
    assert split_rejected == whole_rejected
    assert counts["ingest.files"] == 1 and counts[INPUT_UNITS] == 90


def test_limits_still_apply_to_the_file_and_the_document(tmp_path, big_jsonl):
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps({"text": "長" * (40 if n == 5 else 5)})
                              for n in range(30)), encoding="utf-8")
    docs, rejected, _ = _run([str(path)], IngestLimits(split_bytes=64, max_chars=20), workers=0)
    assert len(docs) == 29
    assert [(r["reason"], r["detail"]["line"]) for r in rejected] == [("too_many_chars", "6")]
    _, rejected, counts = _run([big_jsonl], IngestLimits(split_bytes=SPLIT, max_file_bytes=1000),
                               workers=0)
    assert [r["reason"] for r in rejected] == ["file_too_large"]
    assert counts[INPUT_UNITS] == 1 and counts.get(INGEST_RANGES, 0) == 0


@pytest.mark.parametrize("split", [1, 2, 3, 5, 8, 13])
def test_ranges_own_each_line_exactly_once(split):
    data = b"ab\n\ncde\r\nf\n\n\nghij"
    handle = io.BytesIO(data)
    lines = [line for start in range(0, len(data), split)
             for line in block_lines(owned_block(handle, start, start + split))]
    assert lines == block_lines(data) == [b"ab", b"", b"cde", b"f", b"", b"", b"ghij"]
