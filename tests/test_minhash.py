"""Tests for the MinHash core (kiyome.transforms.dedup.minhash)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from kiyome.transforms.dedup.minhash import (
    MAX_HASH,
    MinHasher,
    band_keys,
    char_ngrams,
    estimated_jaccard,
    jaccard,
    optimal_bands,
    shingle_hash_array,
    shingle_hashes,
)

# Original, mutually unrelated Japanese sentences (~30 characters each).
# Documents are built by concatenating them, so the true Jaccard of two
# documents is controlled by how many sentences they share.
SENTENCES = [
    "東京の朝は早く、通勤電車は六時過ぎにはもう混み始める。",
    "駅前のパン屋では焼きたてのクロワッサンが人気を集めている。",
    "昨夜から降り続いた雨は、昼過ぎになってようやく上がった。",
    "図書館の閲覧室では、学生たちが静かに試験勉強をしていた。",
    "新しい条例により、公園での花火は午後九時までに制限される。",
    "祖母は毎年秋になると、庭の柿を干し柿にして親戚に配っている。",
    "北海道の牧場では、夏の間だけ牛を山の放牧地へ移している。",
    "研究チームは、深海の微生物から新種の酵素を発見したと発表した。",
    "この町の商店街は、週末になると歩行者天国として開放される。",
    "台風の接近に伴い、沿岸部の自治体は避難所の開設を決めた。",
    "彼女は三年かけて、古い民家を自分の手で改装したそうだ。",
    "京都の寺院では、紅葉の見頃に合わせて夜間拝観が行われる。",
    "小学校の運動会は、雨天のため来週の土曜日に延期となった。",
    "地元の漁師によると、今年はサンマの水揚げが例年より少ない。",
    "美術館の企画展には、江戸時代の浮世絵が百点以上並んでいる。",
    "駅のホームに設置された自動販売機で、温かいお茶を買った。",
    "市役所の窓口は、月末になると各種手続きの申請で混雑する。",
    "山頂から見下ろす雲海は、言葉を失うほど美しかった。",
    "このアプリを使えば、電車の遅延情報をすぐに確認できる。",
    "夏祭りの夜、川沿いには浴衣姿の若者たちが大勢集まっていた。",
    "老舗の和菓子店が、創業百五十年を記念して新作の羊羹を発売した。",
    "大学の講義はオンラインと対面を組み合わせた形式で実施される。",
    "冬になると、日本海側の地域では大雪による交通障害が起きやすい。",
    "ベランダで育てたミニトマトが、ようやく赤く色づき始めた。",
    "弟は将来、宇宙開発に関わる技術者になりたいと話している。",
    "このレストランでは、地元で採れた野菜だけを使って料理を作る。",
    "経済産業省は、中小企業向けの新たな支援策を来月から始める。",
    "古本屋の棚の奥で、絶版になった詩集を偶然見つけた。",
    "マラソン大会には、全国から約二万人のランナーが参加した。",
    "富士山の見える露天風呂で、ゆっくりと旅の疲れを癒やした。",
    "隣の家の犬は、郵便配達の人が来るたびに元気よく吠える。",
    "気象庁によれば、今年の桜の開花は平年より一週間ほど早い。",
    "子どもたちは、川で捕まえた小魚を観察してノートに記録した。",
    "その作家の新作小説は、発売からわずか一週間で十万部を突破した。",
    "深夜のコンビニでは、外国人の店員が手際よく品出しをしていた。",
    "港町の朝市では、水揚げされたばかりの魚介類が安く売られている。",
    "父は定年退職後、趣味の陶芸に毎日のように打ち込んでいる。",
    "高速道路の渋滞は、連休最終日の夕方に最も激しくなる見込みだ。",
    "博物館では、恐竜の化石を使った子ども向けの体験教室が開かれた。",
    "島の診療所には、週に一度だけ本土から医師がやって来る。",
    "ゲームの発売日には、家電量販店の前に長い行列ができた。",
    "茶道の稽古では、お辞儀の角度ひとつにも細かな決まりがある。",
    "農家の高齢化が進み、耕作放棄地の増加が問題となっている。",
    "夕焼けに染まった海辺を、二人は黙ったまま歩き続けた。",
    "新幹線の車内販売が終了し、乗客からは惜しむ声が上がった。",
    "この地域の方言では、語尾に独特の言い回しを付けることが多い。",
    "保育園の待機児童の数は、前年と比べて大きく減少したという。",
    "山あいの温泉街は、外国人観光客の増加で活気を取り戻しつつある。",
]
DOC_SENTENCES = 20  # a document is 20 sentences, ~600 characters
DOC_A = "".join(SENTENCES[:DOC_SENTENCES])
UNRELATED = "".join(SENTENCES[DOC_SENTENCES : 2 * DOC_SENTENCES])


def true_jaccard(a: str, b: str) -> float:
    return jaccard(shingle_hashes(a), shingle_hashes(b))


def pair_near(target: float) -> tuple[str, str, float]:
    """DOC_A and a copy with its last m sentences replaced by unrelated ones,
    m chosen so the true Jaccard is as close as possible to ``target``."""
    candidates = []
    for m in range(DOC_SENTENCES + 1):
        kept = SENTENCES[: DOC_SENTENCES - m]
        new = SENTENCES[DOC_SENTENCES : DOC_SENTENCES + m]
        other = "".join(kept + new)
        candidates.append((abs(true_jaccard(DOC_A, other) - target), other))
    other = min(candidates)[1]
    return DOC_A, other, true_jaccard(DOC_A, other)


GOLDEN = [322480971, 302849618, 16725665, 269635829]


def edited_copies(text: str) -> list[str]:
    """Near-duplicates as found between scraped copies of one article."""
    return [
        text.replace("六時過ぎ", "六時半"),  # one small edit
        text.replace("、", "，", 3),  # punctuation variant
        "【転載】" + text + "（以上）",  # boilerplate added around it
        text.replace("クロワッサン", "メロンパン").replace("九時", "十時"),  # two edits
    ]


# --- shingles ---------------------------------------------------------------


def test_shingle_hashes_are_unique_sorted_uint64() -> None:
    h = shingle_hashes("あいうえおあいうえおあいうえお")  # 5 distinct 5-grams, repeated
    assert h.dtype == np.uint64
    assert h.size == 5
    assert np.all(np.diff(h.astype(object)) > 0)


def test_short_and_empty_texts() -> None:
    assert char_ngrams("こんにちは", 5) == {"こんにちは"}  # exactly n: one shingle
    assert char_ngrams("猫", 5) == {"猫"}
    assert shingle_hashes("猫").size == 1
    assert shingle_hashes("").size == 0
    assert shingle_hashes("").dtype == np.uint64


def test_dakuten_is_never_stripped() -> None:
    # Voiced and unvoiced kana must stay different shingles, or かき/がき (oyster /
    # brat) would be "duplicates". Decomposed input is kept as given too.
    assert jaccard(shingle_hashes("がっこうへいく"), shingle_hashes("かっこうへいく")) < 1.0
    assert shingle_hashes("か\u3099").size == 1
    assert not np.array_equal(shingle_hashes("か\u3099"), shingle_hashes("か"))


def test_lone_surrogate_does_not_crash() -> None:
    # Text decoded with errors="surrogateescape" can carry lone surrogates.
    assert shingle_hashes("abc\udcff").size == 1


def test_ngram_validation() -> None:
    with pytest.raises(ValueError):
        char_ngrams("abc", 0)
    with pytest.raises(ValueError):
        MinHasher(ngram=0)
    with pytest.raises(ValueError):
        MinHasher(num_perm=0)


# --- signatures -------------------------------------------------------------


def test_signature_is_deterministic() -> None:
    mh = MinHasher(num_perm=128, seed=1)
    sig = mh.signature(DOC_A)
    assert sig.dtype == np.uint32
    assert sig.shape == (128,)
    assert np.array_equal(sig, mh.signature(DOC_A))
    assert np.array_equal(sig, MinHasher(num_perm=128, seed=1).signature(DOC_A))
    assert not np.array_equal(sig, MinHasher(num_perm=128, seed=2).signature(DOC_A))


def test_signature_is_deterministic_across_processes() -> None:
    # A fresh interpreter with a different str-hash salt must agree.
    code = (
        "from kiyome.transforms.dedup.minhash import MinHasher;"
        f"print(MinHasher(64, seed=7).signature({DOC_A!r}).tolist())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == MinHasher(64, seed=7).signature(DOC_A).tolist()


def test_signature_golden_values() -> None:
    # Pinned values: if this fails, shingle hashing or permutation generation
    # changed (new numpy?) and every stored signature and band key is now
    # incompatible with newly computed ones.
    sig = MinHasher(num_perm=8, seed=1).signature("吾輩は猫である。名前はまだ無い。")
    assert sig.dtype == np.uint32
    assert sig.tolist()[:4] == GOLDEN


def test_shingle_hash_array_matches_a_scalar_reference() -> None:
    # The vectorised polynomial + finaliser against plain Python ints, on a
    # text with kanji, kana, ASCII, an astral code point and a lone surrogate.
    text = "東京都ABC😀かが\udcff庁舎"
    k = [int(v) for v in np.random.PCG64(0).random_raw(6)]
    k = [v | 1 for v in k]
    mask = (1 << 64) - 1

    def fmix(h: int) -> int:
        h ^= h >> 33
        h = (h * 0xFF51AFD7ED558CCD) & mask
        h ^= h >> 33
        h = (h * 0xC4CEB9FE1A85EC53) & mask
        return h ^ (h >> 33)

    def reference(gram: str) -> int:
        h = sum(ord(c) * k[j] for j, c in enumerate(gram)) + len(gram) * k[5]
        return fmix(h & mask)

    expected = [reference(text[i : i + 5]) for i in range(len(text) - 4)]
    assert shingle_hash_array(text).tolist() == expected
    assert shingle_hash_array("猫").tolist() == [reference("猫")]


def test_shingle_hashes_do_not_collide_on_many_distinct_grams() -> None:
    # 200k distinct 5-grams over a small alphabet (the polynomial's weakest
    # case: small code-point differences): every hash must be distinct.
    rng = np.random.default_rng(0)
    alphabet = np.array(list("あいうえおかきくけこがぎぐげご"))
    text = "".join(rng.choice(alphabet, 400_000))
    grams = {text[i : i + 5] for i in range(len(text) - 4)}
    assert len(grams) > 150_000
    assert shingle_hashes(text).size == len(grams)


def test_signature_matches_big_int_arithmetic() -> None:
    # The uint32 matrix operation against Python's unbounded ints, including
    # edge-case hashes and enough shingles to span several processing chunks.
    mh = MinHasher(num_perm=64, seed=3)
    mh._chunk_rows = 100  # force several chunks
    rng = np.random.default_rng(0)
    edge = [0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1]
    hashes = np.concatenate(
        [
            rng.integers(0, 2**64 - 1, 1300, dtype=np.uint64, endpoint=True),
            np.array(edge, np.uint64),
        ]
    )
    a, b = mh.permutations
    xs = [int(x) >> 32 for x in hashes]
    expected = [
        min(min((int(ak) * x + int(bk)) % 2**32 for x in xs), 2**32 - 2)
        for ak, bk in zip(a, b, strict=True)
    ]
    assert mh.signature_from_hashes(hashes).tolist() == expected
    for x in edge:  # single shingles: every permuted value, not just the minimum
        one = mh.signature_from_hashes(np.array([x], np.uint64)).tolist()
        assert one == [min((int(ak) * (x >> 32) + int(bk)) % 2**32, 2**32 - 2)
                       for ak, bk in zip(a, b, strict=True)]


def test_signature_ignores_repeats_and_order() -> None:
    mh = MinHasher(num_perm=32)
    h = shingle_hash_array(DOC_A + DOC_A)
    assert np.array_equal(mh.signature_from_hashes(h), mh.signature_from_hashes(np.unique(h)))
    assert np.array_equal(mh.signature_from_hashes(h[::-1]), mh.signature(DOC_A))


def test_permutation_parameters() -> None:
    a, b = MinHasher(num_perm=512, seed=9).permutations
    assert a.dtype == b.dtype == np.uint32
    assert np.all(a % 2 == 1)  # odd multipliers: each h_k is a bijection of 32-bit values
    assert np.unique(a).size == 512 and np.unique(b).size == 512
    # Prefix property: a smaller hasher uses the first permutations of a larger one.
    small_a, small_b = MinHasher(num_perm=16, seed=9).permutations
    assert np.array_equal(small_a, a[:16]) and np.array_equal(small_b, b[:16])


def test_minhasher_pickles() -> None:
    mh = MinHasher(num_perm=32, ngram=4, seed=5)
    clone = pickle.loads(pickle.dumps(mh))
    assert (clone.num_perm, clone.ngram, clone.seed) == (32, 4, 5)
    assert np.array_equal(clone.signature(DOC_A), mh.signature(DOC_A))


def test_short_text_gets_signature_and_matches_itself() -> None:
    mh = MinHasher(num_perm=128)
    sig = mh.signature("猫")
    assert sig.shape == (128,)
    assert np.all(sig < MAX_HASH)  # a real signature, not the empty sentinel
    assert estimated_jaccard(sig, mh.signature("猫")) == 1.0
    bands, rows = optimal_bands(0.8, 128)
    assert band_keys(sig, bands, rows) == band_keys(mh.signature("猫"), bands, rows)
    other = mh.signature("犬")
    assert estimated_jaccard(sig, other) < 0.1
    assert not set(band_keys(sig, bands, rows)) & set(band_keys(other, bands, rows))


def test_empty_text_signature_is_max_hash_and_matches_only_empty() -> None:
    mh = MinHasher(num_perm=64)
    sig = mh.signature("")
    assert np.all(sig == MAX_HASH)
    assert estimated_jaccard(sig, mh.signature("")) == 1.0
    assert estimated_jaccard(sig, mh.signature("猫")) == 0.0
    bands, rows = optimal_bands(0.8, 64)
    assert not set(band_keys(sig, bands, rows)) & set(band_keys(mh.signature("猫"), bands, rows))


# --- estimate vs truth ------------------------------------------------------


@pytest.mark.parametrize("target", [0.9, 0.8, 0.5, 0.0])
def test_estimate_tracks_true_jaccard(target: float) -> None:
    a, b, truth = pair_near(target)
    assert abs(truth - target) <= 0.03, truth  # the constructed pair is what we meant
    mh = MinHasher(num_perm=256)
    est = estimated_jaccard(mh.signature(a), mh.signature(b))
    # Standard error of a 256-permutation estimate is <= 0.5/sqrt(256) = 0.031.
    assert abs(est - truth) <= 0.1, (est, truth)

    # datasketch on the same shingles (its own hash and permutations): two
    # independent estimates, so their difference has std <= 0.044.
    ds_a, ds_b = MinHash(num_perm=256), MinHash(num_perm=256)
    ds_a.update_batch([g.encode("utf-8") for g in char_ngrams(a)])
    ds_b.update_batch([g.encode("utf-8") for g in char_ngrams(b)])
    assert abs(est - ds_a.jaccard(ds_b)) <= 0.12, (est, ds_a.jaccard(ds_b))


def test_estimate_is_unbiased_over_seeds() -> None:
    # Averaging 16 independent permutation families shrinks the noise to
    # ~0.008, exposing any systematic bias (e.g. from lossy overflow).
    a, b, truth = pair_near(0.5)
    estimates = [
        estimated_jaccard(MinHasher(256, seed=s).signature(a), MinHasher(256, seed=s).signature(b))
        for s in range(16)
    ]
    assert abs(float(np.mean(estimates)) - truth) <= 0.03


@pytest.mark.parametrize("target", [0.8, 0.5])
def test_estimate_spread_matches_independent_permutations(target: float) -> None:
    # With independent permutations the estimate is Binomial(k, J) / k. A
    # family whose positions are correlated shows a larger spread; one that
    # is biased shows a shifted mean. 64 seeds x 128 permutations: the
    # sample std is within ~20 % of the binomial one with high probability.
    a, b, truth = pair_near(target)
    k = 128
    errors = np.array([
        estimated_jaccard(MinHasher(k, seed=s).signature(a), MinHasher(k, seed=s).signature(b))
        - truth
        for s in range(64)
    ])
    binomial_std = (truth * (1 - truth) / k) ** 0.5
    assert abs(errors.mean()) <= 3 * binomial_std / 8  # mean of 64: std / 8
    assert 0.7 * binomial_std <= errors.std() <= 1.35 * binomial_std, (errors.std(), binomial_std)


def test_jaccard() -> None:
    a = np.array([1, 2, 3, 4], np.uint64)
    b = np.array([3, 4, 5, 6], np.uint64)
    assert jaccard(a, b) == pytest.approx(2 / 6)
    assert jaccard(b, a) == jaccard(a, b)
    assert jaccard(a, a) == 1.0
    assert jaccard(a, np.array([], np.uint64)) == 0.0
    assert jaccard(np.array([], np.uint64), np.array([], np.uint64)) == 1.0
    assert true_jaccard(DOC_A, DOC_A) == 1.0


def test_estimated_jaccard_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError):
        estimated_jaccard(np.zeros(64, np.uint64), np.zeros(128, np.uint64))


# --- LSH banding ------------------------------------------------------------


def test_near_duplicates_share_a_band_key_unrelated_do_not() -> None:
    mh = MinHasher(num_perm=128)
    bands, rows = optimal_bands(0.8, 128)
    keys = set(band_keys(mh.signature(DOC_A), bands, rows))
    for near in edited_copies(DOC_A):
        assert 0.85 <= true_jaccard(DOC_A, near) < 1.0
        assert keys & set(band_keys(mh.signature(near), bands, rows))

    assert true_jaccard(DOC_A, UNRELATED) < 0.05
    assert not keys & set(band_keys(mh.signature(UNRELATED), bands, rows))
    for sentence in SENTENCES[DOC_SENTENCES:]:
        assert not keys & set(band_keys(mh.signature(sentence), bands, rows))


def test_band_collision_rate_follows_the_s_curve() -> None:
    # LSH is probabilistic: a pair at Jaccard s shares a band with probability
    # 1 - (1 - s**rows)**bands (0.92 at s=0.9, 0.001 at s=0.5 for (9, 13)), so
    # a single J=0.9 pair *can* miss. Check the rate over 64 seeds instead
    # (binomial std at p=0.92 is 0.034, so 0.75 is ~5 sigma below).
    bands, rows = optimal_bands(0.8, 128)
    _, at_09, _ = pair_near(0.9)
    _, at_05, _ = pair_near(0.5)

    def share_rate(other: str) -> float:
        hits = 0
        for seed in range(64):
            mh = MinHasher(num_perm=128, seed=seed)
            a = set(band_keys(mh.signature(DOC_A), bands, rows))
            hits += bool(a & set(band_keys(mh.signature(other), bands, rows)))
        return hits / 64

    assert share_rate(at_09) >= 0.75
    assert share_rate(at_05) <= 0.1
    assert share_rate(UNRELATED) == 0.0


def test_band_keys_are_prefixed_and_do_not_collide_across_bands() -> None:
    sig = np.full(128, 42, np.uint64)  # every band slice is identical
    keys = band_keys(sig, 16, 8)
    assert len(keys) == 16
    assert len(set(keys)) == 16
    assert [int.from_bytes(k[:2], "big") for k in keys] == list(range(16))
    assert all(len(k) == 18 for k in keys)


def test_band_keys_validation() -> None:
    sig = np.zeros(64, np.uint64)
    assert len(band_keys(sig, 5, 12)) == 5  # bands * rows < num_perm is allowed
    with pytest.raises(ValueError):
        band_keys(sig, 9, 8)
    with pytest.raises(ValueError):
        band_keys(sig, 0, 8)


def test_band_keys_independent_of_input_dtype_and_byte_order() -> None:
    sig = MinHasher(num_perm=64).signature(DOC_A)
    assert band_keys(sig, 8, 8) == band_keys(sig.astype(">u4"), 8, 8)
    assert band_keys(sig, 8, 8) == band_keys(sig.astype(np.uint64), 8, 8)
    with pytest.raises(ValueError):
        band_keys(np.full(64, 2**32, np.uint64), 8, 8)
    assert band_keys(sig, 8, 8) == band_keys(sig.tolist(), 8, 8)


# --- LSH parameters ---------------------------------------------------------


@pytest.mark.parametrize("num_perm", [64, 128, 256])
@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_optimal_bands_matches_datasketch(threshold: float, num_perm: int) -> None:
    bands, rows = optimal_bands(threshold, num_perm)
    assert (bands, rows) == _optimal_param(threshold, num_perm, 0.5, 0.5)
    assert bands * rows <= num_perm


@pytest.mark.parametrize("weights", [(0.3, 0.7), (0.7, 0.3)])
def test_optimal_bands_matches_datasketch_with_weights(weights: tuple[float, float]) -> None:
    assert optimal_bands(0.8, 128, *weights) == _optimal_param(0.8, 128, *weights)


def test_optimal_bands_validation() -> None:
    with pytest.raises(ValueError):
        optimal_bands(1.5, 128)
    with pytest.raises(ValueError):
        optimal_bands(0.8, 0)
