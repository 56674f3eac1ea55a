"""Find places named in a text: Russian through lemmas, English through folded tokens, Kazakh through stems."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from analysis.gazetteer import GENERIC_REGION_WORDS, Gazetteer, load_gazetteer
from analysis.lemmas import Token, fold_latin, is_cyrillic, lemma_keys, morph, tokens

# A bare region stem ("Almaty", "Чуйской") means the region only when a region word follows this closely,
# as in "Vologda and Almaty regions" or "между Чуйской и Ленинградской областями".
_STEM_WINDOW = 3
_MAX_TEXT_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in the text, with the character span of the words that name it."""

    code: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    code: str
    seq: tuple[frozenset[str], ...]
    is_stem: bool = False
    exact_surface: str | None = None  # abbreviations match case-sensitively
    needs_capital: bool = False


@lru_cache(maxsize=50_000)
def _alias_keys(word: str) -> frozenset[str]:
    """Narrow forms of a name's word: its own spelling and lemmas (no guessed stems)."""
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        return frozenset({fold_latin(low)})
    parses = [p for p in morph().parse(low) if not any(t in p.tag for t in ("Name", "Surn", "Patr"))]
    # Names are written in the nominative: other readings ("Ростов" as plural of "рост") would over-match.
    nominative = [p for p in parses if "nomn" in p.tag] or parses
    return frozenset({low} | {str(p.normal_form).replace("ё", "е") for p in nominative})


class MentionIndex:
    """Name patterns of all places, indexed by the forms their first word can take."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._by_key: dict[str, list[_Pattern]] = {}
        self._by_surface: dict[str, list[_Pattern]] = {}
        seen: set[tuple[str, tuple[frozenset[str], ...], bool]] = set()
        for place in gazetteer.places():
            names = gazetteer.names_of(place.code)
            for values in names.by_lang.values():
                for alias in values:
                    words = [t.text for t in tokens(alias)]
                    if not words:
                        continue
                    seq = tuple(_alias_keys(w) for w in words)
                    capital = alias.lower() in names.ambiguous
                    self._add(_Pattern(place.code, seq, needs_capital=capital), seen)
                    if len(seq) >= 2 and seq[-1] & GENERIC_REGION_WORDS and not seq[0] & GENERIC_REGION_WORDS:
                        self._add(_Pattern(place.code, seq[:-1], is_stem=True), seen)
            for abbrev in names.abbrev:
                words = [t.text for t in tokens(abbrev)]
                if len(words) == 1:
                    pattern = _Pattern(place.code, (frozenset(),), exact_surface=words[0])
                    self._by_surface.setdefault(words[0], []).append(pattern)

    def _add(self, pattern: _Pattern, seen: set[tuple[str, tuple[frozenset[str], ...], bool]]) -> None:
        key = (pattern.code, pattern.seq, pattern.is_stem)
        if key in seen:
            return
        seen.add(key)
        for form in pattern.seq[0]:
            self._by_key.setdefault(form, []).append(pattern)

    def candidates(self, token: Token, keys: frozenset[str]) -> list[_Pattern]:
        """Patterns whose first word may be this token."""
        found: dict[int, _Pattern] = {}
        for key in keys:
            for p in self._by_key.get(key, ()):
                found[id(p)] = p
        for p in self._by_surface.get(token.text, ()):
            found[id(p)] = p
        return list(found.values())


@cache
def default_index() -> MentionIndex:
    """The index over the bundled gazetteer, built once."""
    return MentionIndex(load_gazetteer())


def _pattern_length(pattern: _Pattern, toks: list[Token], keys: list[frozenset[str]], i: int) -> int:
    """How many tokens the pattern covers at position i, or 0 when it does not match."""
    if pattern.exact_surface is not None:
        return 1 if toks[i].text == pattern.exact_surface else 0
    n = len(pattern.seq)
    if i + n > len(toks):
        return 0
    if pattern.needs_capital and not toks[i].text[:1].isupper():
        return 0
    for offset, wanted in enumerate(pattern.seq):
        if not keys[i + offset] & wanted:
            return 0
    return n


def _region_word_follows(keys: list[frozenset[str]], after: int) -> bool:
    return any(keys[j] & GENERIC_REGION_WORDS for j in range(after, min(after + _STEM_WINDOW, len(keys))))


def find_mentions(text: str, index: MentionIndex | None = None) -> list[Mention]:
    """All place mentions in reading order; overlapping names resolve to the longest."""
    index = index or default_index()
    text = text[:_MAX_TEXT_CHARS]
    toks = tokens(text)
    keys = [lemma_keys(t.text) for t in toks]
    mentions: list[Mention] = []
    i = 0
    while i < len(toks):
        best: tuple[int, bool, _Pattern] | None = None
        for pattern in index.candidates(toks[i], keys[i]):
            length = _pattern_length(pattern, toks, keys, i)
            if not length:
                continue
            if pattern.is_stem and not _region_word_follows(keys, i + length):
                continue
            # Longest wins; at equal length a region stem followed by "область/region" beats a city name.
            rank = (length, pattern.is_stem)
            if best is None or rank > (best[0], best[1]):
                best = (length, pattern.is_stem, pattern)
        if best is None:
            i += 1
            continue
        length, _, pattern = best
        start, end = toks[i].start, toks[i + length - 1].end
        mentions.append(Mention(pattern.code, start, end, text[start:end]))
        i += length
    return mentions
