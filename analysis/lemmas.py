"""Word tokens and cached lemmas (pymorphy3 for Russian, light normalisation for Latin and Kazakh)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pymorphy3

# Letters or digits; hyphens and apostrophes split words so "Alma-Ata" and "Alma Ata" tokenise alike.
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_PROPER_TAGS = ("Name", "Surn", "Patr")

# Kazakh case and possessive endings, longest first: names are matched by stem plus one of these.
_KAZAKH_ENDINGS_TEXT = """
ының інің ның нің дың дің тың тің ымен імен мен бен пен ында інде нда нде да де та те ға ге қа ке
на не ына іне ын ін ны ні ды ді ты ті дан ден тан тен нан нен ынан інен лық лік дық дік тық тік
а е н ы і ша ше сы сі дағы дегі тағы тегі ндағы ндегі сын сін сына сіне сында сінде сының сінің
"""
KAZAKH_ENDINGS: tuple[str, ...] = tuple(sorted(set(_KAZAKH_ENDINGS_TEXT.split()), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Token:
    """A word in a text with its character offsets."""

    text: str
    start: int
    end: int


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def tokens(text: str) -> list[Token]:
    """Split text into word tokens (letters/digits) with offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def fold_latin(word: str) -> str:
    """Lowercase and strip diacritics (Chüy → chuy) for Latin-script words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_cyrillic(word: str) -> bool:
    """True when the word contains Cyrillic (Russian or Kazakh) letters."""
    return _CYRILLIC_RE.search(word) is not None


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """One deterministic lemma: Russian via pymorphy3 (geographic parse preferred), Latin folded."""
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        return fold_latin(low)
    parses = morph().parse(low)
    if not parses:
        return low
    chosen = next((p for p in parses if "Geox" in p.tag), None)
    if chosen is None:
        chosen = next((p for p in parses if not any(t in p.tag for t in _PROPER_TAGS)), None)
    if chosen is None:
        return low  # a person's name: its surface form is the steadiest key
    return str(chosen.normal_form).replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma_keys(word: str) -> frozenset[str]:
    """Every form a word might be matched by: surface, all lemmas, Kazakh stems or English singular."""
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        folded = fold_latin(low)
        keys = {folded}
        if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
            keys.add(folded[:-1])
        return frozenset(keys)
    keys = {low, lemma(word)}
    if len(low) > 2:
        # Person-name parses are skipped: "Абаев" must not become the region "Абай".
        keys.update(
            str(p.normal_form).replace("ё", "е")
            for p in morph().parse(low)
            if not any(t in p.tag for t in _PROPER_TAGS)
        )
    keys.update(kazakh_stems(low))
    return frozenset(keys)


def kazakh_stems(word: str) -> set[str]:
    """Stems left after removing one known Kazakh ending (stem at least three letters)."""
    return {word[: -len(e)] for e in KAZAKH_ENDINGS if word.endswith(e) and len(word) - len(e) >= 3}


def lemmatize_text(text: str) -> str:
    """Space-joined lowercase lemmas of the word tokens (used for full-text indexing and queries)."""
    return " ".join(lemma(m.group()) for m in _WORD_RE.finditer(text))


def article_lemmas(title: str, main_text: str) -> str:
    """An article's lemmas as matching and the stored-article view both read them: title, then main text."""
    return lemmatize_text(f"{title}\n{main_text}")
