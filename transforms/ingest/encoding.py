"""Bytes -> text for Japanese corpora: BOMs, UTF-8, CP932, EUC-JP, ISO-2022-JP, UTF-16.

Order of attempts (each a *strict* decode, so a wrong guess fails instead of
producing mojibake):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
2. 7-bit data with ESC sequences is ISO-2022-JP (plain variant first, then the
   JIS X 0201 katakana and JIS X 0213 extensions); other 7-bit data is ASCII;
3. strict UTF-8 (legacy Japanese bytes practically never form valid UTF-8);
4. the legacy families (CP932 / Shift_JIS-2004, EUC-JP / EUC-JIS-2004) and a
   declared charset (HTML ``<meta charset>``, mail ``charset=``): every one that
   decodes strictly is scored by :func:`plausibility` and the best wins, so a
   declared charset that lies loses to the one the bytes are really in;
5. only then charset-normalizer, as a fallback.

Line ends are left alone here; :func:`normalize_newlines` turns CRLF and CR into LF.
:func:`mojibake` flags text that decoded but is still garbage.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

from kiyome.transforms.ingest.errors import IngestError

#: BOM -> (codec, recorded name); UTF-32 first, its LE BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
#: ISO-2022-JP and its extensions, narrowest first (ext: half-width katakana;
#: 2004/3: JIS X 0213, which has ① and friends).
_ISO2022 = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_3",
            "iso2022_jp_1", "iso2022_jp_2")
#: Legacy 8-bit families; the first variant of a family that decodes strictly is scored.
_FAMILIES = (("cp932", "shift_jis_2004"), ("euc_jp", "euc_jis_2004"))
#: Recorded names of Python codecs.
_NAMES = {
    "iso2022_jp": "iso-2022-jp", "iso2022_jp_ext": "iso-2022-jp-ext",
    "iso2022_jp_2004": "iso-2022-jp-2004", "iso2022_jp_3": "iso-2022-jp-3",
    "iso2022_jp_1": "iso-2022-jp-1", "iso2022_jp_2": "iso-2022-jp-2",
    "cp932": "cp932", "shift_jis_2004": "shift_jis_2004",
    "euc_jp": "euc-jp", "euc_jis_2004": "euc-jis-2004",
}
#: Declared labels as they appear in the wild -> the Python codec to try.
_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932", "ms932": "cp932",
    "cp932": "cp932", "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp", "iso-2022-jp": "iso2022_jp", "csiso2022jp": "iso2022_jp",
    "utf-8": "utf-8", "utf8": "utf-8", "us-ascii": "ascii", "ascii": "ascii",
}
#: Bonus a declared charset gets over an undeclared one of equal plausibility.
_DECLARED_BONUS = 0.05
#: Plausibility and the half-width check look at this much of a file: enough to decide.
_SAMPLE_CHARS = 200_000
#: Below this mean plausibility a strict decode is not trusted without a fallback check.
_MIN_PLAUSIBILITY = 0.25


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None = None


def codec_for(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when unknown.

    >>> codec_for("Shift_JIS"), codec_for("x-euc-jp"), codec_for("klingon")
    ('cp932', 'euc_jp', None)
    """
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def same_encoding(declared: str, found: str) -> bool:
    """Whether a declared label names the encoding found (7-bit data fits most labels).

    >>> same_encoding("Shift_JIS", "cp932"), same_encoding("utf-8", "utf-8-sig")
    (True, True)
    >>> same_encoding("shift_jis", "utf-8")
    False
    """
    declared_codec, found_codec = codec_for(declared), codec_for(found.removesuffix("-sig"))
    return (declared_codec is not None and declared_codec == found_codec) or (
        found == "ascii" and declared_codec in ("utf-8", "cp932", "euc_jp", "ascii"))


@functools.lru_cache(maxsize=32768)
def _kanji_weight(char: str) -> float:
    """JIS level 1 kanji (the common ones) score high, level 2 low, the rest lower."""
    try:
        first = char.encode("euc_jp")[0]
    except UnicodeEncodeError:
        return 0.0
    return 0.8 if first < 0xD0 else 0.3


