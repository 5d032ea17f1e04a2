"""Long documents: personal data placed exactly across every chunk border is masked.

Detection cuts text over ``MAX_CHUNK_CHARS`` into overlapping chunks (Sudachi
refuses more than 49,149 bytes). The filler below holds no line, sentence or
soft break, so the cuts fall at fixed places the test can compute; each value
is then written across one of the three borders of every junction — the end of
chunk *i*, the start of chunk *i+1*, and the ownership boundary between them —
with the border in the middle of the value, rotating the five entity types so
each type crosses each kind of border.
"""

from __future__ import annotations

import itertools

import pytest

from kiyome.policies.policy import load_policy
from kiyome.transforms.pii.detect import CHUNK_OVERLAP, MAX_CHUNK_CHARS, chunk_spans
from kiyome.transforms.pii.mask import Masker
from kiyome.transforms.pii.recognizers.country_specific.japan.jp_my_number_recognizer import (
    my_number_check_digit,
)

#: No break characters (newline, 。, 、, spaces), no digits, no names or places.
FILLER = ("本日はプロジェクトの進捗についての報告をまとめたものを共有しますので"
          "内容をご確認のうえご意見をいただけますと幸いですがよろしくお願いいたします")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "清水", "山崎", "池田",
            "橋本", "阿部", "石川", "前田", "藤田")
GIVEN = ("花子", "一郎", "美咲", "健太", "陽子", "大輔", "真由美", "翔太", "恵子", "拓也")
WARDS = ("世田谷区若林", "目黒区中町", "杉並区高円寺南", "練馬区豊玉北", "中野区本町")
KINDS = ("phone", "my_number", "email", "person", "address")
CHARS = 72_000  # > 200 kB of UTF-8


def _value(kind: str, n: int) -> tuple[str, str]:
    """(text written, the personal value inside it) of the ``n``-th placement."""
    if kind == "phone":
        value = f"090-{1000 + n:04d}-{5000 + n:04d}"
        return f"電話{value}", value
    if kind == "my_number":
        base = f"{31415926535 + 7919 * n:011d}"
        value = base + str(my_number_check_digit(base))
        return f"マイナンバー：{value}", value
    if kind == "email":
        value = f"user{n}.sato@example.co.jp"
        return f"メール{value}", value
    if kind == "person":
        value = f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}"
        return f"担当{value}様", value
    value = f"東京都{WARDS[n % len(WARDS)]}{n % 5 + 1}丁目{n % 9 + 1}番{n % 7 + 1}号"
    return f"住所{value}", value


def _borders(n_chars: int) -> list[tuple[str, int]]:
    """(kind of border, position) of every junction, from the chunker's own output."""
    chunks = chunk_spans("あ" * n_chars)
    borders = []
    for (_, end, _, own_to), (start, _, _, _) in itertools.pairwise(chunks):
        borders += [("start", start), ("own", own_to), ("end", end)]
    return borders


def _document() -> tuple[str, list[tuple[str, str, int]]]:
    """The long document and its placements (kind, value, border position)."""
    text = list((FILLER * (CHARS // len(FILLER) + 1))[:CHARS])
    placements = []
    for n, (_, border) in enumerate(_borders(CHARS)):
        kind = KINDS[n % len(KINDS)]
        written, value = _value(kind, n)
        # The border falls in the middle of the value itself, not of its label.
        value_at = written.index(value)
        begin = border - value_at - len(value) // 2
        text[begin:begin + len(written)] = written
        placements.append((kind, value, border))
    return "".join(text), placements


def test_the_document_is_cut_where_the_placements_expect():
    """The premise: values are written in place (same length), the cuts do not move,
    every chunk is under Sudachi's limit, and each value straddles its border."""
    text, placements = _document()
    assert len(text) == CHARS and len(text.encode("utf-8")) > 200_000
    chunks = chunk_spans(text)
    assert len(chunks) >= 7
    assert [(s, e) for s, e, _, _ in chunks] == [(s, e) for s, e, _, _ in chunk_spans("あ" * CHARS)]
    assert all(e - s <= MAX_CHUNK_CHARS for s, e, _, _ in chunks)
    assert chunks[1][0] == chunks[0][1] - CHUNK_OVERLAP
    assert len(placements) == 3 * (len(chunks) - 1)
    for _, value, border in placements:
        start = text.index(value)
        assert start < border < start + len(value)
    assert {(kind, border_kind) for (kind, _, _), (border_kind, _) in
            zip(placements, _borders(CHARS), strict=True)} == {
        (kind, border_kind) for kind in KINDS for border_kind in ("start", "own", "end")}


@pytest.fixture(scope="module")
def masked() -> tuple[str, list[tuple[str, str, int]]]:
    text, placements = _document()
    return Masker(load_policy()).mask(text)[0], placements


@pytest.mark.parametrize("kind", KINDS)
def test_values_across_chunk_borders_are_masked(masked, kind):
    text, placements = masked
    mine = [(value, border) for k, value, border in placements if k == kind]
    assert mine
    for value, _ in mine:
        half = len(value) // 2
        left, right = value[:half], value[half:]
        assert value not in text
        # Nothing left of either side of the cut (a span clipped at the border).
        assert left not in text and right not in text, (kind, value)


def _my_number_scores(masker: Masker, text: str, numbers: list[str]) -> list[float]:
    decisions = [d for d in masker.explain(text).decisions if d.entity == "JP_MY_NUMBER"]
    return [max((d.score for d in decisions if text[d.start:d.end] == number), default=0.0)
            for number in numbers]


def test_a_keyword_on_the_other_side_of_a_border_still_counts():
    """My Number scores high only with its keyword within 300 characters; a border
    between the two must not separate them."""
    text = list((FILLER * (CHARS // len(FILLER) + 1))[:CHARS])
    numbers = []
    for n, (_, border) in enumerate(_borders(CHARS)):
        base = f"{27182818284 + 104729 * n:011d}"
        number = base + str(my_number_check_digit(base))
        text[border - 150:border - 144] = "マイナンバー"
        text[border + 130:border + 142] = number
        numbers.append(number)
    masker = Masker(load_policy())
    assert min(_my_number_scores(masker, "".join(text), numbers)) >= 0.85
    # Without its keyword the same number scores low: the check above can fail.
    assert _my_number_scores(masker, FILLER + numbers[0] + FILLER, numbers[:1])[0] < 0.85
