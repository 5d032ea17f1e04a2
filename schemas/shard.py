"""The Arrow schema of every Parquet shard: defined once, read by the writer and the tests.

Later issues add columns; they never rename or retype these.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any

import pyarrow as pa

PII_COUNT = pa.struct([("entity", pa.string()), ("count", pa.int32())])
#: Quality signals (transforms/quality/signals.py NAMES), one float each.
QUALITY_NAMES = ("letters", "hiragana_share", "katakana_share", "japanese_share",
                 "avg_sentence_len", "max_sentence_len", "ellipsis_line_share",
                 "top2gram_share", "top3gram_share", "top4gram_share",
                 "dup5gram_share", "dup10gram_share", "dup_line_share", "dup_para_share",
                 "compression_ratio", "mojibake_share")
QUALITY = pa.struct([(name, pa.float32()) for name in QUALITY_NAMES])

FIELDS = [
    pa.field("id", pa.string(), nullable=False,
             metadata={"description": "The input's id, else a stable hash of source and content."}),
    pa.field("text", pa.string(), nullable=False,
             metadata={"description": "Document text with personal data masked under the policy."}),
    pa.field("source", pa.string(), nullable=False,
             metadata={"description": "URI of the input file the document came from."}),
    pa.field("lang", pa.string(),
             metadata={"description": "fastText lid.176 language code; null if langid skipped."}),
    pa.field("lang_score", pa.float32(),
             metadata={"description": "Probability of lang; null if langid was skipped."}),
    pa.field("n_chars", pa.int32(), nullable=False,
             metadata={"description": "Characters in text (after masking)."}),
    pa.field("n_tokens", pa.int32(),
             metadata={"description": "Sudachi (core, split mode C) morphemes in text: "
                                      "a token-budget estimate; null if not computed."}),
    pa.field("pii_counts", pa.list_(PII_COUNT), nullable=False,
             metadata={"description": "Masked spans per entity type (values never stored)."}),
    pa.field("pii_total", pa.int32(), nullable=False,
             metadata={"description": "Sum of pii_counts."}),
    pa.field("policy_hash", pa.string(), nullable=False,
             metadata={"description": "SHA-256 of the masking policy applied."}),
    pa.field("metadata", pa.string(), nullable=False,
             metadata={"description": "Input metadata as JSON, personal data masked."}),
    pa.field("dup_cluster", pa.string(),
             metadata={"description": "Near-duplicate group: its smallest id; null if no dedup."}),
    pa.field("dup_cluster_size", pa.int32(),
             metadata={"description": "Documents in dup_cluster (1 alone); null if no dedup."}),
    pa.field("ja_ratio", pa.float32(),
             metadata={"description": "Share of the document's characters on Japanese lines "
                                      "(kana, or kanji in Japanese forms); null if langid "
                                      "was skipped."}),
    pa.field("quality", QUALITY,
             metadata={"description": "Quality signals the quality stage computed (their "
                                      "definitions: transforms/quality/signals.py); null "
                                      "with --quality-profile off."}),
]

SHARD_SCHEMA = pa.schema(FIELDS)


def _json_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True)``, built once.

    ``json.dumps`` with options builds a new encoder per call, which is half the
    cost of a row; the C encoder behind it is reused here when this Python has it
    (metadata is acyclic, so its cycle check is left out).

    >>> encode = _json_encoder()
    >>> encode({"b": 1.5, "a": ["東京", None, True]})
    '{"a": ["東京", null, true], "b": 1.5}'
    >>> encode({"b": 1.5, "a": ["東京", None, True]}) == json.dumps(
    ...     {"b": 1.5, "a": ["東京", None, True]}, ensure_ascii=False, sort_keys=True)
    True
    """
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    chunks = make(None, encoder.default, json.encoder.encode_basestring, None,
                  encoder.key_separator, encoder.item_separator, True, False, True)
    return lambda value: "".join(chunks(value, 0))


_metadata_json = _json_encoder()


def to_row(doc: dict, policy_hash: str, n_tokens: int | None = None) -> dict:
    """The shard row of a masked document, in schema order.

    >>> row = to_row({"id": "a", "text": "＜氏名＞様", "source": "file:///x.txt",
    ...               "pii_counts": {"PERSON": 1}, "metadata": {}}, "h")
    >>> row["pii_counts"], row["pii_total"], row["lang"], row["n_chars"]
    ([{'entity': 'PERSON', 'count': 1}], 1, None, 5)
    """
    counts = doc.get("pii_counts") or {}
    metadata = doc.get("metadata")
    return {
        "id": doc["id"],
        "text": doc["text"],
        "source": doc["source"],
        "lang": doc.get("lang"),
        "lang_score": doc.get("lang_score"),
        "n_chars": len(doc["text"]),
        "n_tokens": n_tokens,
        "pii_counts": [{"entity": name, "count": counts[name]} for name in sorted(counts)],
        "pii_total": sum(counts.values()),
        "policy_hash": policy_hash,
        "metadata": _metadata_json(metadata) if metadata else "{}",
        "dup_cluster": doc.get("dup_cluster"),
        "dup_cluster_size": doc.get("dup_cluster_size"),
        "ja_ratio": doc.get("ja_ratio"),
        "quality": doc.get("quality"),
    }
