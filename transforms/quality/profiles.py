"""Quality profiles: which signal may not pass which threshold, and the evidence for each.

A profile is a list of rules; a document breaking a rule is dropped with the
reason ``quality.low_<signal>`` or ``quality.high_<signal>`` (the first rule it
breaks, in the order below). Rules marked Japanese apply to documents language
ID called Japanese (or all when language ID was skipped): hiragana shares say
nothing about an English document kept by ``--languages all``.

``web``: the published thresholds for Japanese web text, unchanged.

* Swallow corpus v1 (Okazaki et al., COLM 2024; ``quality.py`` ``apply_v1``):
  letters >= 400, hiragana >= 0.2, katakana <= 0.5, Japanese characters >= 0.5,
  average sentence 20-90 characters, longest <= 200, lines ending in an ellipsis
  <= 0.2, top 2/3/4-gram <= 0.20/0.18/0.16, repeated 5-grams <= 0.15 and 10-grams
  <= 0.10 (their 5..10-gram ladder's ends).
* FineWeb-2 ``jpn_Jpan.yml``: duplicated lines <= 0.375 of characters (``dup_line_frac``).
* Gopher (Rae et al. 2021): duplicated paragraphs <= 0.30 of characters.
* llm-jp corpus v1 (``scripts/filters.py``): deflate compression ratio 0.30-0.70.

``business`` (the default): internal documents, not web pages. Tables, bullet
lists, forms and two-line memos are what a company model must learn, and the web
rules drop all of them: a form has no sentences (average length fails), a table
of product names is katakana and kanji (hiragana fails), a memo is 30 letters
(length fails). On the demo corpus ``web`` keeps 1 of the 43 Japanese documents
(20 under 400 letters, 11 over 0.15 repeated 5-grams: names, dates and codes
recur in business text; 9 under 0.2 hiragana; 1 short average sentence).
So ``business`` keeps only the rules that separate junk from
any kind of document, with thresholds far from where real documents sit
(tests/test_quality.py holds both sides; "demo" figures are the 36 documents
``make demo`` writes, measured 2026-11-28):

* letters and digits >= 2: a file of symbols or one character says nothing
  (「了解です」 has 4);
* mojibake <= 0.02 of characters: a document whose decoding broke teaches
  garbage (demo: 0; UTF-8 mail read as Shift_JIS: > 0.3);
* duplicated lines <= 0.5 and duplicated paragraphs <= 0.5 of characters (from
  100 letters): a page whose half repeats itself is boilerplate (demo: at most
  0.012 and 0; forms repeat labels per field, not per line, and ruled lines
  are not counted);
* top 4-gram <= 0.35 (from 200 letters): one phrase filling a third of the text
  is a menu or generated filler (demo: at most 0.16, on a 56-character memo;
  0.04 from 1,000 letters up);
* compression ratio >= 0.10 (from 200 letters): text that deflates ten-fold is
  one block repeated (demo: 0.46 and up).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """``signal`` must be at least ``low`` and at most ``high`` (None: no bound)."""

    signal: str
    low: float | None = None
    high: float | None = None
    japanese: bool = False
    #: Checked only on documents with at least this many letters (repetition
    #: shares of a ten-letter memo mean nothing).
    min_letters: float = 0.0

    def broken(self, scores: dict[str, float]) -> str | None:
        """The reason code when ``scores`` break the rule, else None.

        >>> Rule("hiragana_share", low=0.2).broken({"hiragana_share": 0.1, "letters": 500})
        'low_hiragana_share'
        >>> Rule("top4gram_share", high=0.35, min_letters=200).broken(
        ...     {"top4gram_share": 0.9, "letters": 20}) is None
        True
        """
        if scores["letters"] < self.min_letters:
            return None
        value = scores[self.signal]
        if self.low is not None and value < self.low:
            return f"low_{self.signal}"
        if self.high is not None and value > self.high:
            return f"high_{self.signal}"
        return None


PROFILES: dict[str, tuple[Rule, ...]] = {
    "web": (
        Rule("letters", low=400),
        Rule("hiragana_share", low=0.2, japanese=True),
        Rule("katakana_share", high=0.5, japanese=True),
        Rule("japanese_share", low=0.5, japanese=True),
        Rule("avg_sentence_len", low=20, high=90, japanese=True),
        Rule("max_sentence_len", high=200, japanese=True),
        Rule("ellipsis_line_share", high=0.2),
        Rule("top2gram_share", high=0.20),
        Rule("top3gram_share", high=0.18),
        Rule("top4gram_share", high=0.16),
        Rule("dup5gram_share", high=0.15),
        Rule("dup10gram_share", high=0.10),
        Rule("dup_line_share", high=0.375),
        Rule("dup_para_share", high=0.30),
        Rule("compression_ratio", low=0.30, high=0.70),
    ),
    "business": (
        Rule("letters", low=2),
        Rule("mojibake_share", high=0.02),
        Rule("dup_line_share", high=0.5, min_letters=100),
        Rule("dup_para_share", high=0.5, min_letters=100),
        Rule("top4gram_share", high=0.35, min_letters=200),
        Rule("compression_ratio", low=0.10, min_letters=200),
    ),
}
#: ``--quality-profile`` values; ``off`` skips the stage (no scores, no drops).
CHOICES = (*PROFILES, "off")
DEFAULT = "business"


def first_broken(profile: str, scores: dict[str, float], japanese: bool) -> str | None:
    """The reason code of the first rule of ``profile`` that ``scores`` break.

    >>> first_broken("web", {"letters": 120.0}, True)
    'low_letters'
    """
    for rule in PROFILES[profile]:
        if rule.japanese and not japanese:
            continue
        reason = rule.broken(scores)
        if reason:
            return reason
    return None
