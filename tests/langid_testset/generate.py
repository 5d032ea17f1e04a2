"""Build the language-ID test set from real text in Debian packages (README.md says why these).

    .venv/bin/python -m tests.langid_testset.generate [--cache DIR] [--out FILE] [--seed N]

Sources: translated man pages (roff), the Korean Debian FAQ (HTML) and gettext
catalogs (``.mo``) that Debian packages ship in many locales. Packages are
fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x`` (bench/debs.py),
never installed. The same package versions and seed give the same file.

Every item is text a person wrote in that language; nothing is machine-made.
Items are cut from their source only at paragraph or message boundaries; the
Thai long items are consecutive messages of one catalog joined by newlines
(Debian ships no Thai prose documentation).
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from bench.debs import download, unpack
from bench.textconv import html_to_text, roff_to_text

HERE = Path(__file__).parent
#: Packages, and which of their files hold which language.
MAN_PACKAGES = {
    "manpages-ja": {"ja": "ja"},
    "manpages-zh": {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant"},
    "manpages-de": {"de": "de"},
    "manpages-fr": {"fr": "fr"},
    "manpages-es": {"es": "es"},
    "manpages-ru": {"ru": "ru"},
    "manpages-pt-br": {"pt_BR": "pt"},
    "manpages-it": {"it": "it"},
    "manpages-vi": {"vi": "vi"},
    "manpages": {"": "en"},
}
HTML_PACKAGES = {"debian-faq-ko": "ko"}
MO_PACKAGES = ("coreutils", "apt", "dpkg", "libglib2.0-data", "libgtk2.0-common", "iso-codes",
               "xdg-user-dirs", "gettext", "libc-l10n", "findutils", "man-db", "wget")
LOCALES = {"ja": "ja", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "ko": "ko", "de": "de",
           "fr": "fr", "es": "es", "ru": "ru", "pt": "pt", "pt_BR": "pt", "it": "it",
           "vi": "vi", "th": "th"}
#: What lid.176 calls each test-set language.
FASTTEXT_CODE = {"zh-Hans": "zh", "zh-Hant": "zh"}


class Sources(NamedTuple):
    """Which packages a set is drawn from: man pages per locale directory, HTML
    documents of one language per package, gettext catalogs, and the languages
    whose long items are consecutive catalog messages (no prose in Debian)."""

    man: dict[str, dict[str, str]]
    html: dict[str, str]
    mo: tuple[str, ...]
    packed: frozenset[str] = frozenset({"th"})

    def packages(self) -> tuple[str, ...]:
        return (*self.man, *self.html, *self.mo)


TEST_SOURCES = Sources(MAN_PACKAGES, HTML_PACKAGES, MO_PACKAGES)
#: Items per language and length class; Japanese also gets kanji-only items.
PER_CLASS = {"short": 80, "medium": 80, "long": 40}
JA_PER_CLASS = {"short": 150, "medium": 150, "long": 100}
KANJI_ONLY = 150
SHORT, LONG, MAX_LONG = 20, 200, 1500

_FORMAT = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[a-zA-Z%]"
                     r"|%\([a-z_]+\)[sd]|\{[a-z_0-9]*\}|\$\{[A-Z_]+\}")
_ACCEL = re.compile(r"\(_[A-Za-z0-9]\)|\(&[A-Za-z0-9]\)|_(?=\w)|&(?=\w)")
_SPACES = re.compile(r"\s+")
KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def clean_message(text: str) -> str:
    """A UI message as a person reads it: no printf slots, mnemonics or line breaks.

    >>> clean_message("ファイル(_F)")
    'ファイル'
    >>> clean_message("%s: cannot open '%s'\\n")
    ": cannot open ''"
    """
    text = _ACCEL.sub("", _FORMAT.sub("", text))
    return _SPACES.sub(" ", text).strip()


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]{3,}")
#: Commands, options, paths, file names, identifiers: in no natural language.
_CODE_TOKEN = re.compile(r"^(?:-.*|.*[/\\=@#$%_{}<>\[\]|*+0-9].*|\w+\.\w.*)$")


def prose_share(text: str) -> float:
    """Share of whitespace-separated tokens that are not code.

    >>> prose_share("info msgfilter"), prose_share("tar -r [-f ARCHIV]")
    (1.0, 0.25)
    >>> prose_share("Datei öffnen")
    1.0
    """
    tokens = text.split()
    return sum(not _CODE_TOKEN.match(token) for token in tokens) / len(tokens) if tokens else 0.0


def script_fits(lang: str, text: str, english: frozenset[str]) -> bool:
    """The item is mostly its language: its script holds at least half of its letters, and
    an item in a Latin-script language has at least a third of its words outside English.

    Translated man pages keep commands, options and untranslated sentences in
    English: those are English, not the page's language, and are left out.
    """
    if prose_share(text) < 0.5 or "T{" in text or "T}" in text:
        return False
    native = {"ja": len(HAN.findall(text)) + len(KANA.findall(text)),
              "zh-Hans": len(HAN.findall(text)), "zh-Hant": len(HAN.findall(text)),
              "ko": len(HANGUL.findall(text)), "th": len(THAI.findall(text)),
              "ru": len(CYRILLIC.findall(text))}
    if lang in native:
        if lang.startswith("zh") and KANA.search(text):
            return False
        return native[lang] >= 2 and native[lang] >= 0.5 * letters(text)
    if HAN.search(text) or KANA.search(text) or HANGUL.search(text) or lang == "en":
        return lang == "en" and not (HAN.search(text) or KANA.search(text))
    prose = " ".join(token for token in text.split() if not _CODE_TOKEN.match(token))
    words = [word.lower() for word in _WORD.findall(prose)]
    return bool(words) and sum(word not in english for word in words) >= max(1, len(words) / 3)


def length_class(text: str) -> str:
    return "short" if len(text) < SHORT else "medium" if len(text) < LONG else "long"


def kanji_only(text: str) -> bool:
    """Japanese without a single kana, mostly kanji: what lid.176 takes for Chinese."""
    han = len(HAN.findall(text))
    visible = len(text) - sum(ch.isspace() for ch in text)
    return (not KANA.search(text) and han >= 2 and han >= 0.5 * letters(text)
            and han >= 0.3 * visible)


def mo_messages(tree: Path) -> Iterator[tuple[str, str, str, str]]:
    """(locale, file, msgid, msgstr) of every translated message under ``tree``."""
    for path in sorted(tree.rglob("*.mo")):
        parts = path.parts
        locale = parts[parts.index("locale") + 1] if "locale" in parts else ""
        if locale not in LOCALES:
            continue
        with path.open("rb") as handle:
            try:
                catalog = gettext.GNUTranslations(handle)._catalog
            except (OSError, UnicodeDecodeError):
                continue
        for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or not value or (isinstance(key, tuple) and key[1] != 0):
                continue
            yield locale, path.relative_to(tree).as_posix(), msgid, value


def prefectures(tree: Path) -> set[str]:
    """English names of Japan's prefectures in iso-codes: their Japanese names are addresses."""
    data = json.loads((tree / "usr/share/iso-codes/json/iso_3166-2.json").read_text("utf-8"))
    return {entry["name"] for entry in data["3166-2"] if entry["code"].startswith("JP-")}


