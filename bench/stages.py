"""Single-stage benchmarks: Kiyome's stage and its reference, alternately, on one core.

    .venv/bin/python -m bench.stages STAGE POOL_JSONL [--docs N] [--rounds R]

STAGE is ``langid``, ``minhash``, ``pii`` or ``parquet``. Prints one JSON dict.
The orchestrator (``python -m bench``) runs each stage in its own process, so
one stage's models never inflate the next one's memory.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from bench.measure import Side, alternate, chars_of, paired_ratio, pin_one_core, rate
from kiyome.pipeline import _quiet  # noqa: F401  (before anything imports Beam)


def compare(ours: Side, theirs: Side, docs: int, chars: int, reference: str) -> dict:
    """The figures every stage reports: rates per core of both sides and their ratio."""
    return {
        "docs": docs,
        "chars": chars,
        "rounds": len(ours.seconds),
        "kiyome": {"chars_per_s_per_core": round(rate(chars, ours.best)),
                   "docs_per_s_per_core": round(rate(docs, ours.best), 1),
                   "peak_rss_mb": round(ours.peak_rss_mb)},
        "reference": {"name": reference,
                      "chars_per_s_per_core": round(rate(chars, theirs.best)),
                      "docs_per_s_per_core": round(rate(docs, theirs.best), 1),
                      "peak_rss_mb": round(theirs.peak_rss_mb)},
        "ratio": round(paired_ratio(ours, theirs), 3),
    }


def japanese(texts: list[str]) -> list[str]:
    """The texts lid.176 calls Japanese: what reaches dedup, PII and the writer."""
    from kiyome.transforms.langid import identify, load_model

    model = load_model()
    return [text for text in texts if identify(model, text)[0] == "ja"]


def bench_langid(texts: list[str], rounds: int) -> dict:
    """``identify`` (NFKC key text + predict) against raw ``fasttext`` ``predict``.

    The reference gets the one change raw ``predict`` needs: no newlines.
    """
    from kiyome.transforms.langid import identify, load_model

    model = load_model()
    raw = [text.replace("\n", " ") for text in texts]
    sides = alternate({
        "kiyome": lambda: [identify(model, text) for text in texts],
        "fasttext": lambda: [model.predict(text, k=1) for text in raw],
    }, rounds)
    return compare(sides["kiyome"], sides["fasttext"], len(texts), chars_of(texts),
                   "fasttext predict (lid.176.ftz)")


def _first(result: dict, *keys: str):
    """The first of ``keys`` present: bench/minhash.py's keys may change as it evolves."""
    return next((result[key] for key in keys if key in result), None)


def bench_minhash(texts: list[str], rounds: int, docs: int, chars: int = 1000) -> dict:
    """bench/minhash.py (owned by the dedup engineer) on this corpus, its keys tolerated.

    It times all of its side's rounds, then all of datasketch's; so it is called
    ``rounds`` times with one repeat each and the median of the calls' ratios is
    kept, which a neighbour's burst of load moves far less than one call.
    """
    from bench import minhash
    from bench.measure import peak_mb

    calls = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, text in enumerate(texts):
            Path(tmp, f"{index:05d}.txt").write_text(text, encoding="utf-8")
        argv = ["minhash.py", tmp, "--docs", str(docs), "--chars", str(chars), "--repeat", "1"]
        for _ in range(rounds):
            out = io.StringIO()
            saved = sys.argv
            try:
                sys.argv = argv
                with contextlib.redirect_stdout(out):
                    minhash.main()
            finally:
                sys.argv = saved
            calls.append(json.loads(out.getvalue()))
    ours = [_first(c, "kiyome_docs_per_s", "kiyome_docs_per_s_per_core") for c in calls]
    theirs = [_first(c, "datasketch_update_batch_docs_per_s", "datasketch_docs_per_s")
              for c in calls]
    ratios = [_first(c, "ratio_vs_datasketch", "minhash_vs_datasketch", "ratio") for c in calls]
    ratios = [r if r is not None else (o / t if o and t else None)
              for r, o, t in zip(ratios, ours, theirs, strict=True)]
    known = [float(r) for r in ratios if r is not None]
    per_doc = _first(calls[-1], "chars_per_doc") or chars
    n_docs = _first(calls[-1], "docs") or docs
    best_ours = max((o for o in ours if o), default=None)
    best_theirs = max((t for t in theirs if t), default=None)
    return {
        "docs": n_docs, "chars": n_docs * per_doc, "rounds": rounds,
        "kiyome": {"chars_per_s_per_core": round(best_ours * per_doc) if best_ours else None,
                   "docs_per_s_per_core": best_ours, "peak_rss_mb": round(peak_mb())},
        "reference": {"name": "datasketch MinHash.update_batch (xxh32)",
                      "chars_per_s_per_core": round(best_theirs * per_doc)
                      if best_theirs else None,
                      "docs_per_s_per_core": best_theirs, "peak_rss_mb": round(peak_mb())},
        "ratio": round(statistics.median(known), 3) if known else None,
        "ratios_per_call": known,
        "bench_minhash_py": calls[-1],
    }


