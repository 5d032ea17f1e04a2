"""The signature store: what a run keeps so that later runs can dedup against it.

Every run with dedup writes ``OUT/signatures/part-NNNNN-of-MMMMM.parquet``, one
row per document written to ``OUT/shards/``:

* ``id``, ``n_chars``;
* ``content_key``: the exact-dedup hash (SHA-256 of the NFKC'd text), so a
  later exact copy is found without any MinHash;
* ``signature``: the MinHash signature (``num_perm`` uint32). Band keys are
  recomputed from it, so a later run may choose other bands x rows;
* ``shingles``: the sorted, unique top 32 bits of the document's shingle
  hashes (:func:`~kiyome.transforms.dedup.minhash.shingle_hash_array`).

Why whole shingle sets and not only the signature: within a run every LSH
candidate is verified by its *true* Jaccard, and a cross-run pair should be
judged by the same rule, not by a 128-permutation estimate whose standard
error is ~0.035 at J = 0.8 (a pair at 0.75 would pass ~8 % of the time). 32
bits per shingle keep the set exact up to a 2**-32 collision chance per
shingle pair (a few in a million shingles of a 1,000-character pair, far
below one shingle), and delta encoding of the sorted values plus zstd
stores them in ~1.8 bytes per character (measured on the 306-document
quality corpus: the whole file is 2.1 bytes per character, against 2.9 for
the UTF-8 text). That is the price of exact verification; the signature
alone would be 4 bytes x num_perm per document.

File metadata records the MinHash parameters and the hash family version; a
reader refuses signatures made with other ones (they would never match).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from kiyome.transforms.dedup.exact import content_key
from kiyome.transforms.dedup.minhash import MinHasher, shingle_hash_array
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import METRICS_NAMESPACE
from kiyome.transforms.shard_chunks import MB, WriteChunkedParquet

SIGNATURES_DIR = "signatures"
#: Shingles (~ characters) per sorted chunk while writing: ~8 MB of arrays.
SHINGLES_PER_CHUNK = 2_000_000
#: Bumped whenever shingle hashing or the permutation family changes.
HASH_FAMILY = "kiyome-minhash-2:polyfmix64-5gram:mul-add-u32"
_S32 = np.uint64(32)

SIGNATURE_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("n_chars", pa.int64(), nullable=False),
    pa.field("content_key", pa.string(), nullable=False),
    pa.field("signature", pa.list_(pa.uint32()), nullable=False),
    pa.field("shingles", pa.list_(pa.uint32()), nullable=False),
])


def shingle_set32(hashes: np.ndarray) -> np.ndarray:
    """Sorted unique top 32 bits of shingle hashes: the stored verification set.

    >>> shingle_set32(np.array([2**40 + 5, 2**40 + 7, 3], np.uint64)).tolist()
    [0, 256]
    """
    return np.unique((np.asarray(hashes, dtype=np.uint64) >> _S32).astype(np.uint32))


def params_metadata(num_perm: int, ngram: int, seed: int) -> dict[str, str]:
    """Parquet key-value metadata naming what the signatures are comparable with."""
    return {"kiyome.minhash.family": HASH_FAMILY, "kiyome.minhash.num_perm": str(num_perm),
            "kiyome.minhash.ngram": str(ngram), "kiyome.minhash.seed": str(seed)}


def signature_record(doc: dict[str, Any], hasher: MinHasher) -> dict[str, Any]:
    """The stored row of one (normalised, unmasked) document; no text."""
    text = key_text(doc["text"])
    hashes = shingle_hash_array(text, hasher.ngram)
    return {
        "id": doc["id"],
        "n_chars": len(doc["text"]),
        "content_key": content_key(doc["text"]),
        "signature": hasher.signature_from_hashes(hashes),
        "shingles": shingle_set32(hashes),
    }


def signature_files(output_dir: str) -> list[str]:
    """The signature files of an earlier run's output directory (sorted; may be empty)."""
    pattern = f"{output_dir.rstrip('/')}/{SIGNATURES_DIR}/*.parquet"
    try:
        matched = FileSystems.match([pattern])[0].metadata_list
    except Exception:  # a missing directory is "no signatures", reported by the caller
        return []
    return sorted(meta.path for meta in matched)


def check_compatible(path: str, num_perm: int, ngram: int, seed: int) -> None:
    """Raise ValueError when ``path`` holds signatures made with other parameters."""
    with FileSystems.open(path) as handle:
        stored = pq.ParquetFile(handle).schema_arrow.metadata or {}
    stored = {k.decode(): v.decode() for k, v in stored.items()}
    expected = params_metadata(num_perm, ngram, seed)
    different = sorted(k for k, v in expected.items() if stored.get(k) != v)
    if different:
        found = ", ".join(f"{k.removeprefix('kiyome.minhash.')}={stored.get(k)}"
                          for k in different)
        raise ValueError(f"{path}: signatures made with other MinHash parameters ({found}); "
                         "they cannot be compared with this run's")


