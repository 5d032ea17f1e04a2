r"""MinHash core for near-duplicate detection: shingles, signatures, LSH bands.

This module is the pure-Python/numpy half of deduplication; the Beam transform
that groups documents by band key and verifies candidate pairs lives elsewhere
and calls into here. Nothing here touches Beam, so it can be unit-tested and
profiled on its own.

Pipeline for one document::

    hashes = shingle_hashes(text)                  # sorted set of 5-gram hashes (uint64)
    sig = hasher.signature_from_hashes(hashes)     # MinHash signature (uint32)
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

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = [
    "DEFAULT_NGRAM",
    "MAX_HASH",
    "SIGNATURE_DTYPE",
    "MinHasher",
    "band_keys",
    "char_ngrams",
    "estimated_jaccard",
    "jaccard",
    "optimal_bands",
    "shingle_hash_array",
    "shingle_hashes",
]

U64Array = npt.NDArray[np.uint64]

DEFAULT_NGRAM = 5
"""Character 5-grams: Japanese has no spaces to split words on, and 5 characters
span two or three words -- long enough that shared particles and endings
(「している」) are a small share of two unrelated documents' shingles, short
enough that a small edit only disturbs a few shingles."""

SHINGLE_SEED = 0
"""Seed of the shingle hash constants. Changing it invalidates every stored
signature, band key and shingle set, so it is a constant, not a parameter."""

SIGNATURE_DTYPE = np.uint32
"""Signature values are 32-bit: half the memory, shuffle and storage of 64-bit
values, and 32-bit lanes are what makes the permutation step fast in numpy.
Two different shingles reach the same minimum with probability ~2**-32 per
position, far below the estimate's own noise (~0.035 at 128 permutations)."""

MAX_HASH = np.uint32(0xFFFF_FFFF)
"""Signature value of an empty text. Real values are clipped to at most
``MAX_HASH - 1`` (a 2**-32 event), so an empty text matches only empty texts."""

_M64 = (1 << 64) - 1
_S32 = np.uint64(32)
_S33 = np.uint64(33)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)

# Rows of the (shingles x permutations) matrix processed per step: bounds the
# temporaries for very long documents (a 1 MB text would otherwise need
# hundreds of MB) while a 1,000-character document is one step.
_CHUNK_ELEMENTS = 1 << 18


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


@functools.lru_cache(maxsize=16)
def _shingle_constants(n: int) -> U64Array:
    """``n + 1`` odd 64-bit multipliers: one per n-gram position, one for the length."""
    constants = np.random.PCG64(SHINGLE_SEED).random_raw(n + 1).astype(np.uint64) | np.uint64(1)
    constants.flags.writeable = False
    return constants


def _fmix64(h: U64Array) -> U64Array:
    """MurmurHash3's 64-bit finaliser, in place: a bijection that spreads every input bit."""
    h ^= h >> _S33
    h *= _FMIX1
    h ^= h >> _S33
    h *= _FMIX2
    h ^= h >> _S33
    return h


def shingle_hash_array(text: str, n: int = DEFAULT_NGRAM) -> U64Array:
    """64-bit hashes of every character n-gram of ``text``, in text order, repeats kept.

    All n-grams are hashed at once over the code-point array: a polynomial
    ``sum(cp[i+j] * K[j]) + width * K[n]`` (mod 2**64) with fixed odd random
    constants ``K``, then MurmurHash3's finaliser. Two different n-grams
    collide only when ``sum((c_j - c'_j) * K[j]) == 0 (mod 2**64)``; code-point
    differences are below 2**21, so for random ``K`` that is a <= 2**-43 event
    per pair, and the finaliser is a bijection so it adds none. A text shorter
    than ``n`` is one shingle of its own width; the width term keeps it apart
    from every n-gram. Code points are read little-endian (UTF-32-LE, lone
    surrogates passed through), so hashes are the same on every machine.

    >>> shingle_hash_array("東京都庁舎です").size, shingle_hash_array("東京").size
    (3, 1)
    >>> shingle_hash_array("").size
    0
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    width = min(n, code_points.size)
    if width == 0:
        return np.empty(0, np.uint64)
    constants = _shingle_constants(n)
    cp = code_points.astype(np.uint64)
    count = cp.size - width + 1
    h = cp[:count] * constants[0]
    for j in range(1, width):
        h += cp[j : j + count] * constants[j]
    h += np.uint64((width * int(constants[n])) & _M64)
    return _fmix64(h)


def shingle_hashes(text: str, n: int = DEFAULT_NGRAM) -> U64Array:
    """Return the sorted, unique 64-bit hashes of the character n-grams.

    Documents are compared as *sets* of shingles, so repeats are removed;
    sorting makes the result canonical (equal texts give equal arrays) and
    cheap to intersect in :func:`jaccard`. See :func:`shingle_hash_array`.

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
    return np.unique(shingle_hash_array(text, n))