def bench_pii(texts: list[str], rounds: int) -> dict:
    """The PII stage as the pipeline runs it (default policy: detection, decisions and
    masking, documents in batches of ``MAX_BATCH``) against Presidio + GiNZA
    ``analyze()`` per document. Also records the share of characters GiNZA's NER read."""
    from bench.pii_stage import mask_in_batches, plain_presidio
    from kiyome.policies.policy import load_policy
    from kiyome.transforms.pii.mask import Masker

    masker = Masker(load_policy())
    reference = plain_presidio()
    sides = alternate({
        "kiyome": lambda: mask_in_batches(masker, texts),
        "presidio": lambda: [reference.analyze(text, language="ja") for text in texts],
    }, rounds)
    result = compare(sides["kiyome"], sides["presidio"], len(texts), chars_of(texts),
                     "Presidio AnalyzerEngine + ja_ginza, analyze() per document")
    detector = masker.detector
    result["ner"] = {"mode": detector.ner, "chars": detector.chars,
                     "ner_chars": detector.ner_chars,
                     "ner_share": round(detector.ner_chars / max(detector.chars, 1), 4)}
    return result


def shard_docs(records: list[dict], counter=None) -> list[dict]:
    """Documents as the writer receives them: masked, tagged, deduplicated, and with
    ``n_tokens`` when ``counter`` is given (the PII stage counts as it masks)."""
    return [{"id": r["id"], "text": r["text"], "source": f"file:///bench/{r['id']}",
             "lang": "ja", "lang_score": 0.99,
             "pii_counts": {entity: 1 for entity in r.get("planted", [])},
             "metadata": {"package": r["id"].split("/", 1)[0]},
             "dup_cluster": r["id"], "dup_cluster_size": 1,
             **({"n_tokens": counter.count(r["text"])} if counter is not None else {})}
            for r in records]


