"""Word evidence for kanji-only text: is it likelier as Japanese words or as Chinese words?

Character forms (:mod:`kiyome.transforms.langid.script`) settle text that holds
a shinjitai or a simplified form; short UI strings such as 儲存格格式 or 記述統計
often hold neither. Which words the characters make does: 儲存 and 格式 are
Chinese words, 記述 and 統計 Japanese ones. Each kanji run is cut into the
likeliest words of each language (Viterbi over a unigram model) and the two
log-likelihoods are compared.

The words and their frequencies are wordfreq's *small* ``ja`` and ``zh`` lists
(the words each language writes at least once per million words; Wikipedia,
subtitles, news, books, the web), independent of any text Kiyome is tested on.
Only words of kanji are kept, their frequencies renormalised among them (a
Japanese text's kana words are not what a kanji-only line is made of). The
Chinese list is Simplified: text is looked up after wordfreq's own
character-by-character Traditional-to-Simplified map, so 儲存 finds 储存.

That map merges the two Chinese scripts, so script consistency is weighed
apart: Chinese is written wholly in one standard (GB 2312 for Simplified, Big5
for Traditional), while Japanese mixes forms that only one of them has (会 is
Simplified, 議 Traditional: 会議). Every character outside the likelier of the
two Chinese standards costs Chinese ``INCONSISTENT``.

Loaded once per process on first use: 49,000 words, 0.2 s and 11 MB of resident
memory (``python -m tests.langid_testset.memory``).
"""

from __future__ import annotations

import gzip
import importlib.resources
import math
import re
from functools import cache

from kiyome.transforms.langid.script import in_charset

#: A run of kanji (and the iteration mark 々) that is cut into words.
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+")
_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+\Z")
#: Longest word looked up (wordfreq's Japanese list has almost none longer).
MAX_WORD = 6
#: Probability of a single character that is no word of a list (among its kanji words).
#: Tuned on half A of the development set (1e-5 to 1e-7 read the same).
UNKNOWN = math.log(1e-6)
#: Cost (natural log) to Chinese of a character outside the Chinese standard the text
#: otherwise keeps to: about one kanji in a thousand in real Chinese (dev-A: none of
#: 11,000 Simplified kanji, 21 of 16,000 Traditional ones; 13 % of Japanese kanji).
INCONSISTENT = math.log(1000)
#: Kanji read per text: enough for an answer, bounded cost on long documents.
MAX_HAN = 64


#: Kanji words of one language -> natural-log probability among its kanji words.
Lexicon = dict[str, float]


def _kanji_words(code: str) -> Lexicon:
    import wordfreq  # here: only kanji-only text without decisive forms needs it

    buckets = wordfreq.read_cBpack(wordfreq.available_languages("small")[code])
    frequencies = {word: 10 ** (-centibels / 100)
                   for centibels, bucket in enumerate(buckets) for word in bucket
                   if len(word) <= MAX_WORD and _HAN_WORD.match(word)}
    total = sum(frequencies.values())
    return {word: math.log(freq / total) for word, freq in frequencies.items()}


def _chinese_mapping() -> str:
    return str(importlib.resources.files("wordfreq") / "data" / "_chinese_mapping.msgpack.gz")


def data_files() -> list[str]:
    """The wordfreq files :func:`lexicons` reads (their checksum goes to the manifest)."""
    import wordfreq

    files = wordfreq.available_languages("small")
    return sorted([files["ja"], files["zh"], _chinese_mapping()])


@cache
def lexicons() -> tuple[Lexicon, Lexicon, dict[int, str]]:
    """(Japanese words, Simplified Chinese words, Traditional-to-Simplified map)."""
    import msgpack  # a dependency of wordfreq

    with gzip.open(_chinese_mapping()) as handle:
        simplify = msgpack.load(handle, raw=False, strict_map_key=False)
    return _kanji_words("ja"), _kanji_words("zh"), simplify


def best_cut(run: str, lexicon: Lexicon) -> float:
    """Log-likelihood of the likeliest cut of ``run`` into the lexicon's words.

    >>> ja, zh, _ = lexicons()
    >>> best_cut("統計", ja) > best_cut("統", ja) + best_cut("計", ja)
    True
    """
    best = [0.0] + [-math.inf] * len(run)
    for end in range(1, len(run) + 1):
        for size in range(1, min(MAX_WORD, end) + 1):
            cost = lexicon.get(run[end - size:end])
            if cost is None:
                if size > 1:
                    continue
                cost = UNKNOWN
            if best[end - size] + cost > best[end]:
                best[end] = best[end - size] + cost
    return best[-1]


@cache
def _outside(char: str) -> tuple[bool, bool]:
    """Whether a kanji is outside GB 2312 (Simplified) and outside Big5 (Traditional)."""
    return not in_charset(char, "gb2312"), not in_charset(char, "big5")


def inconsistency(text: str) -> int:
    """Kanji outside the Chinese standard ``text`` keeps to best: 0 for real Chinese.

    >>> inconsistency("儲存格格式"), inconsistency("设定值"), inconsistency("国際会議")
    (0, 0, 2)
    """
    chars = "".join(HAN_RUN.findall(text))
    simplified = sum(_outside(char)[0] for char in chars)
    traditional = sum(_outside(char)[1] for char in chars)
    return min(simplified, traditional)


def log_odds(text: str) -> float:
    """Natural-log odds that ``text``'s kanji are Japanese words rather than Chinese ones.

    >>> log_odds("儲存格格式") < -5 < 5 < log_odds("最終更新日時")
    True
    >>> log_odds("國際會議") < 0 < log_odds("国際会議")
    True
    >>> log_odds("Debian")
    0.0
    """
    ja, zh, simplify = lexicons()
    runs, size = [], 0
    for run in HAN_RUN.findall(text):
        runs.append(run[:MAX_HAN - size])
        size += len(runs[-1])
        if size >= MAX_HAN:
            break
    odds = sum(best_cut(run, ja) - best_cut(run.translate(simplify), zh) for run in runs)
    return odds + INCONSISTENT * inconsistency("".join(runs))
