"""Confidentiality markers (社外秘, 極秘, 【秘】, Confidential…) used as markers.

A marker classifies the whole document; the policy usually drops or quarantines
it rather than masking the word. What matters is telling a *marker* from a
*mention*:

* bracketed (``【社外秘】``, ``［極秘］``, ``(Confidential)``, ``㊙``) — 0.95;
* after a classification label (``機密区分：社外秘``, ``Classification: Internal Only``) — 0.95;
* alone at the start or end of a line, or followed by a separator
  (``社外秘 2026年度 事業計画``, ``… 議事録　取扱注意``) — 0.85;
* anywhere else, inside a sentence (``社外秘の文書の扱いについて``) — 0.3, so a
  policy can count mentions without acting on them.

``秘`` alone is a marker only bracketed, as ``㊙`` or alone on a line (秘書, 秘密,
便秘 are words). Latin markers need ASCII boundaries (``Confidentiality`` is not
a marker). The span is the marker word, without brackets.

>>> r = ConfidentialMarkerRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["CONFIDENTIAL"])]
>>> spans("【社外秘】2026年度 事業計画")
[('社外秘', 0.95)]
>>> spans("極秘\\n新製品の件")
[('極秘', 0.85)]
>>> spans("社外秘の文書の扱いについて説明します。")
[('社外秘', 0.3)]
>>> spans("秘書課の便秘薬、神秘的")
[]
>>> spans("ＣＯＮＦＩＤＥＮＴＩＡＬ")
[('ＣＯＮＦＩＤＥＮＴＩＡＬ', 0.85)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from .context_window import CharWindowPatternRecognizer
from .ja_chars import fold_width

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

#: Japanese markers (longest first within the alternation; variants of 取扱/持出).
JA_MARKERS: tuple[str, ...] = (
    "関係者外秘", "関係者限り", "社外秘", "部外秘", "課外秘", "社内秘", "部内秘", "極秘", "厳秘",
    "取扱注意", "取扱い注意", "取り扱い注意", "取扱厳重注意", "社内限り", "社内限定",
    "部内限り", "関係者外開示禁止", "持出禁止", "持ち出し禁止", "持出し禁止", "社外持出禁止",
    "複製禁止", "転送禁止", "開示禁止",
)
#: Latin markers (matched with ASCII letter boundaries, case-insensitive).
LATIN_MARKERS: tuple[str, ...] = (
    "Strictly Confidential", "Highly Confidential", "Company Confidential", "Confidential",
    "Internal Use Only", "Internal Only", "For Internal Use Only",
    "Proprietary and Confidential", "Do Not Distribute", "Not for Distribution",
)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted((w.replace(" ", "[ 　]+") for w in words), key=len, reverse=True))


_JA = _alternation(JA_MARKERS)
_LATIN = rf"(?<![A-Za-zＡ-Ｚａ-ｚ])(?:{_alternation(LATIN_MARKERS)})(?![A-Za-zＡ-Ｚａ-ｚ])"
_ANY = f"(?:{_JA}|{_LATIN})"
_OPEN = r"[【［\[〔（(＜<《〈「『]"
_CLOSE = r"[】］\]〕）)＞>》〉」』]"
_SP = "[ \t　]*"
_SEPARATOR = r"(?:$|[ \t　]|[:：/／|｜・、,，\-－―—])"

BRACKETED_REGEX = rf"{_OPEN}{_SP}(?P<pii>{_ANY}|秘){_SP}{_CLOSE}|(?P<pii>㊙)"
LABELLED_REGEX = (
    r"(?:機密区分|機密性|秘密区分|秘匿区分|取扱区分|情報区分|文書区分|区分|分類|格付け?"
    r"|Classification|Sensitivity|Security Level|Label)"
    rf"{_SP}[:：]{_SP}(?P<pii>{_ANY})"
)
_BULLET = rf"[ \t　]*(?:[■□◆◇●○※＊*#＃]+{_SP})?"
LINE_START_REGEX = (
    rf"(?m)^{_BULLET}(?:(?P<pii>{_JA}|秘)(?={_SEPARATOR})"
    rf"|(?P<pii>{_LATIN})(?={_SP}(?:$|[:：/／|｜\-－―—])))"
)
LINE_END_REGEX = rf"(?m)(?<=[ \t　]|^)(?P<pii>{_ANY})(?={_SP}$)"
MENTION_REGEX = rf"(?P<pii>{_ANY})"


class ConfidentialMarkerRecognizer(CharWindowPatternRecognizer):
    """社外秘/極秘/Confidential… as markers (high) or as mentions in a sentence (0.3)."""

    ENTITY = "CONFIDENTIAL"
    #: Every pattern's value is a marker word, ㊙, or 秘 alone in brackets or opening a line.
    PREFILTER = f"{_ANY}|㊙|{_OPEN}{_SP}秘|^{_BULLET}秘"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Confidential marker in brackets", BRACKETED_REGEX, 0.95),
        Pattern("Confidential marker after a classification label", LABELLED_REGEX, 0.95),
        Pattern("Confidential marker at line start", LINE_START_REGEX, 0.85),
        Pattern("Confidential marker at line end", LINE_END_REGEX, 0.85),
        Pattern("Confidential word mentioned in a sentence", MENTION_REGEX, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = []

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Match on the 1:1 width fold (ＣＯＮＦＩＤＥＮＴＩＡＬ), offsets unchanged."""
        return super().analyze(fold_width(text), entities, nlp_artifacts, regex_flags)
