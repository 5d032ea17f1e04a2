"""The document's language: fastText over samples of the whole document, settled by script.

lid.176 alone reads the first lines and guesses; internal documents start with
a kanji-only title, an English header or a table. So:

1. Samples: the whole NFKC text up to ``MAX_CHARS``; a longer document is read
   at its start, middle and end (``MAX_CHARS`` in all), so its cost is bounded
   and a Japanese body behind an English cover page still counts.
2. Each line with letters is classed by its script: kana (Japanese, when kana
   are at least ``KANA_MIN_SHARE`` of it), Hangul (Korean, never Japanese),
   kanji only, or other (Latin, Cyrillic, Thai...: fastText's call).
3. ``ja_ratio``: the share of those characters on Japanese lines, so a mixed
   document (Japanese prose around English code) can be kept by rule.
4. A document mostly on kana lines is Japanese without asking fastText; mostly
   Hangul, Korean. Kanji-only text is Japanese or Chinese by its character
   forms (:mod:`kiyome.transforms.langid.script`) when they are decisive
   (``FORMS_DECISIVE``); otherwise by the log odds of its words in each
   language (:mod:`kiyome.transforms.langid.hanzi`), the forms, lid.176's
   Japanese-versus-Chinese odds and a prior against Japanese (``JA_PRIOR``):
   a false Japanese costs more than a missed short Japanese string.
   Everything else is lid.176's call, averaged over the samples; a text under
   200 characters is read without code tokens, also lower-cased, among
   ``PLAUSIBLE`` languages, with ``LETTER_HINTS``. When all its letters are
   Latin, the answer is a Latin-script language, and lid.176's odds are weighed
   with how common the text's words are in each (:mod:`kiyome.transforms.langid.words`):
   lid.176 alone reads ``Annulla`` or ``Guardar cambios`` as Finnish or English.
5. Scores are honest: below ``SHORT`` characters they are capped at or under
   the accuracy each rule has on the short items of tests/langid_testset
   (``SHORT_CAP``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

from kiyome.transforms.langid import hanzi, words
from kiyome.transforms.langid.model import MAX_CHARS, fasttext_input, predict
from kiyome.transforms.langid.script import (
    HAN,
    HANGUL,
    KANA,
    LETTER,
    kanji_evidence,
    latin_only,
)

#: Below this many visible characters a text is short: its score is capped.
SHORT = 20
#: Share of a line's characters that must be kana for the line to be Japanese.
KANA_MIN_SHARE = 0.05
#: A document is Japanese by script when Japanese and kanji-only lines hold at least
#: this share of its characters and kana lines at least ``KANA_DOC_SHARE`` of those.
CJK_DOC_SHARE = 0.5
KANA_DOC_SHARE = 0.2
#: Kanji-only text is settled by character forms alone when one side has at least
#: this many and the other none (気 県 図 against 这 們 說); the word evidence is
#: then not read, which keeps long Chinese documents cheap.
FORMS_DECISIVE = 3
#: Otherwise: natural-log odds of Japanese = the words' odds (``hanzi.log_odds``)
#: + ``FORM_WEIGHT`` per character form + lid.176's Japanese-versus-Chinese log odds
#: + ``JA_PRIOR``. The prior is below 0: a false Japanese costs more than a missed
#: short Japanese string. Tuned on half A of the development set only.
FORM_WEIGHT = 1.0
JA_PRIOR = -1.0
#: Added to lid.176's probabilities before their ratio is taken (it may rank one 0).
_FLOOR = 1e-4
#: Highest score a short text gets, per rule: at or under the accuracy the rule
#: reaches on short items (measured 2026-11-28 on the short items of
#: tests/langid_testset: kana 1.00, Hangul 1.00, kanji 0.95, fastText 0.88; word
#: evidence 0.93 on the development set's 2,100 short Latin-script items, 0.94 on
#: the test set's; tests/test_langid_testset.py checks that short scores stay under
#: short accuracy).
SHORT_CAP = {"kana": 0.99, "hangul": 0.99, "kanji": 0.9, "fasttext": 0.8, "words": 0.9}
#: Tokens lid.176 reads as English whatever the language around them: options,
#: paths, identifiers, man page references, numbers, format slots.
_CODE = re.compile(r"(?<!\S)(?:-{1,2}\w\S*|\S*[/\\=@#$%_{}<>\[\]|]\S*|\S*\d\S*|\w+\(\d\w*\))")
_SPACE_RUN = re.compile(r" {2,}")
#: Languages a short text may be given: lid.176 knows 176, and on a few words it
#: picks Esperanto or Serbo-Croatian as readily as Italian or German.
PLAUSIBLE = frozenset(
    "ja en zh ko de fr es it pt ru vi th id ms tl nl pl sv da no fi tr uk ar hi he el cs hu ro"
    .split())
#: Letters only one of the plausible languages writes (Vietnamese ơ ư đ ạ,
#: Portuguese ã õ, Spanish ñ ¿ ¡, German ß): on a short text they outweigh lid.176.
LETTER_HINTS = {
    "vi": re.compile("[ơưđăạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE),
    "pt": re.compile("[ãõ]|ção|ções|(?<=[a-z])[ln]h", re.IGNORECASE),
    "es": re.compile("[ñ¿¡]", re.IGNORECASE),
    "de": re.compile("ß"),
}
#: A short Latin-script text's language, by lid.176's odds times its words' likelihood
#: (naive Bayes): this, added to lid.176's probability, keeps a language it ranks low
#: (or not at all) within reach of strong word evidence. Tuned on the development set.
WORDS_FLOOR = 0.03


class Decision(NamedTuple):
    """Language code, its probability, and the share of Japanese lines by characters."""

    lang: str
    score: float
    ja_ratio: float


def samples(text: str) -> list[str]:
    """NFKC windows of ``text``: all of it up to ``MAX_CHARS``, else start, middle and end.

    >>> [len(s) for s in samples("あ" * 10_000)]
    [1333, 1333, 1333]
    >>> samples("ﾏｲﾅﾝﾊﾞｰ")
    ['マイナンバー']
    """
    if len(text) <= MAX_CHARS:
        return [unicodedata.normalize("NFKC", text)]
    width = MAX_CHARS // 3
    middle = (len(text) - width) // 2
    return [unicodedata.normalize("NFKC", piece)
            for piece in (text[:width], text[middle:middle + width], text[-width:])]


def prose(line: str) -> str:
    """What of a short text lid.176 should read: code-like tokens out, CAPITALS lowered.

    >>> prose("-I R 等於 --replace=R")
    'R 等於'
    >>> prose("ERRORES de tar(1)")
    'Errores de'
    """
    words = _SPACE_RUN.sub(" ", _CODE.sub("", line)).strip().split(" ")
    kept = " ".join(w.capitalize() if len(w) > 1 and w.isupper() else w for w in words)
    return kept if len(LETTER.findall(kept)) >= 3 else line


class _Lines(NamedTuple):
    kana: int
    kanji: int
    hangul: int
    other: int
    kanji_text: str


def classify_lines(windows: list[str]) -> _Lines:
    """Characters on kana, kanji-only, Hangul and other lines; the kanji-only lines' text.

    >>> classify_lines(["議事録\\n出席者：営業部\\n本日の議題は次のとおりです。\\nAgenda"])[:4]
    (14, 10, 0, 6)
    """
    kana = kanji = hangul = other = 0
    kanji_lines: list[str] = []
    for window in windows:
        for line in window.split("\n"):
            if not LETTER.search(line):
                continue  # numbers, rules, punctuation: no language
            size = len(line) - line.count(" ")
            if HANGUL.search(line) and len(HANGUL.findall(line)) >= len(KANA.findall(line)):
                hangul += size
            elif KANA.search(line) and len(KANA.findall(line)) >= KANA_MIN_SHARE * size:
                kana += size
            elif HAN.search(line) and len(HAN.findall(line)) >= KANA_MIN_SHARE * size:
                kanji += size
                kanji_lines.append(line)
            else:
                other += size
    return _Lines(kana, kanji, hangul, other, "\n".join(kanji_lines))


def short_text_probs(model, line: str) -> tuple[dict[str, float], str]:
    """lid.176 on a short text, helped: code out, as written and lower-cased, plausible
    languages only, and letters only one language writes; then, on Latin-script
    text, word evidence. Also which rule answered (``fasttext`` or ``words``).

    >>> from kiyome.transforms.langid.model import load_model
    >>> probs, rule = short_text_probs(load_model(), "Tiếng Việt")
    >>> probs["vi"] > 0.9, rule
    (True, 'words')
    """
    text = prose(line)
    probs: dict[str, float] = {}
    for variant in (text, text.lower()):
        for label, prob in predict(model, variant, k=10).items():
            probs[label] = probs.get(label, 0.0) + prob / 2
    plausible = {label: prob for label, prob in probs.items() if label in PLAUSIBLE}
    probs = plausible or probs
    for lang, hint in LETTER_HINTS.items():
        if hint.search(text):
            probs[lang] = max(probs.get(lang, 0.0), 0.5) + 0.45
    total = sum(probs.values())
    probs = {label: prob / total for label, prob in probs.items()} if total else probs
    if latin_only(text):
        return with_word_evidence(probs, text), "words"
    return probs, "fasttext"


def with_word_evidence(probs: dict[str, float], text: str) -> dict[str, float]:
    """Probabilities of the Latin-script languages: lid.176's (plus ``WORDS_FLOOR``)
    times the likelihood of ``text``'s words in each language, normalised.

    >>> probs = with_word_evidence({"en": 0.80, "it": 0.15, "ru": 0.05}, "Icona")
    >>> max(probs, key=probs.get), "ru" in probs
    ('it', False)
    """
    scores = {lang: math.log(probs.get(lang, 0.0) + WORDS_FLOOR) + evidence
              for lang, evidence in words.evidence(text).items()}
    top = max(scores.values())
    weights = {lang: math.exp(score - top) for lang, score in scores.items()}
    total = sum(weights.values())
    return {lang: weight / total for lang, weight in weights.items()}


def _fasttext(model, windows: list[str]) -> tuple[dict[str, float], str]:
    """lid.176's probabilities, averaged over the windows by their length; the rule."""
    if len(windows) == 1:
        line = fasttext_input(windows[0])
        return short_text_probs(model, line) if len(line) < 200 else (
            predict(model, line), "fasttext")
    total: dict[str, float] = {}
    for window in windows:
        for label, prob in predict(model, fasttext_input(window)).items():
            total[label] = total.get(label, 0.0) + prob / len(windows)
    return total, "fasttext"


