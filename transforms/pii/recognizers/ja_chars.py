"""Character classes shared by the Japanese recognizers.

Japanese text writes the same digit, hyphen or space in several code points, and
``\\d``/``\\b`` misbehave next to kana/kanji (``\\d`` also matches Arabic-Indic
digits; ``\\b`` never fires between kanji and digits). Every pattern builds on
these explicit classes instead.

>>> import regex
>>> bool(regex.fullmatch(DIGIT + "{3}" + HYPHEN + DIGIT + "{4}", "１００ー０００５"))
True
>>> to_ascii_digits("０９０－１２３４")
'0901234'
>>> fold_width("ＴＥＬ：０３")
'TEL:03'
"""

from __future__ import annotations

import re

#: ASCII and full-width digits (never ``\\d``: it also matches other scripts' digits).
DIGIT = "[0-9０-９]"
#: Digit look-arounds used instead of ``\\b``.
NO_DIGIT_BEFORE = "(?<![0-9０-９])"
NO_DIGIT_AFTER = "(?![0-9０-９])"

#: Hyphen-like characters seen between digit groups (reference §2.15).
HYPHEN_CHARS = "-－‐‑‒–—―−ーｰ﹣"
HYPHEN = "[" + HYPHEN_CHARS + "]"
#: Half-width and ideographic space.
SPACE = "[ 　]"
#: Letters and digits in both widths: a number or code must not run on into one.
ALNUM_CHARS = "A-Za-zＡ-Ｚａ-ｚ0-9０-９"
#: One separator inside a grouped number: any hyphen variant or a space.
NUMBER_SEP = "[" + HYPHEN_CHARS + " 　]"

#: ASCII and full-width Latin letters (IGNORECASE is on in Presidio, but be explicit).
LATIN = "[A-Za-zＡ-Ｚａ-ｚ]"

#: Kanji numerals used in addresses (二丁目, 三番).
KANJI_NUMERAL = "[〇一二三四五六七八九十百千]"

_FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALFWIDTH = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
#: 1:1 fold (full-width ASCII -> ASCII, U+3000 -> space): keeps offsets valid.
WIDTH_FOLD = str.maketrans(_FULLWIDTH, _HALFWIDTH)
_DIGIT_FOLD = str.maketrans("０１２３４５６７８９", "0123456789")


_WIDE_RUN = re.compile("[\uff01-\uff5e\u3000]+")
#: The last long text folded: every recognizer folds the same chunk in turn.
_last_fold: tuple[str, str] = ("", "")


def fold_width(text: str) -> str:
    """Fold full-width ASCII to ASCII without changing the length (unlike NFKC).

    Only the runs of full-width characters are translated (a dict lookup per
    character costs ~40 ns), and the last long text folded is remembered.

    >>> fold_width("ＴＥＬ：０３　1234")
    'TEL:03 1234'
    """
    global _last_fold
    last = _last_fold
    if last[0] is text:
        return last[1]
    folded = _WIDE_RUN.sub(lambda run: run.group().translate(WIDTH_FOLD), text)
    if len(text) > 256:
        _last_fold = (text, folded)
    return folded


def to_ascii_digits(text: str) -> str:
    """Keep only the digits of ``text``, as ASCII (for checksums and plan checks)."""
    return "".join(c for c in text.translate(_DIGIT_FOLD) if "0" <= c <= "9")