def read_signature_file(path: str) -> Iterator[dict[str, Any]]:
    """Rows of one signature file, a row group at a time (signature/shingles as uint32 arrays)."""
    with FileSystems.open(path) as handle:
        parquet = pq.ParquetFile(handle)
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group)
            ids = table.column("id").to_pylist()
            n_chars = table.column("n_chars").to_pylist()
            keys = table.column("content_key").to_pylist()
            sigs = _list_arrays(table.column("signature"))
            shingles = _list_arrays(table.column("shingles"))
            for row in zip(ids, n_chars, keys, sigs, shingles, strict=True):
                yield dict(zip(("id", "n_chars", "content_key", "signature", "shingles"), row,
                               strict=True))


def _list_arrays(column: pa.ChunkedArray) -> Iterator[np.ndarray]:
    for chunk in column.chunks:
        offsets = chunk.offsets.to_numpy()
        values = chunk.values.to_numpy(zero_copy_only=False)
        for i in range(len(chunk)):
            yield values[offsets[i]:offsets[i + 1]].copy()


class _SignatureRecordDoFn(beam.DoFn):
    def __init__(self, num_perm: int, ngram: int, seed: int) -> None:
        self._params = (num_perm, ngram, seed)
        self._hasher: MinHasher | None = None

    def setup(self) -> None:
        self._hasher = MinHasher(*self._params)

    def process(self, doc: dict[str, Any]):
        yield doc["id"], signature_record(doc, self._hasher)


def signature_table(rows: Iterable[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Signature rows -> Arrow, the uint32 arrays copied once into list columns
    (never through Python ints: a shingle as a Python int costs nine times its
    4 bytes)."""
    rows = list(rows)

    def list_column(name: str) -> pa.ListArray:
        arrays = [row[name] for row in rows]
        offsets = np.zeros(len(arrays) + 1, dtype=np.int32)
        np.cumsum([len(array) for array in arrays], out=offsets[1:])
        values = np.concatenate(arrays) if arrays else np.zeros(0, np.uint32)
        return pa.ListArray.from_arrays(pa.array(offsets),
                                        pa.array(values.astype(np.uint32, copy=False)))

    columns = {
        "id": pa.array([row["id"] for row in rows], pa.string()),
        "n_chars": pa.array([row["n_chars"] for row in rows], pa.int64()),
        "content_key": pa.array([row["content_key"] for row in rows], pa.string()),
        "signature": list_column("signature"),
        "shingles": list_column("shingles"),
    }
    return pa.Table.from_arrays([columns[name].cast(schema.field(name).type)
                                 for name in schema.names], schema=schema)


def _shingle_count(row: dict[str, Any]) -> int:
    return len(row["shingles"])


def _signature_file_name(num_shards: int):
    def name(key: int, present: list) -> str:
        return f"part-{key:05d}-of-{num_shards:05d}.parquet"
    return name


def _count_rows(written: tuple[str, int]) -> str:
    Metrics.counter(METRICS_NAMESPACE, "dedup.signature_rows").inc(written[1])
    return written[0]


def _kept_record(joined):
    """The record of a written document (one, even if an id repeats)."""
    _, groups = joined
    if any(True for _ in groups["kept"]):
        yield from list(groups["record"])[:1]


class WriteSignatures(beam.PTransform):
    """Documents (unmasked) and the ids that reached the shards -> ``OUT/signatures/``.

    Input: ``{"docs": docs after dedup, "kept": ids written}``. Only documents
    that were written get a row, so every id a later run names in
    ``duplicate_of`` is a row of this run's shards.
    """

    def __init__(self, output_dir: str, num_shards: int, num_perm: int, ngram: int,
                 seed: int) -> None:
        super().__init__()
        self._directory = f"{output_dir.rstrip('/')}/{SIGNATURES_DIR}"
        self._num_shards = max(1, num_shards)
        self._params = (num_perm, ngram, seed)

    def expand(self, inputs):
        from kiyome.transforms.write import shard_of

        num_shards = self._num_shards
        records = inputs["docs"] | "SignatureRecord" >> beam.ParDo(
            _SignatureRecordDoFn(*self._params))
        kept = inputs["kept"] | "KeptIds" >> beam.Map(lambda doc_id: (doc_id, True))
        return (
            {"record": records, "kept": kept}
            | "JoinKept" >> beam.CoGroupByKey()
            | "OnlyKept" >> beam.FlatMap(_kept_record)
            | "KeyByShard" >> beam.Map(lambda row: (shard_of(row["id"], num_shards), row))
            | "Files" >> WriteChunkedParquet(
                self._directory, SIGNATURE_SCHEMA.with_metadata(params_metadata(*self._params)),
                file_name=_signature_file_name(num_shards), size_of=_shingle_count,
                chunk_size=SHINGLES_PER_CHUNK, to_table=signature_table,
                sort_keys=[("id", "ascending"), ("content_key", "ascending")],
                row_group_bytes=64 * MB, stage="signatures",
                parquet_options={"compression": "zstd", "use_dictionary": False,
                                 "column_encoding": {"signature": "PLAIN",
                                                     "shingles": "DELTA_BINARY_PACKED"}})
            | "Counted" >> beam.Map(_count_rows)
        )


__all__ = [
    "HASH_FAMILY",
    "SIGNATURES_DIR",
    "SIGNATURE_SCHEMA",
    "WriteSignatures",
    "check_compatible",
    "read_signature_file",
    "shingle_set32",
    "signature_files",
    "signature_record",
]
