"""E-mail addresses inside Japanese text.

Presidio's stock pattern uses ``\\b``/``\\w``; kana and kanji are ``\\w``, so
``メールはtaro@example.co.jpです`` is missed or swallows the Japanese around it.
Here local part and domain are ASCII (or full-width ASCII, ``＠``, ``．``) with
explicit look-arounds, so the span stops where the Japanese starts.

Obfuscated addresses are caught too: ``[at]``/``(at)``/``＜アット＞`` and
``[dot]``/``(dot)``/`` dot `` are a deliberate disguise (high score). A plain
`` at `` (``taro at example.co.jp``) is ordinary English most of the time, so it
counts only with a mail keyword nearby (or `` dot `` / ``[dot]`` in the domain),
never after a common English word (``look at``, ``meet us at``), and never
with an upper-case domain (``at home.The``).

>>> r = JaEmailRecognizer()
>>> def spans(text):
...     return [text[x.start:x.end] for x in r.analyze(text, ["EMAIL_ADDRESS"])]
>>> spans("メールはtaro@example.co.jpです。")
['taro@example.co.jp']
>>> spans("連絡先：ｈａｎａｋｏ．ｓｕｚｕｋｉ＠ｅｘａｍｐｌｅ．ｊｐまで")
['ｈａｎａｋｏ．ｓｕｚｕｋｉ＠ｅｘａｍｐｌｅ．ｊｐ']
>>> spans("<a.b+tag@mail.example.com>, 送信者 yamada_t@corp.local.")
['a.b+tag@mail.example.com', 'yamada_t@corp.local']
>>> spans("@channel へ連絡、価格は1,200円@個、user@localhost")
[]
>>> spans("連絡は taro.yamada[at]example[dot]co[dot]jp か hanako (at) example.jp へ")
['taro.yamada[at]example[dot]co[dot]jp', 'hanako (at) example.jp']
>>> spans("Mail: taro at example.co.jp / jiro at example dot com")
['taro at example.co.jp', 'jiro at example dot com']
>>> spans("We met at example.com's booth. Look at docs.python.org, arrive at 10.30")
[]
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from ..context_window import CharWindowPatternRecognizer

_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_LOCAL_CHAR = f"[{_ALNUM}_%+\\-＿％＋－!#$&'*/=?^`{{|}}~]"
_DOT = "[.．]"
_AT = "[@＠]"
_LABEL = f"[{_ALNUM}](?:[{_ALNUM}\\-－]{{0,61}}[{_ALNUM}])?"
_TLD = "[A-Za-zＡ-Ｚａ-ｚ]{2,24}"
_OPEN = r"[\[(（［<＜{｛【]"
_CLOSE = r"[\])）］>＞}｝】]"
_BR_AT = rf"[ 　]?{_OPEN}[ 　]?(?:at|ａｔ|アット)[ 　]?{_CLOSE}[ 　]?"
_BR_DOT = rf"[ 　]?{_OPEN}[ 　]?(?:dot|ｄｏｔ|ドット)[ 　]?{_CLOSE}[ 　]?"
_PLAIN_AT = "[ 　]+(?:at|ａｔ)[ 　]+"
_PLAIN_DOT = "[ 　]+(?:dot|ｄｏｔ)[ 　]+"
_ANY_DOT = f"(?:{_DOT}|{_BR_DOT}|{_PLAIN_DOT})"
_LOCAL = f"{_LOCAL_CHAR}{{1,64}}"
_NOT_JA = r"[^@＠\r\n\t\p{Han}\p{Hiragana}\p{Katakana}ー]"
_END = rf"(?![{_ALNUM}_\-－]|{_DOT}[{_ALNUM}])"

EMAIL_REGEX = (
    # Do not start inside a longer local part; an @ must follow within 64 chars
    # (RFC 5321 limit), which also keeps failed attempts linear.
    rf"(?<!{_LOCAL_CHAR})(?=[^@＠\s]{{1,64}}{_AT})"
    rf"{_LOCAL_CHAR}+(?:{_DOT}{_LOCAL_CHAR}+)*"
    rf"{_AT}"
    rf"(?:{_LABEL}{_DOT})+{_TLD}"
    # Stop at the end of the domain; a trailing sentence dot is fine.
    rf"(?![{_ALNUM}_\-－]|{_DOT}[{_ALNUM}])"
)
#: ``taro[at]example[dot]jp``, ``taro(at)example.jp``, ``taro@example[dot]jp``.
EMAIL_OBFUSCATED_REGEX = (
    # Start on a local-part character, and an @ or a bracketed "at" must follow within
    # 100 non-Japanese characters: failed attempts stay cheap in kana/kanji text.
    rf"(?<!{_LOCAL_CHAR}|{_DOT})(?={_LOCAL_CHAR})"
    rf"(?={_NOT_JA}{{1,100}}?(?:{_AT}|{_BR_AT}))"
    rf"{_LOCAL}(?:(?:{_DOT}|{_BR_DOT}){_LOCAL})*"
    rf"(?:{_BR_AT}|{_AT})"
    rf"(?:{_LABEL}{_ANY_DOT})+{_TLD}{_END}"
)
#: ``taro at example.co.jp``: only with a keyword or an obfuscated dot (see score hooks).
EMAIL_PLAIN_AT_REGEX = (
    rf"(?<!{_LOCAL_CHAR}|{_DOT})(?=(?:{_LOCAL_CHAR}|{_DOT}){{1,150}}?{_PLAIN_AT})"
    rf"{_LOCAL}(?:{_DOT}{_LOCAL})*"
    rf"{_PLAIN_AT}"
    rf"(?:{_LABEL}{_ANY_DOT})+{_TLD}{_END}"
)

#: Words that precede an ordinary English "at" (never a mailbox name here).
ENGLISH_BEFORE_AT = frozenset(
    """a an and are arrive arrived arrives arriving as be been being but by can did do does
    done find found get got here held i i'm is it it's just look looked looking looks me
    meet meeting meets met not now online only or our out see seen stay stayed staying
    still that the them there they this us was we were work worked working works you
    available based located""".split()
)
_PLAIN_AT_SPLIT = regex.compile(_PLAIN_AT, regex.IGNORECASE)
_OBFUSCATED_DOT = regex.compile(f"{_BR_DOT}|{_PLAIN_DOT}", regex.IGNORECASE)


class JaEmailRecognizer(CharWindowPatternRecognizer):
    """E-mail address recognizer that does not swallow adjacent kana/kanji."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Email (ASCII, CJK-safe)", EMAIL_REGEX, 0.85),
        Pattern("Email (obfuscated [at]/[dot])", EMAIL_OBFUSCATED_REGEX, 0.85),
        Pattern("Email (plain ' at ')", EMAIL_PLAIN_AT_REGEX, 0.4),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "メール", "Eメール", "e-mail", "email", "mail", "アドレス", "連絡先", "宛先",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (50, 10)
    CONTEXT_SCORE: ClassVar[float] = 0.95
    #: Every pattern has an @ or an "at" (bracketed, spaced or アット).
    PREFILTER = "@|at|アット"
    PATTERN_PREFILTERS: ClassVar[dict[str, str]] = {
        "Email (ASCII, CJK-safe)": "@",
        "Email (obfuscated [at]/[dot])": r"@|[\[(<{【] ?(?:at|アット) ?[\])>}】]",
        "Email (plain ' at ')": " at ",
    }

    def score_match(self, value: str, score: float) -> float:
        """A plain `` at `` after an English word, or before a capitalised domain, is prose."""
        parts = _PLAIN_AT_SPLIT.split(value, maxsplit=1)
        if "@" in value or "＠" in value or len(parts) != 2:
            return score
        local, domain = parts
        if local.lower() in ENGLISH_BEFORE_AT or domain != domain.lower():
            return 0.0
        return score

    def score_without_context(self, value: str, score: float) -> float:
        """A plain `` at `` needs a mail keyword, unless the dots are disguised too."""
        if score >= 0.85 or _OBFUSCATED_DOT.search(value):
            return max(score, 0.85)
        return 0.0