_DAKUTEN_BASES = frozenset("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
_HANDAKUTEN_BASES = frozenset("ﾊﾋﾌﾍﾎ")


def _weight(char: str, previous: str) -> float:
    code = ord(char)
    if code < 0x80:
        return 0.8 if (code >= 0x20 or char in "\t\n\r\f") and code != 0x7F else -1.0
    if 0x3041 <= code <= 0x309F or 0x3000 <= code <= 0x303F:
        return 1.0
    if 0x30A0 <= code <= 0x30FF:
        return 0.9
    if 0x4E00 <= code <= 0x9FFF:
        return _kanji_weight(char)
    if 0xFF01 <= code <= 0xFF5E:
        return 0.6
    if 0xFF61 <= code <= 0xFF65:
        return 0.0
    if 0xFF66 <= code <= 0xFF9F:
        if char == "ﾞ":
            return 0.6 if previous in _DAKUTEN_BASES else -1.0
        if char == "ﾟ":
            return 0.6 if previous in _HANDAKUTEN_BASES else -1.0
        if char == "ｰ":
            return 0.6 if "ｦ" <= previous <= "ﾝ" or previous in "ﾞﾟ" else -0.5
        return 0.6
    if char == "\ufffd" or 0x80 <= code <= 0x9F or 0xE000 <= code <= 0xF8FF:
        return -2.0
    if 0xA0 <= code <= 0xFF:
        return 0.2
    if 0x2190 <= code <= 0x21FF or 0x2460 <= code <= 0x24FF or 0x2500 <= code <= 0x26FF:
        return 0.8  # arrows, ①, box drawing, ■□◆○●★: everyday in Japanese documents
    if (0x2000 <= code <= 0x2BFF or 0x3200 <= code <= 0x33FF or 0xFE30 <= code <= 0xFE4F
            or 0xFFE0 <= code <= 0xFFEF or 0x0370 <= code <= 0x04FF):
        return 0.4
    return 0.0


def plausibility(text: str) -> float:
    """Mean per-character plausibility of ``text`` as Japanese (or ASCII) prose, in [-2, 1].

    Hiragana, katakana, Japanese punctuation and common kanji score high; half-width
    punctuation, stray dakuten, rare kanji, control and private-use characters low.
    That is what tells EUC-JP read as CP932 (a salad of half-width katakana) from the
    real thing.

    >>> data = "よろしくお願いします。".encode("euc_jp")
    >>> plausibility(data.decode("euc_jp")) > plausibility(data.decode("cp932")) + 0.3
    True
    """
    if not text:
        return 0.0
    text = text[:_SAMPLE_CHARS]
    total = 0.0
    previous = ""
    for char in text:
        total += _weight(char, previous)
        previous = char
    return total / len(text)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _misread_halfwidth(data: bytes, codec: str) -> bool:
    """Whether ``codec``'s double-byte characters look like half-width katakana of the other
    family read two bytes at a time — the one case plausibility alone gets wrong.

    Half-width katakana are one byte A1-DF in Shift_JIS and ``8E`` + A1-DF in EUC-JP. Read
    as EUC-JP, Shift_JIS katakana pair up into characters whose *both* bytes are A1-DF;
    read as CP932, EUC-JP katakana become characters that all start with ``8E``. Genuine
    text in either encoding rarely looks like that, except very short kanji-only strings
    (``影響範囲`` in EUC-JP is also valid half-width katakana): an ambiguity no byte-level
    rule resolves, settled here in favour of the half-width reading.

    >>> _misread_halfwidth("ｱﾝｹｰﾄﾆｺﾞｷｮｳﾘ".encode("cp932"), "euc_jp")
    True
    >>> _misread_halfwidth("ｱﾝｹｰﾄﾆｺﾞｷｮｳ".encode("euc_jp"), "cp932")
    True
    >>> _misread_halfwidth("日本語の文章です".encode("euc_jp"), "euc_jp")
    False
    """
    pairs = suspicious = index = 0
    euc = codec.startswith("euc")
    data = data[: 2 * _SAMPLE_CHARS]
    while index < len(data):
        byte = data[index]
        if byte < 0x80 or (not euc and 0xA1 <= byte <= 0xDF):
            index += 1
            continue
        if euc and byte == 0x8F:
            index += 3
            continue
        trail = data[index + 1] if index + 1 < len(data) else 0
        pairs += 1
        if euc:
            # Not rows 1-8 (lead A1-A8): they are EUC-JP's kana and symbol rows
            # (、。「」【】―, hiragana), which half-width katakana text rarely spells.
            suspicious += 0xA9 <= byte <= 0xDF and 0xA1 <= trail <= 0xDF
        else:
            suspicious += byte == 0x8E
        index += 2
    return pairs >= 3 and suspicious >= (pairs if euc else pairs / 2)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: only when NUL bytes sit on one parity (ASCII-bearing text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) // 2
    odd_nuls = data[1::2].count(0) / half
    even_nuls = data[0::2].count(0) / half
    if odd_nuls > 0.2 and even_nuls < 0.02:
        return "utf-16-le"
    if even_nuls > 0.2 and odd_nuls < 0.02:
        return "utf-16-be"
    return None


_ESCAPES = {b"\x1b(B": "ascii", b"\x1b(J": "ascii", b"\x1b$@": "jis", b"\x1b$B": "jis",
            b"\x1b(I": "kana"}


def _decode_cp50221(data: bytes) -> str | None:
    """ISO-2022-JP as Outlook writes it (CP50220/50221/50222: NEC special characters such
    as ① and ㈱, half-width katakana by ``ESC ( I`` or SO/SI), which no Python codec reads:
    re-expressed as CP932 bytes by the JIS -> Shift_JIS arithmetic, then decoded strictly.

    >>> _decode_cp50221(b"\x1b$B-!\x1b(B")
    '①'
    """
    out = bytearray()
    mode, shifted, index = "ascii", False, 0
    while index < len(data):
        escape = data[index:index + 3]
        if escape in _ESCAPES:
            mode, index = _ESCAPES[escape], index + 3
            continue
        byte = data[index]
        if byte in (0x0E, 0x0F):
            shifted, index = byte == 0x0E, index + 1
            continue
        if shifted or mode == "kana":
            if not 0x21 <= byte <= 0x5F:
                return None
            out.append(byte + 0x80)
            index += 1
        elif mode == "jis" and byte not in (0x0A, 0x0D):
            if index + 1 >= len(data):
                return None
            row, cell = byte, data[index + 1]
            if not (0x21 <= row <= 0x7E and 0x21 <= cell <= 0x7E):
                return None
            lead = ((row + 1) >> 1) + (0x70 if row <= 0x5E else 0xB0)
            trail = cell + (0x1F + (cell >= 0x60) if row % 2 else 0x7E)
            out += bytes((lead, trail))
            index += 2
        else:
            out.append(byte)
            index += 1
    return _strict(bytes(out), "cp932")


def _fallback(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    text = _strict(data, best.encoding)
    if text is None or plausibility(text) < _MIN_PLAUSIBILITY:
        return None
    return Decoded(text, best.encoding.replace("_", "-"))


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``; ``declared`` is a charset label the container claimed (may lie).

    Raises :class:`IngestError` ``undecodable`` when nothing decodes plausibly.

    >>> decode("社外秘".encode("cp932")).encoding
    'cp932'
    >>> decode("社外秘です".encode("utf-8"), declared="shift_jis")
    Decoded(text='社外秘です', encoding='utf-8', declared='shift_jis')
    """
    declared = declared.strip().lower() if declared else None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], codec)
            if text is None:
                raise IngestError("undecodable", encoding=name)
            return Decoded(text, name, declared)
    if not data or max(data) < 0x80:
        if b"\x1b" in data:
            for codec in _ISO2022:
                text = _strict(data, codec)
                if text is not None:
                    return Decoded(text, _NAMES[codec], declared)
            text = _decode_cp50221(data)
            if text is not None:
                return Decoded(text, "cp50221", declared)
        if b"\x00" not in data:
            return Decoded(data.decode("ascii"), "ascii", declared)
    text = _strict(data, "utf-8")
    if text is not None and b"\x00" not in data:
        return Decoded(text, "utf-8", declared)

    candidates: list[tuple[float, str, str]] = []
    wanted = codec_for(declared)
    if wanted and wanted not in ("utf-8", "ascii"):
        text = _strict(data, wanted)
        if text is not None:
            name = _NAMES.get(wanted, wanted.replace("_", "-"))
            candidates.append((plausibility(text) + _DECLARED_BONUS, name, text))
    for family in _FAMILIES:
        for codec in family:
            text = _strict(data, codec)
            if text is not None:
                score = plausibility(text) * (0.5 if _misread_halfwidth(data, codec) else 1.0)
                candidates.append((score, _NAMES[codec], text))
                break
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            candidates.append((plausibility(text), utf16, text))
    if candidates:
        score, name, text = max(candidates, key=lambda item: item[0])
        if score >= _MIN_PLAUSIBILITY:
            return Decoded(text, name, declared)
    found = _fallback(data)
    if found is None:
        raise IngestError("undecodable", tried=len(candidates))
    return Decoded(found.text, found.encoding, declared)


_NEWLINES = re.compile(r"\r\n?")


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR -> LF.

    >>> normalize_newlines("一行目\r\n二行目\r三行目")
    '一行目\n二行目\n三行目'
    """
    return _NEWLINES.sub("\n", text) if "\r" in text else text


#: UTF-8 Japanese read as CP932: U+3041-30FF are E3 81-83 xx, and E3 81/82/83 in CP932
#: are 縺/繧/繝 — characters real prose almost never uses.
_CP932_MOJIBAKE = re.compile("[縺繧繝]")
#: UTF-8 read as Latin-1/CP1252: a lead byte letter followed by a continuation-byte glyph.
_LATIN1_MOJIBAKE = re.compile(
    "[\u00e2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def mojibake(text: str) -> dict[str, int | str] | None:
    """Detail of why ``text`` looks like mojibake, or None when it looks fine.

    >>> mojibake("お問い合わせありがとうございます".encode("utf-8").decode("cp932", "replace"))
    {'kind': 'utf8_as_cp932', 'count': 10}
    >>> mojibake("お問い合わせありがとうございます") is None
    True
    """
    if not text:
        return None
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return None
    hits = len(_CP932_MOJIBAKE.findall(text))
    if hits >= 2 and hits / non_ascii >= 0.05:
        return {"kind": "utf8_as_cp932", "count": hits}
    hits = len(_LATIN1_MOJIBAKE.findall(text))
    if hits >= 3 and 2 * hits / non_ascii >= 0.3:
        return {"kind": "utf8_as_latin1", "count": hits}
    replacement = text.count("\ufffd")
    if replacement and (replacement >= 10 or replacement / len(text) >= 0.001):
        return {"kind": "replacement_chars", "count": replacement}
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogates(value: object) -> int:
    """Lone surrogates in a string, or in the keys and strings of nested dicts/lists.

    JSON ``"\\ud800"`` escapes and ``surrogateescape`` decoding (the ``email``
    package) produce them; UTF-8 cannot encode them, so a document holding one
    would stop the pipeline where it is first serialized.

    >>> lone_surrogates({"text": "a\\ud800b", "tags": ["\\udfff", "ok"]}), lone_surrogates("会議")
    (2, 0)
    """
    if isinstance(value, str):
        return len(_SURROGATE.findall(value))
    if isinstance(value, dict):
        return sum(lone_surrogates(k) + lone_surrogates(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(lone_surrogates(item) for item in value)
    return 0