def man_paragraphs(tree: Path, subdir: str) -> Iterator[tuple[str, str]]:
    """(file, paragraph) of every man page under ``usr/share/man/<subdir>``."""
    root = tree / "usr/share/man" / subdir
    for path in sorted(root.glob("man*/*.gz")):
        text = roff_to_text(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        for paragraph in text.split("\n\n"):
            paragraph = paragraph.strip()
            if paragraph:
                yield path.relative_to(tree).as_posix(), paragraph


def pack(paragraphs: list[str]) -> Iterator[str]:
    """Consecutive paragraphs joined into long items of ``LONG``..``MAX_LONG`` characters."""
    current = ""
    for paragraph in paragraphs:
        if len(paragraph) > MAX_LONG:
            continue
        if current and len(current) + 2 + len(paragraph) > MAX_LONG:
            if len(current) >= LONG:
                yield current
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if len(current) >= LONG:
        yield current


class Pool:
    """Candidates per (lang, class), deduplicated by text, each with its source."""

    def __init__(self, english: frozenset[str]) -> None:
        self.items: dict[tuple[str, str], dict[str, str]] = {}
        self.english = english

    def add(self, lang: str, klass: str, text: str, source: str) -> None:
        if script_fits(lang, text, self.english):
            self.items.setdefault((lang, klass), {}).setdefault(text, source)

    def add_sized(self, lang: str, text: str, source: str) -> None:
        klass = "kanji_only" if lang == "ja" and kanji_only(text) else length_class(text)
        self.add(lang, klass, text, source)


def html_paragraphs(path: Path) -> list[str]:
    text = html_to_text(path.read_text(encoding="utf-8", errors="replace"))
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def english_words(trees: dict[str, tuple[Path, Path]], sources: Sources) -> frozenset[str]:
    """Words of the English man pages and documents and of the catalogs' English messages."""
    words: set[str] = set()
    for package, locales in sources.man.items():
        for subdir, lang in locales.items():
            if lang == "en":
                for _, paragraph in man_paragraphs(trees[package][1], subdir):
                    words.update(word.lower() for word in _WORD.findall(paragraph))
    for package, lang in sources.html.items():
        if lang == "en":
            for path in sorted(trees[package][1].rglob("*.html")):
                for paragraph in html_paragraphs(path):
                    words.update(word.lower() for word in _WORD.findall(paragraph))
    for package in sources.mo:
        for locale, _, msgid, _ in mo_messages(trees[package][1]):
            if locale == "de":
                words.update(word.lower() for word in _WORD.findall(msgid))
    return frozenset(words)


def collect(cache: Path, sources: Sources = TEST_SOURCES) -> Pool:
    trees = {deb.name.split("_")[0]: (deb, unpack(deb, cache / "unpacked"))
             for deb in download(sources.packages(), cache / "debs")}
    pool = Pool(english_words(trees, sources))
    for package, locales in sources.man.items():
        deb, tree = trees[package]
        for subdir, lang in locales.items():
            per_file: dict[str, list[str]] = {}
            for name, paragraph in man_paragraphs(tree, subdir):
                per_file.setdefault(name, []).append(paragraph)
            for name, paragraphs in per_file.items():
                source = f"{deb.name}:{name}"
                for paragraph in paragraphs:
                    flat = _SPACES.sub(" ", paragraph)
                    if len(flat) < LONG:
                        pool.add_sized(lang, flat, source)
                    for line in paragraph.splitlines():  # headings and table cells
                        line = line.strip()
                        if lang == "ja" and len(line) < LONG and kanji_only(line):
                            pool.add(lang, "kanji_only", line, source)
                for item in pack(paragraphs):
                    pool.add(lang, "long", item, source)
    for package, lang in sources.html.items():
        deb, tree = trees[package]
        for path in sorted(tree.rglob("*.html")):
            paragraphs = html_paragraphs(path)
            source = f"{deb.name}:{path.relative_to(tree).as_posix()}"
            for paragraph in paragraphs:
                flat = _SPACES.sub(" ", paragraph)
                if len(flat) < LONG:
                    pool.add_sized(lang, flat, source)
            for item in pack(paragraphs):
                pool.add(lang, "long", item, source)
    for package in sources.mo:
        deb, tree = trees[package]
        packed: dict[str, list[str]] = {}
        japan = prefectures(tree) if package == "iso-codes" else set()
        for locale, name, msgid, msgstr in mo_messages(tree):
            if package == "iso-codes":  # names of languages and places are no one's prose
                if locale == "ja" and name.endswith("/iso_3166-2.mo") and msgid in japan:
                    pool.add("ja", "kanji_only", msgstr, f"{deb.name}:{name}")
                continue
            lang = LOCALES[locale]
            text = clean_message(msgstr)
            english = clean_message(msgid)
            source = f"{deb.name}:{name}"
            if len(text) >= 5 and letters(text) >= 3 and text != english:
                pool.add_sized(lang, text, source)
                if lang in sources.packed:
                    packed.setdefault(f"{lang} {source}", []).append(text)
            if locale == "de" and len(english) >= 5 and letters(english) >= 3:
                pool.add_sized("en", english, f"{deb.name}:{name} (msgid)")
        for key, messages in packed.items():
            lang, source = key.split(" ", 1)
            for item in pack(messages):
                pool.add(lang, "long", item.replace("\n\n", "\n"), source)
    return pool


def choose(pool: Pool, seed: int, quotas: tuple[dict[str, int], dict[str, int], int] = (
        PER_CLASS, JA_PER_CLASS, KANJI_ONLY)) -> list[dict]:
    """``quotas`` (per class; per class for Japanese; kanji-only) items per language and
    class, drawn with ``seed``.

    A text found in two languages (Texto: Spanish and Portuguese) has no single
    right answer and is left out of both.
    """
    per_class, ja_per_class, kanji_quota = quotas
    rng = random.Random(seed)
    seen: dict[str, set[str]] = {}
    for (lang, _), candidates in pool.items.items():
        for text in candidates:
            seen.setdefault(text, set()).add(lang)
    chosen: list[dict] = []
    for (lang, klass), all_candidates in sorted(pool.items.items()):
        candidates = {text: source for text, source in all_candidates.items()
                      if len(seen[text]) == 1}
        quota = (kanji_quota if klass == "kanji_only" else
                 (ja_per_class if lang == "ja" else per_class)[klass])
        texts = sorted(candidates)
        rng.shuffle(texts)
        for text in sorted(texts[:quota]):
            chosen.append({"lang": lang, "expected": FASTTEXT_CODE.get(lang, lang),
                           "length": length_class(text), "kanji_only": klass == "kanji_only",
                           "text": unicodedata.normalize("NFC", text),
                           "source": candidates[text]})
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("out/langid_testset"),
                        help="where .deb files are downloaded and unpacked (reused)")
    parser.add_argument("--out", type=Path, default=HERE / "testset.jsonl")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    write(choose(collect(args.cache), args.seed), args.out)
    return 0


def write(items: list[dict], out: Path) -> None:
    """One JSON line per item, keys sorted; prints the count per language and class."""
    with out.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for item in items:
        key = f"{item['lang']}/{'kanji_only' if item['kanji_only'] else item['length']}"
        counts[key] = counts.get(key, 0) + 1
    print(json.dumps({"items": len(items), "per_class": counts}, ensure_ascii=False))


if __name__ == "__main__":
    raise SystemExit(main())
