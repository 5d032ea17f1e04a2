"""Language ID stage: tag each document with ``lang``, ``lang_score`` and ``ja_ratio``.

The decision (fastText over samples of the whole document, settled by script
evidence) is :mod:`kiyome.transforms.langid.decide`; the model and what it
reads, :mod:`kiyome.transforms.langid.model`; kana, Hangul and kanji forms,
:mod:`kiyome.transforms.langid.script`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import apache_beam as beam
from apache_beam.utils.shared import Shared

from kiyome.transforms.langid.decide import Decision, identify
from kiyome.transforms.langid.model import (
    MAX_CHARS,
    MODEL_FILE,
    MODEL_PACKAGE,
    NON_FASTTEXT_SPACE,
    fasttext_sample,
    lid176,
    load_model,
    model_path,
    model_sha256,
)
from kiyome.transforms.records import REJECTED, reject
from kiyome.transforms.stage_metrics import timed

__all__ = ["MAX_CHARS", "MODEL_FILE", "MODEL_PACKAGE", "NON_FASTTEXT_SPACE", "Decision",
           "LanguageId", "fasttext_sample", "identify", "keep", "lid176", "load_model",
           "model_path", "model_sha256"]

STAGE = "langid"
#: Documents in another language are kept when Japanese lines hold at least this
#: share of their characters (and Japanese is asked for): Japanese prose around
#: English code or tables is what a company model should learn.
MIN_JA_RATIO = 0.3


def keep(decision: Decision, languages: frozenset[str] | None, min_ja_ratio: float) -> bool:
    """Whether a document with ``decision`` goes on.

    >>> keep(Decision("en", 0.9, 0.4), frozenset({"ja"}), 0.3)
    True
    >>> keep(Decision("en", 0.9, 0.1), frozenset({"ja"}), 0.3)
    False
    >>> keep(Decision("zh", 0.9, 0.0), None, 0.3)  # --languages all
    True
    """
    if languages is None or decision.lang in languages:
        return True
    return "ja" in languages and decision.ja_ratio >= min_ja_ratio


class _ModelHolder:
    """Weak-referenceable wrapper so ``Shared`` can keep one model per process."""

    def __init__(self) -> None:
        self.model = load_model()


_SHARED_MODEL = Shared()


class _LangIdDoFn(beam.DoFn):
    def __init__(self, languages: frozenset[str] | None, min_ja_ratio: float) -> None:
        self._languages = languages
        self._min_ja_ratio = min_ja_ratio
        self._model = None

    def setup(self) -> None:
        self._model = _SHARED_MODEL.acquire(_ModelHolder).model

    @timed("langid")
    def process(self, doc: dict[str, Any]) -> Iterable:
        decision = identify(self._model, doc["text"])
        if not keep(decision, self._languages, self._min_ja_ratio):
            yield reject(doc, STAGE, "lang_not_allowed", lang=decision.lang,
                         score=decision.score, ja_ratio=decision.ja_ratio)
            return
        yield {**doc, "lang": decision.lang, "lang_score": decision.score,
               "ja_ratio": decision.ja_ratio}


class LanguageId(beam.PTransform):
    """Tag each document with ``lang``/``lang_score``/``ja_ratio``; reject languages not asked for.

    ``languages=None`` keeps every language (``--languages all``). A document in
    another language stays when ``ja`` is asked for and its ``ja_ratio`` reaches
    ``min_ja_ratio``.
    """

    def __init__(self, languages: Iterable[str] | None = ("ja",),
                 min_ja_ratio: float = MIN_JA_RATIO) -> None:
        super().__init__()
        self._languages = None if languages is None else frozenset(languages)
        self._min_ja_ratio = min_ja_ratio

    def expand(self, docs):
        return docs | "Identify" >> beam.ParDo(
            _LangIdDoFn(self._languages, self._min_ja_ratio)).with_outputs(REJECTED, main="docs")
