"""Word-frequency evidence for short Latin-script text: which language writes these words.

lid.176 reads character n-grams; on a one- or two-word UI string (``Icona``,
``Adicionar``, ``Abbrechen``) they say little, and it answers English or a
neighbour language. How common each word is in each language says more:
``adicionar`` is a Portuguese word (about 1 in 80,000 words) and no Spanish or
English one. The evidence comes from wordfreq's *small* lists (the words each
language writes at least once per million words, counted in Wikipedia,
subtitles, news, books and the web), independent of any text Kiyome is tested on.

Every Latin-script language lid.176 may answer for a short text
(``decide.PLAUSIBLE``) has a list. The 20 lists are loaded once per process,
when the first short Latin-script text needs them (about 1 s), and kept as one
sorted array of keys (language and 59-bit word hash) with each word's
frequency: 7 MB for 735,000 words, where Python dicts of the same words take
about 80 MB. A worker's resident memory grows by about 30 MB in all
(``python -m tests.langid_testset.memory``). Two words of one list share a key
with a probability under 1e-8; it would cost one word's evidence.

The lists also give each language's alphabet (the letters beyond a-z that its
words use): a letter a language never writes (``ã`` in Spanish, ``ñ`` in
Portuguese) counts against it even in a word the list lacks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from typing import NamedTuple

import numpy as np

#: lid.176's code for each Latin-script language in decide.PLAUSIBLE -> wordfreq's code.
LANGS = {"en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "nl": "nl",
         "sv": "sv", "da": "da", "no": "nb", "fi": "fi", "pl": "pl", "cs": "cs", "hu": "hu",
         "ro": "ro", "tr": "tr", "id": "id", "ms": "ms", "tl": "fil", "vi": "vi"}
#: Frequencies are in centibels below 1 (300 cB: once per 1,000 words). The small
#: lists stop at 600 cB (once per million); a word a list lacks is taken as rarer
#: still, ``FLOOR_CB``. Tuned on the development set (devset.py), not the test set.
BACKGROUND_CB = 600
FLOOR_CB = 800
#: What a letter outside a language's alphabet costs it, in centibels (the
#: development set reads the same with 100 or 300).
ALIEN_CB = 300
#: A letter is in a language's alphabet when it is at least this share of the characters
#: of its words, weighted by frequency: é in German (Café) is, ß nowhere (lists casefold it).
ALPHABET_SHARE = 1e-5
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_LN10 = math.log(10)
#: A key is a word's hash with its language's index in the low ``_LANGUAGE_BITS``:
#: sorted, a word's keys in every language are neighbours, found with one search.
_LANGUAGE_BITS = 5
_LANGUAGE_MASK = np.uint64(2**_LANGUAGE_BITS - 1)


def words(text: str) -> list[str]:
    """The words of ``text`` as the lists hold them: casefolded runs of letters.

    >>> words("Dell'immagine ÖFFNEN (2) Straße")
    ['dell', 'immagine', 'öffnen', 'strasse']
    """
    return _WORD.findall(text.casefold())


class WordTable(NamedTuple):
    """Every list's words as keys (language and hash, sorted) with their frequency in centibels."""

    keys: np.ndarray
    centibels: np.ndarray
    alphabets: dict[str, frozenset[str]]


def _hashes(items: list[str]) -> np.ndarray:
    """Each item's hash with its low ``_LANGUAGE_BITS`` cleared, for a language's index."""
    hashes = np.fromiter((hash(item) for item in items), dtype=np.int64, count=len(items))
    return hashes.view(np.uint64) & ~_LANGUAGE_MASK


def alphabet(buckets: list[list[str]]) -> frozenset[str]:
    """Letters beyond ASCII that are at least ``ALPHABET_SHARE`` of a list's characters,
    each word weighted by its frequency.

    >>> buckets = [["die", "für"]] + [[]] * 599 + [["zoë"]]  # zoë once per million words
    >>> buckets[300] = ["café"]  # once per thousand
    >>> sorted(alphabet(buckets))
    ['é', 'ü']
    """
    weights: Counter[str] = Counter()
    total = 0.0
    for centibels, bucket in enumerate(buckets):
        joined = "".join(bucket)
        weight = 10 ** (-centibels / 100)
        total += len(joined) * weight
        for letter, count in Counter(_NON_ASCII_LETTER.findall(joined)).items():
            weights[letter] += count * weight
    return frozenset(letter for letter, weight in weights.items()
                     if weight >= ALPHABET_SHARE * total)


def data_files() -> list[str]:
    """The wordfreq files :func:`table` reads (their checksum goes to the manifest)."""
    import wordfreq

    files = wordfreq.available_languages("small")
    return sorted(files[code] for code in LANGS.values())


@cache
def table() -> WordTable:
    """wordfreq's small lists of ``LANGS``, loaded on first use (once per process)."""
    import wordfreq  # here: only a short Latin-script text needs it

    files = wordfreq.available_languages("small")
    keys: list[np.ndarray] = []
    centibels: list[np.ndarray] = []
    alphabets: dict[str, frozenset[str]] = {}
    for index, (label, code) in enumerate(LANGS.items()):
        buckets = wordfreq.read_cBpack(files[code])
        keys.append(_hashes([word for bucket in buckets for word in bucket]) | np.uint64(index))
        centibels.append(np.repeat(np.arange(len(buckets), dtype=np.uint16),
                                   [len(bucket) for bucket in buckets]))
        alphabets[label] = alphabet(buckets)
    all_keys = np.concatenate(keys)
    del keys
    order = np.argsort(all_keys)
    return WordTable(all_keys[order], np.concatenate(centibels)[order], alphabets)


def evidence(text: str) -> dict[str, float]:
    """Natural-log likelihood of ``text``'s words in each language of ``LANGS``, against
    words of once-per-million frequency, less ``ALIEN_CB`` per letter outside its alphabet.

    >>> scores = evidence("Adicionar")
    >>> max(scores, key=scores.get)
    'pt'
    >>> scores = evidence("Abbrechen")
    >>> max(scores, key=scores.get)
    'de'
    >>> evidence("") == dict.fromkeys(LANGS, 0.0)
    True
    """
    found = words(text)
    if not found:
        return dict.fromkeys(LANGS, 0.0)
    words_table = table()
    hashes = _hashes(found)
    # A word's keys lie from its hash to its hash | mask (an index no language has).
    bounds = np.searchsorted(words_table.keys,
                             np.concatenate([hashes, hashes | _LANGUAGE_MASK])).tolist()
    mask = int(_LANGUAGE_MASK)
    centibels = [float((BACKGROUND_CB - FLOOR_CB) * len(found))] * len(LANGS)
    for start, stop in zip(bounds[:len(found)], bounds[len(found):], strict=True):
        listed = zip(words_table.keys[start:stop].tolist(),
                     words_table.centibels[start:stop].tolist(), strict=True)
        for key, frequency in listed:  # one entry per language that lists the word
            centibels[key & mask] += FLOOR_CB - frequency
    letters = set(_NON_ASCII_LETTER.findall("".join(found)))
    for index, label in enumerate(LANGS):
        centibels[index] -= ALIEN_CB * len(letters - words_table.alphabets[label])
    return {label: centibels[index] * _LN10 / 100 for index, label in enumerate(LANGS)}
