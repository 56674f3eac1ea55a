"""Story fingerprints: MinHash over word shingles, an in-memory near-duplicate index, title similarity."""

from __future__ import annotations

import hashlib

import numpy as np
from rapidfuzz import fuzz, process

from analysis.lemmas import tokens

NUM_PERM = 64
SEED = 20_251
_SHINGLE = 3
_MAX_WORDS = 3_000
_SAME_STORY_JACCARD = 0.5
# Bodies that overlap less still tell the same story when the titles are nearly the same.
_WEAK_JACCARD = 0.25
_WEAK_TITLE_SCORE = 75.0
_TITLE_ONLY_SCORE = 93.0
_TITLE_ONLY_MIN_CHARS = 30
_TITLE_ONLY_RECENT = 3_000
_EMPTY = (1 << 32) - 1


def _words(text: str) -> list[str]:
    return [t.text.lower().replace("ё", "е") for t in tokens(text)[:_MAX_WORDS]]


def _shingles(title: str, text: str) -> set[bytes]:
    words = _words(title) + _words(text)
    if len(words) < _SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


# MinHash, written here rather than taken from datasketch: importing datasketch loads SciPy, about
# 55 MB of resident memory for one small function (see the README's memory figures). The scheme is
# datasketch's "affine32", reproduced value for value so that signatures stored by earlier versions
# stay comparable; tests/analysis/test_fingerprint.py checks it against datasketch itself.
#   shingle -> first 4 bytes of its SHA-1 (little-endian) -> MurmurHash3 fmix32 pre-mix
#           -> 64 affine maps a*h + b mod 2^32 (a odd, so each map is a bijection) -> minimum per map


def _affine_maps(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)  # the legacy generator: its stream is what datasketch draws from
    half_a = rng.randint(0, 1 << 31, count, dtype=np.uint32)
    offset = rng.randint(0, 1 << 32, count, dtype=np.uint32)
    return half_a * np.uint32(2) + np.uint32(1), offset


_MULTIPLIERS, _OFFSETS = _affine_maps(NUM_PERM, SEED)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads structured 32-bit input over the whole range, bijectively."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(title: str, text: str) -> list[int]:
    """MinHash values of the article's 3-word shingles (deterministic across processes)."""
    shingles = _shingles(title, text)
    if not shingles:
        return [_EMPTY] * NUM_PERM
    hashes = np.fromiter(
        (int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in shingles),  # not for security
        dtype=np.uint32,
        count=len(shingles),
    )
    # uint32 arithmetic wraps around: that wrap is the "mod 2^32" of the affine maps
    permuted = _fmix32(hashes)[:, None] * _MULTIPLIERS + _OFFSETS
    return [int(v) for v in permuted.min(axis=0)]


def similarity(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if len(sig_a) != len(sig_b) or not sig_a:
        return 0.0
    return sum(1 for a, b in zip(sig_a, sig_b, strict=True) if a == b) / len(sig_a)


def _is_empty(sig: list[int]) -> bool:
    return not sig or all(v == _EMPTY for v in sig)


def title_similarity(a: str, b: str) -> float:
    """0..100 similarity of two titles, word order and small edits tolerated."""
    return float(fuzz.token_sort_ratio(a.lower(), b.lower()))


class StoryIndex:
    """Near-duplicate lookup over recent articles; rebuilt at start-up from stored signatures.

    Signatures sit in one uint32 matrix (256 bytes an article) and every query compares against
    all of them at once with numpy: for the tens of thousands of articles a two-week window holds
    that is a few milliseconds, exact rather than banded, and a fraction of the memory that
    per-article MinHash objects and LSH buckets need.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._sigs = np.empty((capacity, NUM_PERM), dtype=np.uint32)
        self._usable = np.zeros(capacity, dtype=bool)  # empty texts have no signature to compare
        self._keys = np.empty(capacity, dtype=np.int64)
        self._titles: list[str] = []  # lower-cased, for the title comparisons
        self._known: set[int] = set()

    def __len__(self) -> int:
        return len(self._titles)

    def _resize(self, size: int) -> None:
        self._sigs = np.resize(self._sigs, (size, NUM_PERM))
        self._usable = np.resize(self._usable, size)
        self._keys = np.resize(self._keys, size)

    def _grow(self) -> None:
        self._resize(max(1024, 2 * len(self._keys)))

    def compact(self, headroom: int = 1024) -> None:
        """Release the unused tail that doubling left behind (a quarter of the matrix, typically, after a load)."""
        self._resize(len(self._titles) + headroom)

    def add(self, key: int, sig: list[int], title: str) -> None:
        """Remember an article under its story key; a story is represented by its first article."""
        if key in self._known:
            return
        row = len(self._titles)
        if row == len(self._keys):
            self._grow()
        usable = len(sig) == NUM_PERM and not _is_empty(sig)
        if usable:
            self._sigs[row] = sig
        self._usable[row] = usable
        self._keys[row] = key
        self._titles.append(title.lower())
        self._known.add(key)

    def find(self, sig: list[int], title: str) -> int | None:
        """Key of a stored article telling the same story, or None."""
        n = len(self._titles)
        if n and len(sig) == NUM_PERM and not _is_empty(sig):
            query = np.asarray(sig, dtype=np.uint32)
            jaccard = (self._sigs[:n] == query).mean(axis=1)
            jaccard[~self._usable[:n]] = 0.0
            lowered = title.lower()
            candidates = np.flatnonzero(jaccard >= _WEAK_JACCARD)
            for row in candidates[np.argsort(-jaccard[candidates], kind="stable")]:
                score = float(jaccard[row])
                same_text = score >= _SAME_STORY_JACCARD
                if same_text or fuzz.token_sort_ratio(lowered, self._titles[row]) >= _WEAK_TITLE_SCORE:
                    return int(self._keys[row])
        if n and len(title.strip()) >= _TITLE_ONLY_MIN_CHARS:
            # titles alone only among the newest articles: re-reports of one event come within days
            first = max(0, n - _TITLE_ONLY_RECENT)
            found = process.extractOne(
                title.lower(), self._titles[first:], scorer=fuzz.token_sort_ratio, score_cutoff=_TITLE_ONLY_SCORE
            )
            if found is not None:
                return int(self._keys[first + found[2]])
        return None
