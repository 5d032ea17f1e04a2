"""Keyed pseudonyms (HMAC-SHA256) for operator ``pseudonymize``.

The same value gets the same pseudonym within a run and across runs with the
same key, so a trainer still sees that two mails mention the same person; the
key is 削除情報等 (APPI 41条2項): it comes from an environment variable or a
secret manager, never from the policy file, and never reaches a log or shard.
Without the key the pseudonyms cannot be reversed or recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from kiyome.policies.policy import comparable

#: Shortest key accepted: 32 characters (~128+ bits when random).
MIN_KEY_CHARS = 32
#: Hex characters of the HMAC kept in a pseudonym (64 bits: collisions are negligible).
PSEUDONYM_HEX = 16


class PseudonymKeyError(RuntimeError):
    """The key is missing or too weak; the message names the source, never the key."""


def resolve_key(source: tuple[str, str] | None) -> bytes:
    """Fetch the key from ``("env", NAME)`` or ``("gcp_secret", RESOURCE)``."""
    if source is None:
        raise PseudonymKeyError("the policy names no pseudonym_key")
    kind, name = source
    if kind == "env":
        value = os.environ.get(name, "")
        if not value:
            raise PseudonymKeyError(f"environment variable {name} is not set")
    elif kind == "gcp_secret":
        try:
            from google.cloud import secretmanager
        except ImportError:
            raise PseudonymKeyError(
                "gcp_secret needs google-cloud-secret-manager (pip install "
                "google-cloud-secret-manager)") from None
        client = secretmanager.SecretManagerServiceClient()
        value = client.access_secret_version(name=name).payload.data.decode("utf-8")
    else:  # the schema allows only the two kinds above
        raise PseudonymKeyError(f"unknown key source {kind}")
    if len(value) < MIN_KEY_CHARS:
        raise PseudonymKeyError(f"the key from {kind} {name} is shorter than "
                                f"{MIN_KEY_CHARS} characters")
    return value.encode("utf-8")


def pseudonym(key: bytes, entity: str, value: str) -> str:
    """Stable keyed pseudonym of ``value``; width and spacing do not change it.

    >>> key = b"k" * 32
    >>> pseudonym(key, "PERSON", "山田 太郎") == pseudonym(key, "PERSON", "山田太郎")
    True
    >>> pseudonym(key, "PERSON", "山田太郎") != pseudonym(key, "EMAIL_ADDRESS", "山田太郎")
    True
    >>> len(pseudonym(key, "PERSON", "山田太郎"))
    16
    """
    message = f"{entity}\x00{comparable(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
