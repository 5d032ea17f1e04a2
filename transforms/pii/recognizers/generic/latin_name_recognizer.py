"""Personal names in Latin script (romaji or foreign) inside Japanese business text.

Sudachi/GiNZA do not tag ``Anna Becker`` or ``Daisuke Nakamura``. Capitalised
word pairs alone would flag every product name, so this recognizer only trusts
cues: a title (``Ms. Becker``), a mail header (``From: Chihiro Fujiwara <``),
a labelled list (``Attendees: Anna Becker (…), Jonas Weber (…)``), or the same
words as the local part of an e-mail address in the text (``anna.becker@…``
makes ``Anna``, ``Becker`` and ``Anna Becker`` names). Words of cued names are
then found wherever they recur in the text (``Thanks, Anna.``).

>>> r = LatinNameRecognizer()
>>> text = ("Cc: Daisuke Nakamura <daisuke.nakamura@example.co.jp>\\n"
...         "Thanks, Daisuke. Dear Ms. Becker,")
>>> [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PERSON"])]
[('Daisuke Nakamura', 0.85), ('Daisuke', 0.7), ('Ms. Becker', 0.85)]
>>> text = "Apache Beam and Data Platform; sales@example.com, Support Team"
>>> r.analyze(text, ["PERSON"])
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    RecognizerResult,
)

from ..context_window import CharWindowPatternRecognizer

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_FULL = rf"{_NAME}(?: (?:[A-Z]\. )?(?:{_NAME}|[A-Z]{{2,}}))?"
TITLE_REGEX = rf"(?<![A-Za-z])(?P<pii>(?:Mr|Ms|Mrs|Miss|Dr|Prof)\.? {_FULL})(?![A-Za-z])"
HEADER_REGEX = (
    rf"(?m)^(?:From|To|Cc|Bcc|Reply-To|差出人|宛先|送信者)[ 　]*[:：][ 　]*"
    rf"(?P<pii>{_FULL})[ 　]*[<＜(（]"
)
_LIST_LABEL = (
    r"(?:Attendees?|Participants?|Present|Notes taken by|Minutes by|Owner|Contact|Name|Author|"
    r"Assignee|Reporter|Reviewer|Approver|Requester|出席者|参加者|担当者?|氏名)"
)
# "Attendees (Nordlicht): Anna Becker (Head of Procurement), Jonas Weber (Field Engineering)"
LIST_REGEX = (
    rf"(?<=(?m:^)[-*•・ \t]*{_LIST_LABEL}(?:[ \t]*[(（][^)）\n]*[)）])?[ \t]*[:：][ \t]*"
    rf"(?:[^\n]{{0,300}}?[,、][ \t]*)?)(?P<pii>{_FULL})(?=[ \t]*(?:[(（,、]|$))"
)
_EMAIL_LOCAL = regex.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z]{2,20})[._]([A-Za-z]{2,20})(?:[._-][A-Za-z0-9]+)*[@＠]"
)
#: Local-part words that are roles or systems, not people.
ROLE_WORDS = frozenset(
    """info support sales admin help helpdesk staff team all dev noreply no reply contact
    service office press hr soumu jimu system root mail web master postmaster billing order
    orders""".split()
)


class LatinNameRecognizer(CharWindowPatternRecognizer):
    """Latin-script names with a title, a mail header, or a matching e-mail address."""

    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Latin name after title", TITLE_REGEX, 0.85),
        Pattern("Latin name in mail header", HEADER_REGEX, 0.85),
        Pattern("Latin name in a labelled list", LIST_REGEX, 0.85),
    ]
    #: Capitalisation is the signal here: no IGNORECASE.
    REGEX_FLAGS: ClassVar[int | None] = regex.DOTALL | regex.MULTILINE
    EMAIL_NAME_SCORE: ClassVar[float] = 0.7

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Cue patterns, then names spelled like an e-mail local part in the same text."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        cued = {w for r in results for w in text[r.start : r.end].split(" ")}
        results.extend(self._known_names(text, cued))
        deduped = EntityRecognizer.remove_duplicates(results)
        return sorted(deduped, key=lambda r: (r.start, r.end, -r.score))

    def _known_names(self, text: str, cued: set[str]) -> list[RecognizerResult]:
        """Words of e-mail local parts (anna.becker@) and of cued names, wherever they recur."""
        words = {w.lower() for w in cued if regex.fullmatch(_NAME, w)}
        for m in _EMAIL_LOCAL.finditer(text):
            pair = [w.lower() for w in m.groups()]
            if not ROLE_WORDS.intersection(pair):
                words.update(pair)
        if not words:
            return []
        ordered = sorted(words, key=len, reverse=True)
        capitalised = "|".join(regex.escape(w.capitalize()) for w in ordered)
        upper = "|".join(regex.escape(w.upper()) for w in ordered)
        word = f"(?:{capitalised}|{upper})"
        pattern = regex.compile(rf"(?<![A-Za-z0-9.@_-]){word}(?: {word})?(?![A-Za-z0-9@_-])")
        return [self._result(m.start(), m.end()) for m in pattern.finditer(text)]

    def _result(self, start: int, end: int) -> RecognizerResult:
        score = self.EMAIL_NAME_SCORE
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name,
                original_score=score,
                textual_explanation="Latin name matching an e-mail local part",
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )
