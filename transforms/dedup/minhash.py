r"""MinHash core for near-duplicate detection: shingles, signatures, LSH bands.

This module is the pure-Python/numpy half of deduplication; the Beam transform
that groups documents by band key and verifies candidate pairs lives elsewhere
and calls into here. Nothing here touches Beam, so it can be unit-tested and
profiled on its own.

Pipeline for one document::

    hashes = shingle_hashes(text)                  # set of 5-gram hashes (uint64)
    sig = hasher.signature_from_hashes(hashes)     # MinHash signature
    keys = band_keys(sig, *optimal_bands(0.8, hasher.num_perm))
    # ... group by key; for each candidate pair: jaccard(hashes_a, hashes_b) >= 0.8

Text must already be normalised by the caller (NFKC + folded whitespace). This
module never normalises again and never strips combining marks: dakuten are
meaning-bearing in Japanese (か/が, は/ば/ぱ), so removing them would turn
different words into "duplicates".

Shingles are *code-point* n-grams, not grapheme clusters. After NFKC, Japanese
voiced kana are single composed code points, so that distinction only matters
for the rare marks that have no precomposed form; those are kept as-is.
"""

from __future__ import annotations

import functools
import math
from itertools import repeat

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = [
    "DEFAULT_NGRAM",
    "MAX_HASH",
    "MERSENNE_PRIME",
    "MinHasher",
    "band_keys",
    "char_ngrams",
    "estimated_jaccard",
    "jaccard",
    "optimal_bands",
    "shingle_hashes",
]

U64Array = npt.NDArray[np.uint64]

DEFAULT_NGRAM = 5
"""Character 5-grams: Japanese has no spaces to split words on, and 5 characters
span two or three words -- long enough that shared particles and endings
(「している」) are a small share of two unrelated documents' shingles, short
enough that a small edit only disturbs a few shingles."""

SHINGLE_SEED = 0
"""Fixed xxhash seed for shingles. Changing it invalidates every stored
signature, band key and shingle set, so it is a constant, not a parameter."""

MERSENNE_PRIME = (1 << 61) - 1
"""Modulus of the universal hash family (same prime as datasketch)."""

MAX_HASH = np.uint64(np.iinfo(np.uint64).max)
"""Signature value of an empty text. Real permuted values are < MERSENNE_PRIME,
so this sentinel can never equal one: an empty text matches only empty texts."""

_P = np.uint64(MERSENNE_PRIME)
_MASK30 = np.uint64((1 << 30) - 1)
_MASK31 = np.uint64((1 << 31) - 1)
_ONE = np.uint64(1)
_S30 = np.uint64(30)
_S31 = np.uint64(31)
_S61 = np.uint64(61)

# Rows of the (shingles x permutations) matrix processed per step. ~32k uint64
# per buffer keeps the three work buffers in L2 cache and bounds memory for
# very long documents (a 1 MB text would otherwise need GBs of temporaries).
_CHUNK_ELEMENTS = 1 << 15


def char_ngrams(text: str, n: int = DEFAULT_NGRAM) -> set[str]:
    r"""Return the set of character n-grams of ``text``.

    A non-empty text shorter than ``n`` is one shingle (the whole text), so
    short documents such as titles still get a signature and can match their
    exact copies. The text is used exactly as given: no normalisation, and
    combining marks are never removed.

    >>> sorted(char_ngrams("東京都庁舎です", 5))
    ['京都庁舎で', '東京都庁舎', '都庁舎です']
    >>> char_ngrams("東京都", 5)
    {'東京都'}
    >>> char_ngrams("東京都庁舎", 5)
    {'東京都庁舎'}
    >>> char_ngrams("", 5)
    set()

    が stays が (one code point), and is not the same shingle as か:

    >>> char_ngrams("ががが", 2)
    {'がが'}
    >>> char_ngrams("が", 5) == char_ngrams("か", 5)
    False

    Decomposed input (か + U+3099 combining dakuten) is not normalised here --
    that is the caller's job -- and the mark is kept, not stripped:

    >>> sorted(char_ngrams("か\u3099き", 2)) == ["か\u3099", "\u3099き"]
    True
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if len(text) < n:
        return {text} if text else set()
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def shingle_hashes(text: str, n: int = DEFAULT_NGRAM) -> U64Array:
    """Return the sorted, unique 64-bit xxh3 hashes of the character n-grams.

    Documents are compared as *sets* of shingles, so duplicates are removed;
    sorting makes the result canonical (equal texts give equal arrays) and
    cheap to intersect in :func:`jaccard`. Shingles are hashed as UTF-8 with a
    fixed seed, so values are the same in every process and on every machine.

    >>> shingle_hashes("").size
    0
    >>> h = shingle_hashes("が")
    >>> h.dtype, h.size
    (dtype('uint64'), 1)
    >>> bool(h[0] != shingle_hashes("か")[0])
    True
    >>> shingle_hashes("東京都庁舎です").size
    3
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    # A list, not char_ngrams' set: np.unique below removes repeats anyway, and
    # skipping the set of strings saves ~15 % of the time.
    if len(text) < n:
        grams = [text] if text else []
    else:
        grams = [text[i : i + n] for i in range(len(text) - n + 1)]
    try:
        hashes = np.fromiter(
            map(xxhash.xxh3_64_intdigest, map(str.encode, grams), repeat(SHINGLE_SEED)),
            dtype=np.uint64,
            count=len(grams),
        )
    except UnicodeEncodeError:  # lone surrogates, e.g. from errors="surrogateescape" decoding
        encoded = (g.encode("utf-8", "surrogatepass") for g in grams)
        hashes = np.fromiter(
            (xxhash.xxh3_64_intdigest(e, SHINGLE_SEED) for e in encoded),
            dtype=np.uint64,
            count=len(grams),
        )
    return np.unique(hashes)


class MinHasher:
    """Computes MinHash signatures of texts with a fixed, seeded permutation family.

    Each of the ``num_perm`` permutations is the universal hash
    ``h_k(x) = (a_k * x + b_k) mod p`` with ``p = 2**61 - 1``, ``a_k`` in
    ``[1, p)`` and ``b_k`` in ``[0, p)`` -- the family datasketch uses -- applied
    to every shingle hash ``x`` (reduced mod p) at once as a 2-D broadcast, with
    the minimum taken over the shingle axis.

    Two documents built with the same ``(num_perm, ngram, seed)`` are
    comparable; anything else is not. Parameters come from the raw output of
    ``numpy.random.PCG64(seed)``, whose stream is fixed by its algorithm, rather
    than from ``Generator`` methods (whose algorithms numpy may change between
    versions) or Python's salted ``hash``; so the same seed gives the same
    permutations in every process, on every machine.
    """

    def __init__(self, num_perm: int = 128, ngram: int = DEFAULT_NGRAM, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be >= 1, got {num_perm}")
        if ngram < 1:
            raise ValueError(f"ngram must be >= 1, got {ngram}")
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        # Interleaved (a0, b0, a1, b1, ...): the first k permutations of a
        # larger hasher equal those of a smaller one with the same seed. The
        # modulo bias of folding 64 random bits into [0, p) is ~2**-61.
        raw = np.random.PCG64(seed).random_raw(2 * num_perm).astype(np.uint64)
        self._a = raw[0::2] % (_P - _ONE) + _ONE
        self._b = raw[1::2] % _P
        self._a.flags.writeable = False
        self._b.flags.writeable = False
        # a split into 30 + 31 bit limbs for the exact product below.
        self._a_hi = self._a >> _S31
        self._a_lo = self._a & _MASK31
        self._chunk_rows = max(16, _CHUNK_ELEMENTS // num_perm)

    def __repr__(self) -> str:
        return f"MinHasher(num_perm={self.num_perm}, ngram={self.ngram}, seed={self.seed})"

    def __reduce__(self) -> tuple[type[MinHasher], tuple[int, int, int]]:
        # Beam pickles DoFns: ship the three parameters and rebuild, instead
        # of the arrays (smaller, and cannot drift from the seed).
        return (MinHasher, (self.num_perm, self.ngram, self.seed))

    @property
    def permutations(self) -> tuple[U64Array, U64Array]:
        """The read-only ``(a, b)`` parameter arrays, for inspection and tests."""
        return self._a, self._b

    def signature(self, text: str) -> U64Array:
        """MinHash signature (uint64, shape ``(num_perm,)``) of a normalised text.

        An empty text has no shingles; its signature is all :data:`MAX_HASH`,
        which equals only other empty texts' signatures. Callers should drop
        empty texts before dedup instead: otherwise every empty document lands
        in one bucket and they are all reported as duplicates of each other.
        """
        return self.signature_from_hashes(shingle_hashes(text, self.ngram))

    def signature_from_hashes(self, hashes: U64Array) -> U64Array:
        """Signature from precomputed :func:`shingle_hashes` (any uint64 values).

        Lets the caller hash each document once and reuse the shingle set for
        both the signature and the exact-Jaccard verification of candidates.
        """
        out = np.full(self.num_perm, MAX_HASH, dtype=np.uint64)
        x_all = np.asarray(hashes, dtype=np.uint64).ravel()
        if x_all.size == 0:
            return out
        # Universal hashing needs x in [0, p); this fold merges 64-bit hashes
        # that are equal mod p, i.e. a 2**-61 collision chance per pair.
        x_all = x_all % _P
        rows = min(self._chunk_rows, x_all.size)
        s, t1, t2 = (np.empty((rows, self.num_perm), np.uint64) for _ in range(3))
        for start in range(0, x_all.size, rows):
            x = x_all[start : start + rows]
            m = x.size
            self._permute_min(x, s[:m], t1[:m], t2[:m], out)
        return out

    def _permute_min(
        self, x: U64Array, s: U64Array, t1: U64Array, t2: U64Array, out: U64Array
    ) -> None:
        """``out = min(out, min over x of (a*x + b) mod p)``, exactly, in uint64.

        Overflow: a and x are both up to 61 bits, so ``a * x`` needs 122 bits.
        datasketch's legacy scheme computes ``(a * hv + b) % p`` directly in
        uint64 with 32-bit hv, where ``a * hv`` can reach 2**93 and silently
        wraps mod 2**64 before the ``% p`` (it is then ``& 0xFFFFFFFF``-ed down
        to 32 bits, which adds collisions of its own). Here the product is done
        exactly with 31-bit limbs, using 2**61 == 1 (mod p):

            a = ah*2**31 + al,  x = xh*2**31 + xl   (ah, xh < 2**30; al, xl < 2**31)
            a*x = ah*xh*2**62 + mid*2**31 + al*xl,  mid = ah*xl + al*xh < 2**62
            2**62 == 2 (mod p);  mid*2**31 == (mid >> 30) + (mid & (2**30-1))*2**31

        so ``s = 2*ah*xh + (mid >> 30) + ((mid & M30) << 31) + al*xl + b``
        < 5*2**61 + 2**32 < 2**64 never overflows, and one fold
        ``(s & p) + (s >> 61)`` leaves a value in ``[0, p + 5]``; the final
        ``min(r, r - p)`` (``r - p`` wraps to a huge number when ``r < p``)
        makes it canonical in ``[0, p)``. The result keeps all 61 bits: no
        truncation to 32 bits. Every step writes into preallocated buffers.
        """
        xh = (x >> _S31)[:, None]
        xl = (x & _MASK31)[:, None]
        np.multiply(xh << _ONE, self._a_hi, out=s)  # 2 * ah * xh  (shift on the 1-D side)
        np.multiply(xh, self._a_lo, out=t1)
        np.multiply(xl, self._a_hi, out=t2)
        np.add(t1, t2, out=t1)  # mid
        np.right_shift(t1, _S30, out=t2)
        np.add(s, t2, out=s)
        np.bitwise_and(t1, _MASK30, out=t1)
        np.left_shift(t1, _S31, out=t1)
        np.add(s, t1, out=s)
        np.multiply(xl, self._a_lo, out=t1)
        np.add(s, t1, out=s)
        np.add(s, self._b, out=s)
        np.right_shift(s, _S61, out=t1)  # fold: 2**61 == 1 (mod p)
        np.bitwise_and(s, _P, out=s)
        np.add(s, t1, out=s)
        np.subtract(s, _P, out=t1)  # canonicalise [0, p + 5] -> [0, p)
        np.minimum(s, t1, out=s)
        np.minimum(out, s.min(axis=0), out=out)


def _quadrature(threshold: float, num_perm: int) -> tuple[npt.NDArray, ...]:
    # Gauss-Legendre with m nodes is exact for polynomials of degree <= 2m - 1;
    # the integrands below have degree b*r <= num_perm, so this reproduces the
    # integrals scipy.integrate.quad computes for datasketch, without scipy.
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    lo, hi = threshold / 2.0, (1.0 - threshold) / 2.0
    return (nodes + 1.0) * lo, weights * lo, threshold + (nodes + 1.0) * hi, weights * hi


@functools.lru_cache(maxsize=128)
def optimal_bands(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """LSH ``(bands, rows)`` with ``bands * rows <= num_perm`` for a Jaccard threshold.

    Minimises ``fp_weight * FP + fn_weight * FN``, where FP is the area under
    the S-curve ``1 - (1 - s**r)**b`` below the threshold and FN the area
    above it: the same search and the same answer as
    ``datasketch.lsh._optimal_param``, without importing scipy on workers.

    >>> optimal_bands(0.8, 128)
    (9, 13)
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    s_fp, w_fp, s_fn, w_fn = _quadrature(threshold, num_perm)
    best_error, best = math.inf, (0, 0)
    for b in range(1, num_perm + 1):
        r = np.arange(1, num_perm // b + 1, dtype=np.float64)[:, None]
        fp = (1.0 - (1.0 - s_fp**r) ** b) @ w_fp
        fn = ((1.0 - s_fn**r) ** b) @ w_fn
        error = fp * false_positive_weight + fn * false_negative_weight
        i = int(np.argmin(error))  # first minimum, like datasketch's strict "<"
        if error[i] < best_error:
            best_error, best = float(error[i]), (b, i + 1)
    return best


def band_keys(signature: npt.ArrayLike, bands: int, rows: int) -> list[bytes]:
    """One 18-byte LSH key per band: 2-byte band index + xxh3-128 of the band slice.

    The index prefix keeps equal slices in different bands apart (they are
    different hash tables). 128 bits make accidental key collisions negligible
    even across billions of documents, while keeping shuffle keys small.
    Slices are hashed as little-endian uint64 so keys are machine-independent.

    >>> sig = MinHasher(num_perm=8).signature("東京都庁舎です")
    >>> keys = band_keys(sig, 2, 4)
    >>> len(keys), len(keys[0]), keys[1][:2]
    (2, 18, b'\\x00\\x01')
    """
    sig = np.ascontiguousarray(signature, dtype="<u8")
    if sig.ndim != 1:
        raise ValueError(f"signature must be 1-D, got shape {sig.shape}")
    if bands < 1 or rows < 1 or bands * rows > sig.size:
        raise ValueError(f"need 1 <= bands*rows <= {sig.size}, got {bands}*{rows}")
    if bands > 0xFFFF:
        raise ValueError(f"at most 65535 bands, got {bands}")
    table = sig[: bands * rows].reshape(bands, rows)
    return [
        band.to_bytes(2, "big") + xxhash.xxh3_128_digest(table[band].tobytes())
        for band in range(bands)
    ]


def estimated_jaccard(sig_a: npt.ArrayLike, sig_b: npt.ArrayLike) -> float:
    """MinHash estimate of Jaccard similarity: the fraction of equal positions.

    Only meaningful for signatures from the same ``MinHasher`` parameters.
    """
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"signatures must be non-empty 1-D of equal shape: {a.shape} vs {b.shape}")
    return np.count_nonzero(a == b) / a.size


def jaccard(a_hashes: npt.ArrayLike, b_hashes: npt.ArrayLike) -> float:
    """Exact Jaccard similarity ``|A & B| / |A | B|`` of two shingle-hash sets.

    Used to verify LSH candidates, which are only probably similar. Two empty
    sets count as identical (1.0), matching their equal signatures.

    >>> jaccard(shingle_hashes("東京都庁舎です"), shingle_hashes("東京都庁舎でした"))
    0.4
    >>> jaccard(np.array([], np.uint64), np.array([], np.uint64))
    1.0
    """
    a = np.unique(np.asarray(a_hashes, dtype=np.uint64))
    b = np.unique(np.asarray(b_hashes, dtype=np.uint64))
    union = a.size + b.size
    if union == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (union - inter)
