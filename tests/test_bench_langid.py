"""Language ID's fast sample (found by the benchmark) predicts exactly what the key text did."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from kiyome.transforms.langid import (
    MAX_CHARS,
    NON_FASTTEXT_SPACE,
    fasttext_sample,
    lid176,
    load_model,
)
from kiyome.transforms.normalize import key_text

FASTTEXT_DELIMITERS = " \t\n\v\f\r"
TEXTS = [
    "", " ", "\n\n", "　", "来週の定例会議は会議室Bで行います。\n\n  よろしく　お願いします。",
    "ﾏｲﾅﾝﾊﾞｰの提出をお願いします", "㍻" * 2100, "あ " * 2500, "あ\n" * 5000,
    "English text here.\r\n\tmore\x0b\x0cend", "\0abc 日本語", "x\x1cy\x85z 日本語\u2028です",
    "行1\u2029行2\u1680行3", "全角スペース　と\u00a0改行\u3000\n\n\n 混在",
    "中文文本，这是一个测试。",
    "Ｆｕｌｌ　ｗｉｄｔｈ　ＡＳＣＩＩ　１２３", "カタカナ\n" * 900 + "終わり",
]


def test_non_fasttext_space_lists_every_whitespace_nfkc_leaves():
    left = {ch for ch in map(chr, range(sys.maxunicode + 1))
            if ch.isspace() and ch not in FASTTEXT_DELIMITERS
            and unicodedata.normalize("NFKC", ch) == ch}
    assert left == set(NON_FASTTEXT_SPACE)


@pytest.mark.parametrize("text", TEXTS)
def test_fast_sample_predicts_exactly_like_the_key_text(text):
    model = load_model()
    old = model.predict(key_text(text[: MAX_CHARS * 2])[:MAX_CHARS], k=1)
    new = model.predict(fasttext_sample(text), k=1)
    assert new[0] == old[0] and list(new[1]) == list(old[1])
    assert lid176(model, text)[0] == (old[0][0].removeprefix("__label__") if old[0] else "und")
