"""Plant personal data into a known share of documents, deterministically.

The values come from the labelled test set's generators (Faker ``ja_JP`` and
valid check digits), so the benchmark's PII is the same kind the quality bars
are measured on. Only counts are ever printed; the values stay in the corpus
directory's ``planted.jsonl`` for a leak check on the shards.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests/ is a package of the repository, not of the wheel
    sys.path.insert(0, str(ROOT))

from tests.pii_testset.generate import Gen  # noqa: E402


@dataclass
class Planted:
    """One document after planting: its text and the (entity, value) pairs put in it."""

    text: str
    values: list[tuple[str, str]] = field(default_factory=list)


def _snippets(gen: Gen) -> list[tuple[str, list[tuple[str, str]]]]:
    """A few short lines of the kind internal documents carry, each with its values."""
    person = gen.person()
    name, email, phone = gen.full_name(person), gen.email(person), gen.phone()
    other = gen.full_name(gen.person())
    my_number, postal, address = gen.my_number(), gen.postal(), gen.address()
    return [
        (f"本件の担当は{name}さん（{email}、電話 {phone}）です。",
         [("PERSON", name), ("EMAIL_ADDRESS", email), ("PHONE_NUMBER", phone)]),
        (f"マイナンバー：{my_number}", [("JP_MY_NUMBER", my_number)]),
        (f"送付先：〒{postal} {address}", [("JP_POSTAL_CODE", postal), ("JP_ADDRESS", address)]),
        (f"問い合わせは{other}様までお願いします。", [("PERSON", other)]),
    ]


def chosen_documents(count: int, share: float, rng: random.Random, block: int) -> set[int]:
    """Indices to plant into: exactly ``round(share * block)`` in every block of ``block``.

    Stratified so that every prefix of whole blocks holds the same share: the 1x
    corpus is a prefix of the 4x one, and both then carry exactly 30 %.
    """
    chosen: set[int] = set()
    for start in range(0, count, block):
        size = min(block, count - start)
        chosen.update(start + i for i in rng.sample(range(size), round(share * size)))
    return chosen


def plant(texts: list[str], share: float, seed: int, block: int = 10) -> list[Planted]:
    """``texts`` with personal data put into ``share`` of them (exactly, per ``block``).

    Which documents, which values and where they go all follow from ``seed``, and
    a prefix of ``texts`` gets the same result whatever follows it (separate random
    streams for the choice and the values), so the 1x corpus is the same at any pool size.
    Lines are inserted at paragraph breaks, so the prose around them stays intact.
    """
    chosen = chosen_documents(len(texts), share, random.Random(seed), block)
    rng = random.Random(seed + 1)
    gen = Gen(seed)
    out: list[Planted] = []
    for index, text in enumerate(texts):
        if index not in chosen:
            out.append(Planted(text))
            continue
        snippets = rng.sample(_snippets(gen), rng.randint(1, 3))
        paragraphs = text.split("\n\n")
        values: list[tuple[str, str]] = []
        for line, pairs in snippets:
            paragraphs.insert(rng.randint(0, len(paragraphs)), line)
            values += pairs
        out.append(Planted("\n\n".join(paragraphs), values))
    return out
