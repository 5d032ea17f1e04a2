"""Where GiNZA's NER is worth running: the few sentences the fast pass left undecided.

GiNZA's NER runs at ~2-4 k chars/s per core; Sudachi tokens plus the pattern and
name recognizers run at ~50 k. Most text holds no name, and most names the fast
pass finds come with a cue (山田様, 担当：佐藤, 山田太郎) and need no second opinion.
NER is asked only about the sentences with an open question:

* a name candidate scored below the masking range (a lone 佐藤 with no cue);
* a name cue with no name found before it (森さん: 森 is "forest" to Sudachi);
* a name field (氏名：…) whose value the fast pass did not take;
* a place-name word where a name goes (総務部の菅原です: 菅原 is a place to Sudachi);
* a place-name token, when the caller wants LOCATION (policies that mask places).

Each question becomes a window: its sentence (。！？ or a line break end it),
clipped to ``WINDOW_RADIUS`` characters on each side of the cue. Overlapping
windows merge.

>>> from kiyome.transforms.pii.sudachi_engine import SudachiNlpEngine
>>> engine = SudachiNlpEngine(); engine.load()
>>> def windows(text, found=(), location=False):
...     doc = engine.doc(text)
...     spans = ner_windows(text, doc, list(found), person=True, location=location)
...     return [text[a:b] for a, b in spans]
>>> windows("会議は10時から。森さんが議事録を書きます。資料は共有済み。")
['森さんが議事録を書きます。']
>>> from presidio_analyzer import RecognizerResult
>>> windows("来週、斎藤が伺います。", [RecognizerResult("PERSON", 3, 5, 0.3)])  # a lone surname
['来週、斎藤が伺います。']
>>> windows("お客様各位、皆様のご協力に感謝します。")  # honorifics of nobody in particular
[]
>>> windows("担当者のみ閲覧可。氏名、住所を記入。山田物流様へ送付。")  # no field value, a company
[]
>>> windows("差出人：もり\\n本文")  # a name field whose value the fast pass did not take
['差出人：もり\\n']
>>> windows("総務部の菅原です。大阪の支店で打ち合わせ。")
['総務部の菅原です。']
>>> windows("大阪の支店で打ち合わせ。", location=True)
['大阪の支店で打ち合わせ。']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .recognizers.ja_lexicon import (
    DEPARTMENT_SUFFIXES,
    HONORIFICS,
    PLACE_TAG_PREFIX,
    is_org_word,
)
from .recognizers.token_index import tag_positions, word_positions
from .sentences import sentence_bounds

if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult
    from spacy.tokens import Doc

#: A fast-pass PERSON below this score is a question for NER (a lone surname: 0.3).
CONFIRM_BELOW = 0.5
#: Characters of context kept on each side of a cue inside its sentence.
WINDOW_RADIUS = 48
#: Name fields whose value must hold a name (a subset of the recognizer's labels).
NAME_FIELD_LABELS = frozenset(
    "氏名 お名前 名前 姓名 担当 担当者 ご担当者 差出人 申請者 契約者 名義 名義人 受取人".split()
)
#: Words before an honorific that are nobody in particular (お客様, 皆さん, 神様).
NOT_A_NAME_BEFORE_HONORIFIC = frozenset(
    """客 お客 皆 みな 皆々 各位 神 お子 子 奥 王 仏 お母 お父 母 父 兄 姉 弟 妹 娘 息子
    旦那 ご主人 主人 相手 相手方 先方 当方 御社 貴社 弊社 担当 担当者 ご担当者 皆々様 方 人
    者 みん お医者 患者 利用者 参加者 会員 ご家族 家族 関係者 お得意 得意 殿 貴殿 王子 姫
    女将 大将""".split()
)
#: A field separator (colon or spaces) and then a value that is not a table bar.
_FIELD_VALUE = re.compile(r"[)）】\]]?(?:[ 　\t]*[:：][ 　\t]*|[ 　\t]+)[^|｜\s、。]")
#: Tokens after a name in a self-introduction or signature: 菅原です, 菅原と申します.
_SELF_INTRO_AFTER = frozenset("です でございます".split())
#: Token tags that can stand before an honorific as a name (名詞, unknown words).
_NOUN_TAG = ("名詞", "接頭辞")


def ner_windows(
    text: str,
    doc: Doc,
    found: Sequence[RecognizerResult],
    person: bool = True,
    location: bool = False,
) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` spans of ``text`` worth a GiNZA NER pass."""
    cues: list[int] = []
    if person:
        strong = _covered_offsets(found, CONFIRM_BELOW)
        cues += [r.start for r in found if r.entity_type == "PERSON" and r.score < CONFIRM_BELOW]
        cues += _unexplained_honorifics(doc, strong)
        cues += _unfilled_name_fields(text, doc, strong)
        cues += _places_in_name_slots(doc, strong)
    if location:
        cues += [doc[i].idx for i in tag_positions(doc, PLACE_TAG_PREFIX)]
    return _merge(sorted(sentence_bounds(text, cue, WINDOW_RADIUS) for cue in set(cues)))


def _covered_offsets(found: Sequence[RecognizerResult], min_score: float) -> set[int]:
    """Character offsets inside a PERSON found with at least ``min_score``."""
    covered: set[int] = set()
    for r in found:
        if r.entity_type == "PERSON" and r.score >= min_score:
            covered.update(range(r.start, r.end))
    return covered


def _unexplained_honorifics(doc: Doc, named: set[int]) -> list[int]:
    """Honorific tokens after a noun that is not part of a found name (森さん)."""
    cues = []
    for index in word_positions(doc, HONORIFICS):
        token = doc[index]
        if token.i == 0:
            continue
        before = doc[token.i - 1]
        if before.whitespace_ and before.i > 0 and not before.text.strip():
            before = doc[token.i - 2]
        if (
            before.idx in named
            or before.text in NOT_A_NAME_BEFORE_HONORIFIC
            or not before.tag_.startswith(_NOUN_TAG)
            or is_org_word(before.text)  # 山田物流様, ＡＢＣ設計様: companies
        ):
            continue
        cues.append(before.idx)
    return cues


def _places_in_name_slots(doc: Doc, named: set[int]) -> list[int]:
    """A 地名-tagged word where a name goes: 総務部の菅原です, 菅原と申します (菅原, 原田,
    松本 are surnames and places to Sudachi)."""
    cues = []
    for i in tag_positions(doc, PLACE_TAG_PREFIX):
        token = doc[i]
        if token.idx in named or token.whitespace_:
            continue
        after = doc[i + 1].text if i + 1 < len(doc) else ""
        then = doc[i + 2].text if i + 2 < len(doc) else ""
        intro = after in _SELF_INTRO_AFTER or (after == "と" and then.startswith("申"))
        department = (i >= 2 and doc[i - 1].text == "の"
                      and doc[i - 2].text.endswith(DEPARTMENT_SUFFIXES))
        if intro or department:
            cues.append(token.idx)
    return cues


def _unfilled_name_fields(text: str, doc: Doc, named: set[int]) -> list[int]:
    """氏名：… with no name found on the rest of the line (not 担当者のみ, 氏名、住所)."""
    cues = []
    for index in word_positions(doc, NAME_FIELD_LABELS):
        token = doc[index]
        end = text.find("\n", token.idx)
        end = len(text) if end < 0 else end
        value_start = token.idx + len(token)
        if _FIELD_VALUE.match(text, value_start, end) is None:
            continue
        if not any(i in named for i in range(value_start, end)):
            cues.append(token.idx)
    return cues


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged

