"""Story fingerprints: MinHash over word shingles, an in-memory LSH index, and title similarity."""

from __future__ import annotations

from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz

from analysis.lemmas import tokens

NUM_PERM = 64
SEED = 20_251
SCHEME = "affine32"  # named explicitly so stored signatures stay comparable across datasketch versions
_SHINGLE = 3
_MAX_WORDS = 3_000
_LSH_THRESHOLD = 0.25  # generous candidate recall; candidates are then checked by estimated Jaccard
_SAME_STORY_JACCARD = 0.5
# Bodies that overlap less still tell the same story when the titles are nearly the same.
_WEAK_JACCARD = 0.25
_WEAK_TITLE_SCORE = 75.0
_TITLE_ONLY_SCORE = 93.0
_TITLE_ONLY_MIN_CHARS = 30
_EMPTY = (1 << 32) - 1


def _words(text: str) -> list[str]:
    return [t.text.lower().replace("ё", "е") for t in tokens(text)[:_MAX_WORDS]]


def _shingles(title: str, text: str) -> set[bytes]:
    words = _words(title) + _words(text)
    if len(words) < _SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


def _minhash(values: list[int] | None = None) -> MinHash:
    if values is None:
        return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def signature(title: str, text: str) -> list[int]:
    """MinHash values of the article's 3-word shingles (deterministic across processes)."""
    mh = _minhash()
    shingles = _shingles(title, text)
    if shingles:
        mh.update_batch(list(shingles))
    return [int(v) for v in mh.hashvalues]


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
    """Near-duplicate lookup over stored articles; rebuild at start-up by adding stored signatures."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[int, list[int]] = {}
        self._titles: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: int, sig: list[int], title: str) -> None:
        """Remember an article (its story key) for later lookups."""
        if key in self._sigs:
            return
        self._sigs[key] = list(sig)
        self._titles[key] = title
        if not _is_empty(sig) and len(sig) == NUM_PERM:
            self._lsh.insert(key, LeanMinHash(_minhash(sig)))

    def find(self, sig: list[int], title: str) -> int | None:
        """Key of a stored article telling the same story, or None."""
        best: tuple[float, int] | None = None
        if not _is_empty(sig) and len(sig) == NUM_PERM:
            for key in self._lsh.query(LeanMinHash(_minhash(sig))):
                jaccard = similarity(sig, self._sigs[key])
                same = jaccard >= _SAME_STORY_JACCARD or (
                    jaccard >= _WEAK_JACCARD and title_similarity(title, self._titles[key]) >= _WEAK_TITLE_SCORE
                )
                if same and (best is None or jaccard > best[0]):
                    best = (jaccard, key)
        if best is not None:
            return best[1]
        if len(title.strip()) >= _TITLE_ONLY_MIN_CHARS:
            for key, other in self._titles.items():
                if title_similarity(title, other) >= _TITLE_ONLY_SCORE:
                    return key
        return None