def bench_parquet(records: list[dict], rounds: int) -> dict:
    """Kiyome's shard writer (rows in schema order, sorted, zstd level 3, no dictionary on
    text) against ``pyarrow.parquet.write_table`` of the same rows with the same
    settings (and, beside it, with pyarrow's defaults).

    Documents arrive as the PII stage hands them, ``n_tokens`` already counted (its
    Sudachi pass read the text). Also timed apart: the ``n_tokens`` count alone (paid
    in the PII stage) and the writer counting for itself, as it does for documents
    that arrive without a count.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kiyome.policies.policy import load_policy
    from kiyome.schemas.shard import SHARD_SCHEMA, to_row
    from kiyome.transforms import shard_chunks as chunked
    from kiyome.transforms.tokens import MorphemeCounter
    from kiyome.transforms.write import ShardLayout, ToRow, file_metadata, shard_parquet_options

    policy = load_policy()
    schema = SHARD_SCHEMA.with_metadata(file_metadata(policy))
    tokenizer = MorphemeCounter()
    docs = shard_docs(records, tokenizer)
    uncounted = shard_docs(records)
    layout = ShardLayout()
    to_rows = ToRow(policy.content_hash, layout)
    to_rows.setup()
    rows = [to_row(doc, policy.content_hash, n_tokens=doc["n_tokens"]) for doc in docs]
    with tempfile.TemporaryDirectory() as tmp:
        options = shard_parquet_options(layout, schema)

        def write_shard(keyed: list[dict], chunk_chars: int = layout.chunk_chars) -> None:
            """What WriteShards' steps do to one shard: sorted chunks, then assembly."""
            chunks = chunked.chunk_count(sum(len(row["text"]) for row in keyed), chunk_chars)
            by_chunk: dict[int, list[dict]] = {}
            for row in keyed:
                by_chunk.setdefault(chunked.chunk_of(row["id"], chunks), []).append(row)
            tables = (chunked.sorted_table(by_chunk[chunk], schema) for chunk in sorted(by_chunk))
            row_group_bytes = int(layout.row_group_mb * chunked.MB)
            if chunks == 1:  # written at once
                chunked.write_file(f"{tmp}/kiyome.parquet", tables, schema, row_group_bytes,
                                   options)
                return
            paths = [chunked.write_chunk(table, tmp, f"chunk-{chunk}")
                     for chunk, table in zip(sorted(by_chunk), tables, strict=True)]
            chunked.assemble_file(paths, f"{tmp}/kiyome.parquet", schema, row_group_bytes,
                                  options)

        def ours() -> None:
            write_shard([row for _, row in (item for doc in docs
                                            for item in to_rows.process(doc))])

        def ours_one_chunk() -> None:  # a shard that fits one chunk: written at once
            write_shard([row for _, row in (item for doc in docs
                                            for item in to_rows.process(doc))],
                        chunk_chars=10**12)

        def ours_counting() -> None:  # documents that arrive without n_tokens
            write_shard([row for _, row in (item for doc in uncounted
                                            for item in to_rows.process(doc))])

        def reference() -> None:
            table = pa.Table.from_pylist(rows, schema=schema)
            pq.write_table(table, f"{tmp}/reference.parquet", compression="zstd")

        def reference_same_settings() -> None:  # the writer's zstd level 3, no dict on text
            table = pa.Table.from_pylist(rows, schema=schema)
            pq.write_table(table, f"{tmp}/reference3.parquet", compression="zstd",
                           compression_level=layout.compression_level,
                           use_dictionary=[n for n in schema.names if n != "text"])

        sides = alternate({"kiyome": ours, "kiyome_one_chunk": ours_one_chunk,
                           "pyarrow": reference,
                           "pyarrow_writer_settings": reference_same_settings,
                           "kiyome_counting_n_tokens": ours_counting,
                           "n_tokens_only": lambda: [tokenizer.count(d["text"]) for d in docs]},
                          rounds)
    texts = [doc["text"] for doc in docs]
    # The headline reference encodes exactly what the writer encodes (zstd level 3, no
    # dictionary on text); pyarrow's defaults (zstd level 1) are reported beside it.
    result = compare(sides["kiyome"], sides["pyarrow_writer_settings"], len(texts),
                     chars_of(texts),
                     "pyarrow.parquet.write_table of the same rows, the writer's settings "
                     "(zstd level 3, no dictionary on text)")
    result["ratio_pyarrow_defaults"] = round(paired_ratio(sides["kiyome"], sides["pyarrow"]), 3)
    # The same rows as one chunk: no round trip through temporary chunk files.
    result["chunks"] = chunked.chunk_count(chars_of(texts), layout.chunk_chars)
    result["ratio_one_chunk"] = round(paired_ratio(sides["kiyome_one_chunk"],
                                                   sides["pyarrow_writer_settings"]), 3)
    result["breakdown_s"] = {name: round(side.best, 4) for name, side in sides.items()}
    result["ratio_counting_n_tokens"] = round(
        paired_ratio(sides["kiyome_counting_n_tokens"], sides["pyarrow"]), 3)
    result["n_tokens_share_when_counting"] = round(
        sides["n_tokens_only"].best / sides["kiyome_counting_n_tokens"].best, 3)
    return result


def load_pool(path: Path, docs: int) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:docs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=("langid", "minhash", "pii", "parquet"))
    parser.add_argument("pool", type=Path, help="pool.jsonl written by bench.corpus")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    core = pin_one_core()
    records = load_pool(args.pool, args.docs)
    texts = [record["text"] for record in records]
    if args.stage == "langid":
        result = bench_langid(texts, args.rounds)
    elif args.stage == "minhash":
        result = bench_minhash(japanese(texts), args.rounds, docs=args.docs)
    elif args.stage == "pii":
        result = bench_pii(japanese(texts), args.rounds)
    else:
        ja = set(japanese(texts))
        result = bench_parquet([r for r in records if r["text"] in ja], args.rounds)
    result["pinned_core"] = core
    json.dump(result, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
