"""Build the language-ID development set: real text from other Debian packages than the test set's.

    .venv/bin/python -m tests.langid_testset.devset [--cache DIR] [--out FILE] [--seed N]

Thresholds of the language-ID rules are tuned on this set, never on
testset.jsonl: its sources (below) share no package with the test set's, and
any text that is also a test item is left out. Same filters and cutting as
generate.py; the Debian Reference (HTML, in eight languages) gives the prose,
gettext catalogs of desktop and system programs give the UI strings. Korean,
Russian, Vietnamese and Thai have no prose in these packages: their long items
are consecutive messages of one catalog.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.langid_testset.evaluate import DEVSET, TESTSET, load
from tests.langid_testset.generate import Pool, Sources, choose, collect, write

DEV_SOURCES = Sources(
    man={},
    html={"debian-reference-en": "en", "debian-reference-de": "de",
          "debian-reference-fr": "fr", "debian-reference-es": "es",
          "debian-reference-it": "it", "debian-reference-pt": "pt",
          "debian-reference-ja": "ja", "debian-reference-zh-cn": "zh-Hans",
          "debian-reference-zh-tw": "zh-Hant"},
    mo=("nautilus-data", "gedit-common", "evince-common", "gnome-control-center-data",
        "thunar-data", "libxfce4ui-common", "xfce4-panel", "mousepad", "gnumeric-common",
        "transmission-common", "util-linux-locales", "e2fsprogs-l10n", "tar", "grep", "sed",
        "diffutils", "nano", "psmisc", "sudo", "debconf-i18n", "gnupg-l10n", "passwd",
        "libparted-i18n", "zenity-common"),
    packed=frozenset({"th", "ko", "ru", "vi"}),
)
#: More short items than the test set: they are what the thresholds are tuned on.
DEV_QUOTAS = ({"short": 300, "medium": 150, "long": 50},
              {"short": 300, "medium": 150, "long": 100}, 150)



def without(pool: Pool, texts: set[str]) -> Pool:
    """``pool`` less every candidate whose text is in ``texts``."""
    for candidates in pool.items.values():
        for text in [text for text in candidates if text in texts]:
            del candidates[text]
    return pool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("out/langid_devset"),
                        help="where .deb files are downloaded and unpacked (reused)")
    parser.add_argument("--out", type=Path, default=DEVSET)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    test_texts = {item["text"] for item in load(TESTSET)}
    write(choose(without(collect(args.cache, DEV_SOURCES), test_texts), args.seed, DEV_QUOTAS),
          args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
