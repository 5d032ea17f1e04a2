"""Character-window context for Japanese pattern recognizers.

Presidio's ``LemmaContextAwareEnhancer`` looks 5 *tokens* back and 0 forward, so
``123456789018がマイナンバーです`` or a keyword one line above a number is never
seen. Commercial DLP (Microsoft Purview) instead looks for a keyword within ±300
*characters*. :class:`ContextWindow` does that on the raw text (after a 1:1
width fold, so offsets stay valid), and :class:`CharWindowPatternRecognizer`
applies it inside ``analyze`` and marks every result with
``IS_SCORE_ENHANCED_BY_CONTEXT_KEY`` so the lemma enhancer leaves it alone.

Negative keywords (``注文番号``, ``請求書``…) model field labels: when one sits
closer before the match than any positive keyword, the value belongs to that
field, not to ours.

>>> window = ContextWindow(["マイナンバー"], before=300, after=300, negative=["注文番号"])
>>> text = "123456789018がマイナンバーです"
>>> window.decide(text, 0, 12)
ContextVerdict(polarity=1, keyword='マイナンバー')
>>> text = "マイナンバー: 123456789018 / 注文番号: 202610160001"
>>> window.decide(text, 38, 50).polarity
-1
>>> text = "916909990399（注文番号）の納期"  # a label right after the value
>>> window.decide(text, 0, 12).polarity
-1
>>> window = ContextWindow(["マイナンバー"], negative=["携帯"])
>>> text = "私の携帯です。\\n123456789018が私のマイナンバーです"  # label of the previous line
>>> window.decide(text, 8, 20)
ContextVerdict(polarity=1, keyword='マイナンバー')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import regex
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

from .. import deadline
from .ja_chars import fold_width

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

#: Metadata key holding the keyword that decided a result's score (no PII in it).
CONTEXT_KEYWORD_KEY = "context_window_keyword"

POSITIVE = 1
NONE = 0
NEGATIVE = -1


class ContextVerdict(NamedTuple):
    """Outcome of a window lookup: +1 keyword found, -1 negative label wins, 0 nothing."""

    polarity: int
    keyword: str | None = None


def _keyword_regex(keywords: Iterable[str]) -> regex.Pattern[str] | None:
    words = sorted({fold_width(k) for k in keywords if k}, key=len, reverse=True)
    if not words:
        return None
    return regex.compile("|".join(regex.escape(w) for w in words), regex.IGNORECASE)


#: A sentence end or line break: labels do not reach across it.
_BOUNDARY = regex.compile(r"[。．！？!?\n]")
#: How far after a value a label in brackets may start (``（注文番号）``).
_LABEL_AFTER = 12


def _label_start(right: str) -> int:
    """Offset of a label right after a value: past spaces and one opening bracket."""
    position = len(right) - len(right.lstrip(" \u3000"))
    if position < len(right) and right[position] in "（(［[【〔「":
        position += 1
    return position


class ContextWindow:
    """Find positive / negative keywords within a character window around a span."""

    def __init__(
        self,
        keywords: Iterable[str],
        before: int = 300,
        after: int = 300,
        negative: Iterable[str] = (),
        negative_before: int = 20,
    ) -> None:
        self.before = before
        self.after = after
        self.negative_before = negative_before
        self._positive = _keyword_regex(keywords)
        self._negative = _keyword_regex(negative)

    def decide(self, text: str, start: int, end: int) -> ContextVerdict:
        """Classify the context of ``text[start:end]`` (nearest label before wins).

        A negative label counts only within its own line and sentence (a label of
        the previous sentence does not own this value), and also right after the
        value (``916909990399（注文番号）``).
        """
        if self._positive is None and self._negative is None:
            return ContextVerdict(NONE)
        lo = max(0, start - max(self.before, self.negative_before))
        left = fold_width(text[lo:start])
        positive_spans = list(self._positive.finditer(left)) if self._positive else []
        pos_before = None
        for m in positive_spans:
            if start - (lo + m.end()) <= self.before:
                pos_before = m  # keep the nearest (last) one
        if self._negative is not None:
            neg_before = None
            for m in self._negative.finditer(left):
                if start - (lo + m.end()) > self.negative_before:
                    continue
                if _BOUNDARY.search(left, m.end()):
                    continue  # a label of an earlier sentence or line
                # "個人番号カード番号": a positive phrase that starts earlier and runs
                # into the negative one is the real label.
                if any(p.start() < m.start() < p.end() for p in positive_spans):
                    continue
                neg_before = m
            nearer = pos_before is None or (neg_before and neg_before.end() > pos_before.end())
            if neg_before is not None and nearer:
                return ContextVerdict(NEGATIVE, neg_before.group(0))
            right = fold_width(text[end : end + _LABEL_AFTER])
            label_after = self._negative.match(right, _label_start(right))
            if label_after is not None and pos_before is None:
                return ContextVerdict(NEGATIVE, label_after.group(0))
        if pos_before is not None:
            return ContextVerdict(POSITIVE, pos_before.group(0))
        if self._positive is not None and self.after > 0:
            m = self._positive.search(fold_width(text[end : end + self.after]))
            if m is not None:
                return ContextVerdict(POSITIVE, m.group(0))
        return ContextVerdict(NONE)


class CharWindowPatternRecognizer(PatternRecognizer):
    """``PatternRecognizer`` with a character-window context and fail-closed matching.

    Differences from Presidio's ``PatternRecognizer.analyze``:

    * a named group ``pii`` in a pattern sets the span (labels such as
      ``郵便番号：`` can be matched without ending up inside the span);
    * a regex timeout raises instead of being logged and skipped, so the caller
      can quarantine the document (fail closed); the timeout is what is left of
      the document's detection deadline (:mod:`..deadline`), if one is set;
    * the score is then decided by :class:`ContextWindow`: positive keyword ->
      ``max(score, context_score)``; a nearer negative label -> dropped
      (``DROP_ON_NEGATIVE``) or kept at the base score; nothing ->
      :meth:`score_without_context`.

    Subclasses set ``PATTERNS``, ``CONTEXT``, ``NEGATIVE_CONTEXT``, the window
    sizes and ``CONTEXT_SCORE``.
    """

    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    NEGATIVE_CONTEXT: ClassVar[list[str]] = []
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (300, 300)
    NEGATIVE_WINDOW: ClassVar[int] = 20
    CONTEXT_SCORE: ClassVar[float] = 0.85
    DROP_ON_NEGATIVE: ClassVar[bool] = True
    ENTITY: ClassVar[str] = ""
    #: Regex flags for this recognizer's patterns (None: Presidio's DOTALL|MULTILINE|IGNORECASE).
    REGEX_FLAGS: ClassVar[int | None] = None
    #: A regex (case-insensitive, on width-folded text) that every match needs somewhere
    #: in the text, such as ``@`` for e-mail: a text without it skips every pattern.
    #: It must be a necessary condition, never a hint. None: the patterns always run.
    PREFILTER: ClassVar[str | None] = None
    #: True when a match without a keyword (or ``has_extra_context``) never counts:
    #: the keywords, the policy's extra ones included, then join ``PREFILTER``.
    PREFILTER_WITH_CONTEXT: ClassVar[bool] = False
    #: The same per pattern (``Pattern.name`` -> regex): the pattern runs only when its
    #: prefilter finds something. For costly patterns on text that rarely holds their value.
    PATTERN_PREFILTERS: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        negative_context: list[str] | None = None,
        supported_language: str = "ja",
        supported_entity: str | None = None,
        name: str | None = None,
        context_window: tuple[int, int] | None = None,
        context_score: float | None = None,
    ) -> None:
        # Fresh Pattern objects per instance: Presidio caches the compiled regex on them.
        patterns = patterns or [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS]
        context = list(self.CONTEXT) if context is None else context
        negative = list(self.NEGATIVE_CONTEXT) if negative_context is None else negative_context
        before, after = context_window or self.CONTEXT_WINDOW
        self.context_score = self.CONTEXT_SCORE if context_score is None else context_score
        self.window = ContextWindow(context, before, after, negative, self.NEGATIVE_WINDOW)
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            name=name,
            supported_language=supported_language,
            patterns=patterns,
            context=context,
        )
        if self.REGEX_FLAGS is not None:
            self.global_regex_flags = self.REGEX_FLAGS
        self.prefilter = None
        if self.PREFILTER is not None:
            terms = [self.PREFILTER]
            if self.PREFILTER_WITH_CONTEXT:
                terms += [regex.escape(fold_width(word)) for word in context if word.strip()]
            self.prefilter = regex.compile("|".join(terms), regex.IGNORECASE | regex.MULTILINE)
        names = {pattern.name for pattern in patterns}
        self.pattern_prefilters = {
            name: regex.compile(expression, regex.IGNORECASE | regex.MULTILINE)
            for name, expression in self.PATTERN_PREFILTERS.items() if name in names
        }

    # -- hooks -------------------------------------------------------------

    def score_match(self, value: str, score: float) -> float:
        """Adjust a validated match's base score (plausibility checks). 0 drops it."""
        return score

    def score_without_context(self, value: str, score: float) -> float:
        """Score when no keyword is near. 0 drops the match."""
        return score

    def has_extra_context(self, text: str, start: int, end: int) -> bool:
        """Recognizer-specific positive evidence beyond keywords (default: none)."""
        return False

    # -- Presidio API --------------------------------------------------------

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Match patterns, validate, then score with the character window."""
        deadline.check()
        folded = fold_width(text)
        if self.prefilter is not None and self.prefilter.search(folded) is None:
            return []
        results = []
        for result, value in self._match_patterns(text, regex_flags, folded):
            verdict = self.window.decide(text, result.start, result.end)
            if verdict.polarity == NEGATIVE:
                if self.DROP_ON_NEGATIVE:
                    continue
            elif verdict.polarity == POSITIVE or self.has_extra_context(
                text, result.start, result.end
            ):
                result.score = max(result.score, self.context_score)
                if result.analysis_explanation is not None:
                    result.analysis_explanation.set_supportive_context_word(
                        verdict.keyword or ""
                    )
                    result.analysis_explanation.set_improved_score(result.score)
            else:
                result.score = self.score_without_context(value, result.score)
            if result.score <= EntityRecognizer.MIN_SCORE:
                continue
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            result.recognition_metadata[CONTEXT_KEYWORD_KEY] = verdict.keyword
            results.append(result)
        deduped = EntityRecognizer.remove_duplicates(results)
        return sorted(deduped, key=lambda r: (r.start, r.end, -r.score))

    def _match_patterns(
        self, text: str, flags: int | None = None, folded: str | None = None
    ) -> list[tuple[RecognizerResult, str]]:
        """Run every pattern (unless its prefilter finds nothing in ``folded``, the
        width-folded text); a regex timeout propagates (fail closed)."""
        flags = flags if flags else self.global_regex_flags
        found: list[tuple[RecognizerResult, str]] = []
        for pattern in self.patterns:
            prefilter = self.pattern_prefilters.get(pattern.name)
            if prefilter is not None:
                if folded is None:
                    folded = fold_width(text)
                if prefilter.search(folded) is None:
                    continue
            if not pattern.compiled_regex or pattern.compiled_with_flags != flags:
                pattern.compiled_with_flags = flags
                pattern.compiled_regex = regex.compile(pattern.regex, flags=flags)
            compiled = pattern.compiled_regex
            has_group = "pii" in compiled.groupindex
            for match in compiled.finditer(
                    text, timeout=deadline.remaining(REGEX_TIMEOUT_SECONDS)):
                start, end = match.span("pii") if has_group else match.span()
                if start < 0 or start == end:
                    continue
                value = text[start:end]
                validation = self.validate_result(value)
                score = pattern.score
                if validation is not None:
                    score = EntityRecognizer.MAX_SCORE if validation else EntityRecognizer.MIN_SCORE
                if self.invalidate_result(value):
                    score = EntityRecognizer.MIN_SCORE
                if score > EntityRecognizer.MIN_SCORE:
                    score = self.score_match(value, score)
                if score <= EntityRecognizer.MIN_SCORE:
                    continue
                explanation = self.build_regex_explanation(
                    self.name, pattern.name, pattern.regex, pattern.score, validation, flags
                )
                explanation.score = score
                found.append(
                    (
                        RecognizerResult(
                            entity_type=self.supported_entities[0],
                            start=start,
                            end=end,
                            score=score,
                            analysis_explanation=explanation,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        ),
                        value,
                    )
                )
        return found

