"""E-mail addresses inside Japanese text.

Presidio's stock pattern uses ``\\b``/``\\w``; kana and kanji are ``\\w``, so
``メールはtaro@example.co.jpです`` is missed or swallows the Japanese around it.
Here local part and domain are ASCII (or full-width ASCII, ``＠``, ``．``) with
explicit look-arounds, so the span stops where the Japanese starts.

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
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from ..context_window import CharWindowPatternRecognizer

_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_LOCAL_CHAR = f"[{_ALNUM}_%+\\-＿％＋－!#$&'*/=?^`{{|}}~]"
_DOT = "[.．]"
_AT = "[@＠]"
_LABEL = f"[{_ALNUM}](?:[{_ALNUM}\\-－]{{0,61}}[{_ALNUM}])?"
_TLD = "[A-Za-zＡ-Ｚａ-ｚ]{2,24}"

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


class JaEmailRecognizer(CharWindowPatternRecognizer):
    """E-mail address recognizer that does not swallow adjacent kana/kanji."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [Pattern("Email (ASCII, CJK-safe)", EMAIL_REGEX, 0.85)]
    CONTEXT: ClassVar[list[str]] = [
        "メール", "Eメール", "e-mail", "email", "mail", "アドレス", "連絡先", "宛先",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (50, 10)
    CONTEXT_SCORE: ClassVar[float] = 0.95
