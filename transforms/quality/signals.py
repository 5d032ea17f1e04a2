"""Quality signals of a Japanese document: each a number, computed once, stored on the shard.

The signals are those of published Japanese corpora, so their thresholds can be
taken from the same places (profiles.py cites them):

* Swallow corpus v1 (Okazaki et al. 2024, ``quality.py``): letters, hiragana,
  katakana and Japanese-character shares, average and longest sentence, lines
  ending in an ellipsis, the most frequent character 2/3/4-gram's share and the
  share of characters in repeated 5..10-grams (Gopher, Rae et al. 2021, on characters;
  here on letters and digits only, so ruled lines and table borders are not repetition);
* Gopher/RefinedWeb: the share of characters on duplicated lines and paragraphs;
* llm-jp corpus v1: the deflate compression ratio;
* and one of ours: the share of characters that decoding left broken (mojibake).

Everything is on the NFKC text (half-width katakana count as katakana).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np

HIRAGANA = re.compile(r"[\u3041-\u309f]")
KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff]")
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆〇]")
JA_PUNCT = re.compile(r"[、。「」『』【】〔〕（）・：！？〜]")
SENTENCE = re.compile(r"[^。．！？!?\n]+[。．！？!?]?")  # a line break ends one too
SPACE = re.compile(r"\s+")
#: What n-grams and duplicate lines are counted on: letters and digits only. Rules
#: drawn with ━━━ or ----, bullets and table borders are layout, not repetition.
NOT_WORD = re.compile(r"[\W_]+")
#: U+FFFD, private-use characters, UTF-8 read as Latin-1 (a lead byte then a
#: continuation byte: Ã©, ã\xa0) or as Shift_JIS (縺 繧 繝: the kana of UTF-8 so misread).
MOJIBAKE = re.compile(r"[\ufffd\ue000-\uf8ff]|[\u00c2-\u00ef][\u0080-\u00bf]|â€|[縺繧繝]")
#: Characters scored for n-grams: enough to see repetition, bounded cost.
NGRAM_CHARS = 20_000
NAMES = ("letters", "hiragana_share", "katakana_share", "japanese_share",
         "avg_sentence_len", "max_sentence_len", "ellipsis_line_share",
         "top2gram_share", "top3gram_share", "top4gram_share",
         "dup5gram_share", "dup10gram_share", "dup_line_share", "dup_para_share",
         "compression_ratio", "mojibake_share")


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _gram_ids(chars: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each ``n``-gram position, the id of its gram and how often that gram occurs.

    Grams are keyed by a polynomial over their code points in uint64 (wrapping):
    vectorised, and a collision among a document's few thousand grams is
    vanishingly rare (about m^2 / 2^64).
    """
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    positions = len(codes) - n + 1
    if positions <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    keys = np.zeros(positions, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            keys = keys * np.uint64(1_000_003) + codes[offset:offset + positions]
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return inverse, counts


def top_ngram_share(chars: str, n: int) -> float:
    """Share of characters in the most frequent character ``n``-gram (Gopher, on characters).

    >>> top_ngram_share("ありがとうありがとうありがとう", 2)
    0.4
    """
    _, counts = _gram_ids(chars, n)
    if not len(counts):
        return 0.0
    return _share(int(counts.max()) * n, len(chars))


def dup_ngram_share(chars: str, n: int) -> float:
    """Share of characters inside ``n``-grams that occur more than once (Gopher, on characters).

    >>> dup_ngram_share("本日は晴天なり。本日は晴天なり。", 5)
    1.0
    >>> dup_ngram_share("あいうえおかきくけこ", 5)
    0.0
    """
    inverse, counts = _gram_ids(chars, n)
    if not len(counts):
        return 0.0
    repeated = (counts[inverse] > 1).astype(np.int64)
    covered = np.convolve(repeated, np.ones(n, dtype=np.int64))  # a start covers n characters
    return _share(int(np.count_nonzero(covered)), len(chars))


def dup_unit_share(units: list[str]) -> float:
    """Share of characters in lines (or paragraphs) that repeat an earlier one.

    >>> dup_unit_share(["社外秘", "本文です", "社外秘", "社外秘"])  # 6 of 13 characters
    0.4615
    """
    seen: set[str] = set()
    duplicated = total = 0
    for unit in units:
        total += len(unit)
        if unit in seen:
            duplicated += len(unit)
        seen.add(unit)
    return _share(duplicated, total)


def compression_ratio(text: str) -> float:
    """deflate-compressed size over UTF-8 size (llm-jp corpus v1): low is repetitive.

    >>> compression_ratio("あ" * 1000) < 0.01
    True
    """
    raw = text.encode("utf-8")
    return _share(len(zlib.compress(raw, 6)), len(raw))


def signals(text: str) -> dict[str, float]:
    """Every signal in ``NAMES`` for one document.

    >>> s = signals("第3回 定例会議 議事録\\n本日は新製品の発売日を決めた。"
    ...             "次回は来週の月曜日に行う。\\n━━━━━━━━\\n━━━━━━━━")
    >>> s["hiragana_share"], s["japanese_share"], s["max_sentence_len"], s["dup_line_share"]
    (0.1667, 0.6852, 15.0, 0.0)
    """
    nfkc = unicodedata.normalize("NFKC", text)
    visible = len(nfkc) - sum(len(m) for m in SPACE.findall(nfkc))
    chars = NOT_WORD.sub("", nfkc)
    letters = len(chars)
    hiragana = len(HIRAGANA.findall(nfkc))
    katakana = len(KATAKANA.findall(nfkc))
    japanese = hiragana + katakana + len(KANJI.findall(nfkc)) + len(JA_PUNCT.findall(nfkc))
    lines = [line.strip() for line in nfkc.split("\n") if line.strip()]
    worded = [line for line in lines if NOT_WORD.sub("", line)]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", nfkc) if p.strip()]
    sentences = [s.strip() for s in SENTENCE.findall(nfkc) if s.strip()]
    lengths = [len(s) for s in sentences] or [0]
    chars = chars[:NGRAM_CHARS]
    return {
        "letters": float(letters),
        "hiragana_share": _share(hiragana, visible),
        "katakana_share": _share(katakana, visible),
        "japanese_share": _share(japanese, visible),
        "avg_sentence_len": round(sum(lengths) / len(lengths), 2),
        "max_sentence_len": float(max(lengths)),
        "ellipsis_line_share": _share(sum(line.endswith(("…", "...")) for line in lines),
                                      len(lines)),
        "top2gram_share": top_ngram_share(chars, 2),
        "top3gram_share": top_ngram_share(chars, 3),
        "top4gram_share": top_ngram_share(chars, 4),
        "dup5gram_share": dup_ngram_share(chars, 5),
        "dup10gram_share": dup_ngram_share(chars, 10),
        "dup_line_share": dup_unit_share(worded),
        "dup_para_share": dup_unit_share(paragraphs),
        "compression_ratio": compression_ratio(nfkc),
        "mojibake_share": _share(len(MOJIBAKE.findall(nfkc)), visible),
    }
