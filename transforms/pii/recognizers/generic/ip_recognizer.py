"""IPv4 and IPv6 addresses inside Japanese text.

Presidio's ``IpRecognizer`` anchors with ``\\b``, which does not fire between
kana/kanji and digits (``IPは192.168.1.10です`` is missed). These patterns use
explicit look-arounds and validate with :mod:`ipaddress`. Version strings
(``v2.3.1``, ``Ver. 10.0.19045.1234``), dates and section numbers are not
addresses; loopback / unspecified / broadcast addresses score low.

>>> r = JaIpRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, [r.ENTITY])]
>>> spans("接続元IPは192.168.10.25です")
[('192.168.10.25', 0.85)]
>>> spans("サーバ１０．０．０．１２と2001:db8::8a2e:370:7334を比較")
[('１０．０．０．１２', 0.85), ('2001:db8::8a2e:370:7334', 0.85)]
>>> spans("ログ 203.0.113.7 / fe80::1ff:fe23:4567:890a、127.0.0.1")
[('203.0.113.7', 0.6), ('fe80::1ff:fe23:4567:890a', 0.6), ('127.0.0.1', 0.3)]
>>> spans("サーバ手順 3.1.2.1 節")  # all single digits: a section number, shape only
[('3.1.2.1', 0.2)]
>>> spans("IPアドレス：2fd4:cdef:17e:506a:4305:6383:7f5f:dc33")
[('2fd4:cdef:17e:506a:4305:6383:7f5f:dc33', 0.85)]
>>> spans("ライブラリを7.9.9.99へ更新、3.3.0.42 にアップデート")  # versions
[]
>>> spans("v2.3.1、バージョン 10.0.1.2、2026.03.02、1.2.3.4.5、256.1.1.1、12:30:45、std::vector")
[]
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import Pattern, RecognizerResult

from ..context_window import CONTEXT_KEYWORD_KEY, CharWindowPatternRecognizer
from ..ja_chars import fold_width

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_DOT = "[.．]"
_OCTET = "[0-9０-９]{1,3}"
_HEX = "[0-9A-Fa-f０-９Ａ-Ｆａ-ｆ]"
_COLON = "[:：]"
_WORD = "A-Za-zＡ-Ｚａ-ｚ0-9０-９_"

IPV4_REGEX = (
    rf"(?<![{_WORD}.．]|[0-9０-９]{_DOT}|{_COLON}{_HEX})"
    rf"{_OCTET}(?:{_DOT}{_OCTET}){{3}}"
    rf"(?![0-9０-９]|{_DOT}[0-9０-９])"
)
# Candidate: hex groups joined by colons (at least two), optional dotted IPv4 tail;
# ipaddress decides whether it is an address.
IPV6_REGEX = (
    # Not inside a longer address ("1:" or "::" before), but a label colon is fine
    # (IPアドレス：2001:db8::1).
    rf"(?<![{_WORD}.．]|{_COLON}{_COLON}|(?<![{_WORD}]){_HEX}{{1,4}}{_COLON})"
    rf"(?=[0-9A-Fa-f０-９Ａ-Ｆａ-ｆ:：]*{_COLON}[0-9A-Fa-f０-９Ａ-Ｆａ-ｆ]*{_COLON})"
    rf"(?:{_HEX}{{1,4}}|(?={_COLON}{_COLON}))(?:{_COLON}{{1,2}}{_HEX}{{1,4}}){{1,7}}"
    rf"(?:{_COLON}{_COLON}|(?<={_COLON}{_HEX}{{1,4}}){_DOT}{_OCTET}(?:{_DOT}{_OCTET}){{2}})?"
    rf"(?![{_WORD}:：]|{_DOT}[0-9０-９])"
)


#: "3.3.0.42 にアップデート", "7.9.9.99へ更新": a version number, unless an IP keyword is near.
_VERSION_AFTER = regex.compile(
    r"[ 　]?[にへをがの]?[ 　]?(?:アップデート|アップグレード|更新|リリース|バージョン|版|"
    r"update|upgrade|release)",
    regex.IGNORECASE,
)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = fold_width(text)
    try:
        if ":" in value:
            if "::" not in value and value.count(":") + ("." in value) < 7:
                return None  # 12:30:45, a:b:c — not a full address
            return ipaddress.IPv6Address(value)
        if any(len(o) > 1 and o.startswith("0") for o in value.split(".")):
            return None  # 2026.03.02-style leading zeros
        return ipaddress.IPv4Address(value)
    except ValueError:
        return None


class JaIpRecognizer(CharWindowPatternRecognizer):
    """IPv4/IPv6 addresses with kana-safe boundaries, validated by :mod:`ipaddress`."""

    ENTITY = "IP_ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("IPv4", IPV4_REGEX, 0.6),
        Pattern("IPv6", IPV6_REGEX, 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "IP", "IPアドレス", "アドレス", "サーバ", "サーバー", "ホスト", "接続元", "接続先",
        "アクセス元", "送信元", "ゲートウェイ", "host", "server", "address", "addr", "inet",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "バージョン", "version", "ver.", "リリース", "release", "build", "ビルド", "OID", "§",
        "節", "章", "項目", "section",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (40, 10)
    NEGATIVE_WINDOW: ClassVar[int] = 12
    CONTEXT_SCORE: ClassVar[float] = 0.85

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless :mod:`ipaddress` accepts it; None (never True, which forces 1.0)."""
        return None if _address(pattern_text) is not None else False

    def score_match(self, value: str, score: float) -> float:
        """Loopback, unspecified and broadcast addresses are barely personal: low score."""
        address = _address(value)
        if address is None:
            return 0.0
        if address.is_loopback or address.is_unspecified or str(address) == "255.255.255.255":
            return 0.3
        return score

    def score_without_context(self, value: str, score: float) -> float:
        """All-single-digit IPv4 (``3.1.2.1``) is usually a section number: shape-only."""
        parts = fold_width(value).split(".")
        return min(score, 0.2) if len(parts) == 4 and all(len(p) == 1 for p in parts) else score

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """As the base class, but low-value shapes stay low even next to a keyword, and a
        version number (``3.3.0.42 にアップデート``) without an IP keyword is dropped."""
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            value = text[result.start : result.end]
            keyword = result.recognition_metadata.get(CONTEXT_KEYWORD_KEY)
            if keyword is None and _VERSION_AFTER.match(text, result.end):
                continue
            cap = min(self.score_match(value, 0.6), self.score_without_context(value, 0.6))
            if cap < 0.6:
                result.score = min(result.score, cap)
            kept.append(result)
        return kept
