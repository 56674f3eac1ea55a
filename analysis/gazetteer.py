"""The place gazetteer: regions and countries with names and aliases, loaded from bundled JSON files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from analysis.lemmas import lemma_keys, tokens

GAZETTEER_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
LANGS = ("ru", "en", "kk")
# Trailing words that make a name a first-level unit; the words before them are the region's stem.
_GENERIC_REGION_WORDS_TEXT = """
область край region regions oblast oblasts province облыс облысы облыстар облыстары өлке өлкесі
вилоят viloyati viloyat велаят velayat
областной облисполком краевой regional
"""
GENERIC_REGION_WORDS = frozenset(_GENERIC_REGION_WORDS_TEXT.split())
_FUZZY_MIN_SCORE = 86


@dataclass(frozen=True)
class Place:
    """A region, federal city or country."""

    code: str
    country: str
    type: str
    district: str | None
    names: dict[str, str] = field(hash=False, compare=False)
    flag: str = ""
    within: str | None = None  # the region a city of its own status lies in (Bishkek in Chüy)

    def name(self, lang: str = "ru") -> str:
        """Display name in the language, falling back to Russian."""
        return self.names.get(lang) or self.names.get("ru") or self.code

    @property
    def is_country(self) -> bool:
        """True for a country-level entry."""
        return self.type == "country"


@dataclass(frozen=True)
class PlaceNames:
    """Everything a place can be written as: names and aliases per language, abbreviations, ambiguous words."""

    by_lang: dict[str, list[str]]
    abbrev: list[str]
    ambiguous: frozenset[str]


def _key_seq(text: str) -> list[frozenset[str]]:
    return [lemma_keys(t.text) for t in tokens(text)]


def _seq_matches(query: list[frozenset[str]], name: list[frozenset[str]]) -> bool:
    return len(query) == len(name) and all(q & n for q, n in zip(query, name, strict=True))


class Gazetteer:
    """Lookup over places by code, country and free-text name."""

    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        self._places: dict[str, Place] = {}
        self._names: dict[str, PlaceNames] = {}
        for entry in entries:
            self._add(entry)
        self._regions_by_country: dict[str, list[Place]] = {}
        for place in self._places.values():
            if not place.is_country:
                self._regions_by_country.setdefault(place.country, []).append(place)
        for regions in self._regions_by_country.values():
            regions.sort(key=lambda p: p.name("ru"))
        self._choices: dict[str, str] | None = None
        self._resolve_index: (
            list[tuple[str, set[str], list[list[frozenset[str]]], list[list[frozenset[str]]]]] | None
        ) = None

    def _add(self, entry: dict[str, Any]) -> None:
        code = str(entry["code"])
        names = {k: str(v) for k, v in (entry.get("name") or {}).items() if v}
        place = Place(
            code=code,
            country=str(entry.get("country") or code.split("-")[0]),
            type=str(entry.get("type") or ("country" if "-" not in code else "region")),
            district=entry.get("district"),
            names=names,
            flag=str(entry.get("flag") or ""),
            within=entry.get("within"),
        )
        by_lang: dict[str, list[str]] = {}
        aliases = entry.get("aliases") or {}
        for lang in sorted(set(names) | set(aliases)):
            values = [names[lang]] if lang in names else []
            values += [str(a) for a in aliases.get(lang, []) if a]
            by_lang[lang] = list(dict.fromkeys(values))
        self._places[code] = place
        self._names[code] = PlaceNames(
            by_lang=by_lang,
            abbrev=[str(a) for a in entry.get("abbrev") or []],
            ambiguous=frozenset(str(a).lower() for a in entry.get("ambiguous") or []),
        )

    def get(self, code: str) -> Place | None:
        """The place with this code, or None."""
        return self._places.get(code)

    def places(self) -> list[Place]:
        """All places."""
        return list(self._places.values())

    def names_of(self, code: str) -> PlaceNames:
        """Names, aliases, abbreviations of a place (for the mention index)."""
        return self._names[code]

    def countries(self) -> list[Place]:
        """Country-level entries sorted by Russian name."""
        return sorted((p for p in self._places.values() if p.is_country), key=lambda p: p.name("ru"))

    def regions_of(self, country_code: str) -> list[Place]:
        """First-level regions and federal cities of a country, sorted by Russian name."""
        return list(self._regions_by_country.get(country_code, []))

    def covers(self, code_a: str, code_b: str) -> bool:
        """True when place A includes place B (same place, or A is B's country)."""
        if code_a == code_b:
            return True
        a, b = self._places.get(code_a), self._places.get(code_b)
        return a is not None and b is not None and a.is_country and b.country == a.code

    def _all_names(self, code: str) -> Iterator[str]:
        for values in self._names[code].by_lang.values():
            yield from values

    def _name_index(self) -> list[tuple[str, set[str], list[list[frozenset[str]]], list[list[frozenset[str]]]]]:
        """Per place: lowercase names, their key sequences, and the key sequences of their region stems."""
        if self._resolve_index is None:
            self._resolve_index = []
            for code in self._places:
                names = list(self._all_names(code))
                seqs = [_key_seq(n) for n in names]
                stems = [q[:-1] for q in seqs if len(q) >= 2 and q[-1] & GENERIC_REGION_WORDS]
                lows = {n.lower().replace("ё", "е") for n in names}
                self._resolve_index.append((code, lows, seqs, stems))
        return self._resolve_index

    def resolve(self, text: str) -> list[Place]:
        """All places the user may mean by the text; an exact name match first, then alias/stem/fuzzy ones."""
        query = " ".join(text.split()).strip()
        if not query:
            return []
        low = query.lower().replace("ё", "е")
        qseq = _key_seq(query)
        if not qseq:
            return []
        exact: list[str] = []
        inflected: list[str] = []
        by_stem: list[str] = []
        for code, lows, seqs, stems in self._name_index():
            if low in lows or query in self._names[code].abbrev:
                exact.append(code)
            elif any(_seq_matches(qseq, q) for q in seqs):
                inflected.append(code)
            elif any(_seq_matches(qseq, q) for q in stems):
                by_stem.append(code)
        found = list(dict.fromkeys(exact + inflected + by_stem))
        if not found:
            found = self._fuzzy(low)
        return [self._places[c] for c in found]

    def _fuzzy(self, low: str) -> list[str]:
        if self._choices is None:
            self._choices = {}
            for code in self._places:
                for n in self._all_names(code):
                    self._choices.setdefault(n.lower().replace("ё", "е"), code)
        hits = process.extract(low, list(self._choices), scorer=fuzz.WRatio, limit=5, score_cutoff=_FUZZY_MIN_SCORE)
        return list(dict.fromkeys(self._choices[h[0]] for h in hits))


def _read_entries(directory: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("places") or data.get("entries") or []
        yield from (e for e in data if isinstance(e, dict) and e.get("code"))


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded once per process."""
    return Gazetteer(_read_entries(GAZETTEER_DIR))