def _kanji_decision(model, text: str, probs: dict[str, float] | None) -> tuple[str, float]:
    """Japanese or Chinese for kanji-only text, and how sure.

    >>> from kiyome.transforms.langid.model import load_model
    >>> [_kanji_decision(load_model(), text, None)[0] for text in ("儲存格格式", "記述統計")]
    ['zh', 'ja']
    """
    japanese, chinese = kanji_evidence(text)
    if min(japanese, chinese) == 0 and abs(japanese - chinese) >= FORMS_DECISIVE:
        margin = abs(japanese - chinese) / (japanese + chinese + 1)
        return ("ja" if japanese > chinese else "zh"), round(0.6 + 0.4 * margin, 4)
    if probs is None:
        probs = predict(model, fasttext_input(text), k=5)
    odds = (hanzi.log_odds(text) + FORM_WEIGHT * (japanese - chinese) + JA_PRIOR
            + math.log((probs.get("ja", 0.0) + _FLOOR) / (probs.get("zh", 0.0) + _FLOOR)))
    return ("ja" if odds > 0 else "zh"), round(1 / (1 + math.exp(-min(abs(odds), 30))), 4)


def identify(model, text: str) -> Decision:
    """The language of a document, with its score and ``ja_ratio``.

    >>> from kiyome.transforms.langid.model import load_model
    >>> model = load_model()
    >>> identify(model, "来週の定例会議は第二会議室で行います。資料は前日までに共有します。")
    Decision(lang='ja', score=1.0, ja_ratio=1.0)
    >>> identify(model, "第三四半期業績報告").lang, identify(model, "议事录").lang
    ('ja', 'zh')
    >>> identify(model, "회의록을 공유합니다").lang, identify(model, "ﾏｲﾅﾝﾊﾞｰの提出").lang
    ('ko', 'ja')
    >>> short, long_ = "はい", "本日の会議は十時から始めます。資料は後ほど"
    >>> identify(model, short).score < identify(model, long_).score
    True
    """
    windows = samples(text)
    lines = classify_lines(windows)
    total = lines.kana + lines.kanji + lines.hangul + lines.other
    visible = sum(len(w) - w.count(" ") - w.count("\n") for w in windows)
    cjk = lines.kana + lines.kanji
    if total == 0:
        return Decision("und", 0.0, 0.0)  # numbers and symbols: no language to find
    if lines.hangul > cjk and lines.hangul >= 0.3 * total:
        lang, score, rule = "ko", 1.0, "hangul"
    elif cjk >= CJK_DOC_SHARE * total and lines.kana >= KANA_DOC_SHARE * cjk:
        lang, score, rule = "ja", 1.0, "kana"
    elif lines.kanji >= CJK_DOC_SHARE * total:
        probs = _fasttext(model, windows)[0] if visible < 200 else None
        lang, score = _kanji_decision(model, lines.kanji_text, probs)
        rule = "kanji"
    else:
        probs, rule = _fasttext(model, windows)
        lang, score = max(probs.items(), key=lambda item: item[1])
    if lang == "ja" and lines.hangul > cjk:
        lang = "ko"  # Hangul is never Japanese
    kanji_is_japanese = lang == "ja" or (cjk and lines.kana >= KANA_DOC_SHARE * cjk)
    japanese = lines.kana + (lines.kanji if kanji_is_japanese else 0)
    ja_ratio = round(japanese / total, 4) if total else 0.0
    if visible < SHORT:
        score = min(score, SHORT_CAP[rule])
    return Decision(lang, round(score, 4), ja_ratio)