class MinHasher:
    """Computes MinHash signatures of texts with a fixed, seeded permutation family.

    Each of the ``num_perm`` permutations is ``h_k(x) = (a_k * x + b_k) mod 2**32``
    with odd ``a_k`` (so a bijection of 32-bit values), applied to the top 32
    bits ``x`` of every shingle hash at once as one ``(shingles x num_perm)``
    uint32 matrix operation, with the minimum taken over the shingle axis.

    Why this family: the inputs are already outputs of a strong 64-bit mixer,
    so any bijection gives each position a collision probability equal to the
    Jaccard similarity; what the family must add is independence between
    positions, which random odd multipliers with random offsets give (the
    tests check bias over seeds and the spread of the estimate against the
    binomial standard error). 32-bit lanes make it ~2x faster in numpy than an
    exact ``(a*x + b) mod (2**61 - 1)`` with 64-bit limbs, the family of
    datasketch and of kiyome before this change.

    Two documents hashed with the same ``(num_perm, ngram, seed)`` are
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
        # One 64-bit draw per permutation: low half -> a (made odd), high half
        # -> b. The first k permutations of a larger hasher equal those of a
        # smaller one with the same seed.
        raw = np.random.PCG64(seed).random_raw(num_perm).astype(np.uint64)
        self._a = ((raw & np.uint64(0xFFFF_FFFF)) | np.uint64(1)).astype(np.uint32)
        self._b = (raw >> _S32).astype(np.uint32)
        self._a.flags.writeable = False
        self._b.flags.writeable = False
        self._chunk_rows = max(16, _CHUNK_ELEMENTS // num_perm)

    def __repr__(self) -> str:
        return f"MinHasher(num_perm={self.num_perm}, ngram={self.ngram}, seed={self.seed})"

    def __reduce__(self) -> tuple[type[MinHasher], tuple[int, int, int]]:
        # Beam pickles DoFns: ship the three parameters and rebuild, instead
        # of the arrays (smaller, and cannot drift from the seed).
        return (MinHasher, (self.num_perm, self.ngram, self.seed))

    @property
    def permutations(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        """The read-only ``(a, b)`` parameter arrays, for inspection and tests."""
        return self._a, self._b

    def signature(self, text: str) -> npt.NDArray[np.uint32]:
        """MinHash signature (uint32, shape ``(num_perm,)``) of a normalised text.

        The minimum does not care about repeated shingles, so this skips the
        sort of :func:`shingle_hashes`. An empty text has no shingles; its
        signature is all :data:`MAX_HASH`, which equals only other empty texts'
        signatures. Callers should drop empty texts before dedup instead:
        otherwise every empty document lands in one bucket and they are all
        reported as duplicates of each other.
        """
        return self.signature_from_hashes(shingle_hash_array(text, self.ngram))

    def signature_from_hashes(self, hashes: npt.ArrayLike) -> npt.NDArray[np.uint32]:
        """Signature from precomputed shingle hashes (any uint64 values, repeats allowed).

        Lets the caller hash each document once and reuse the shingle set for
        both the signature and the exact-Jaccard verification of candidates.
        """
        out = np.full(self.num_perm, MAX_HASH, dtype=np.uint32)
        x_all = (np.asarray(hashes, dtype=np.uint64).ravel() >> _S32).astype(np.uint32)
        for start in range(0, x_all.size, self._chunk_rows):
            x = x_all[start : start + self._chunk_rows, None]
            permuted = np.multiply(x, self._a)  # (rows, num_perm), wraps mod 2**32
            np.add(permuted, self._b, out=permuted)
            np.minimum(out, permuted.min(axis=0), out=out)
        if x_all.size:
            np.minimum(out, MAX_HASH - np.uint32(1), out=out)  # keep the empty sentinel unique
        return out


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
    Slices are hashed as little-endian uint32 so keys are machine-independent.

    >>> sig = MinHasher(num_perm=8).signature("東京都庁舎です")
    >>> keys = band_keys(sig, 2, 4)
    >>> len(keys), len(keys[0]), keys[1][:2]
    (2, 18, b'\\x00\\x01')
    """
    values = np.asarray(signature)
    if values.size and (values.min() < 0 or values.max() > MAX_HASH):
        raise ValueError("signature values must be 32-bit unsigned")
    sig = np.ascontiguousarray(values, dtype="<u4")
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
