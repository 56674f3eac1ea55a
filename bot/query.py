"""Reading what users type: strict place names, topic words, `since:` dates, quoted keywords."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from analysis.gazetteer import GENERIC_REGION_WORDS, Gazetteer, Place, load_gazetteer
from analysis.lemmas import lemma, lemma_keys, tokens
from analysis.topics import TOPIC_IDS, resolve_topic, topic_name
from bot.since import SINCE, read_since
from storage.clock import utcnow

MAX_QUERY_CHARS = 300
MAX_NGRAM = 4
_QUOTED = re.compile(r'^\s*["«“„](.+?)["»”“]\s*$', re.DOTALL)
# Query words that name a topic on their own; longer words stay text ("лесопромышленном" is searched as a word).
_TOPIC_WORDS = {
    "лес": "forestry",
    "forest": "forestry",
    "forestry": "forestry",
    "timber": "forestry",
    "апк": "agriculture",
    "агро": "agriculture",
    "сельхоз": "agriculture",
}

KeySeq = tuple[frozenset[str], ...]


def _key_seq(text: str) -> KeySeq:
    return tuple(lemma_keys(tok.text) for tok in tokens(text))


def _seq_matches(query: KeySeq, name: KeySeq) -> bool:
    return len(query) == len(name) and all(q & n for q, n in zip(query, name, strict=True))


class PlaceIndex:
    """Exact (any case form, any language) place-name lookup; no fuzzy guessing, so ordinary words stay words."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._by_first: dict[str, list[tuple[str, KeySeq]]] = {}
        for place in gazetteer.places():
            names = gazetteer.names_of(place.code)
            for values in names.by_lang.values():
                for name in values:
                    self._add(place.code, _key_seq(name))
                    seq = _key_seq(name)
                    if len(seq) >= 2 and seq[-1] & GENERIC_REGION_WORDS:
                        self._add(place.code, seq[:-1])  # "Вологодская" alone names the oblast
            for abbrev in names.abbrev:
                self._add(place.code, (frozenset({abbrev.lower()}),))

    def _add(self, code: str, seq: KeySeq) -> None:
        if seq:
            for key in seq[0]:
                self._by_first.setdefault(key, []).append((code, seq))

    def lookup(self, text: str) -> list[Place]:
        """Places whose name is exactly `text` in some case form."""
        return self._match(_key_seq(text))

    def _match(self, seq: KeySeq) -> list[Place]:
        if not seq:
            return []
        codes: list[str] = []
        for key in seq[0]:
            for code, name in self._by_first.get(key, []):
                if code not in codes and _seq_matches(seq, name):
                    codes.append(code)
        return [p for c in codes if (p := self.gazetteer.get(c)) is not None]

    def scan(self, words: Sequence[str]) -> tuple[list[list[Place]], list[str]]:
        """Split words into place mentions (longest names first) and the words left over."""
        seqs = [_key_seq(w) for w in words]
        found: list[list[Place]] = []
        rest: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(MAX_NGRAM, len(words) - i), 0, -1):
                span = tuple(k for s in seqs[i : i + size] for k in s)
                places = self._match(span) if all(seqs[i : i + size]) else []
                if places:
                    found.append(places)
                    i += size
                    break
            else:
                rest.append(words[i])
                i += 1
        return found, rest


@cache
def place_index() -> PlaceIndex:
    """The process-wide strict place index."""
    return PlaceIndex(load_gazetteer())


def exact_topic(text: str) -> str | None:
    """A topic named outright: its id, its ru/en name, or a short topic word ("лес")."""
    low = " ".join(text.lower().replace("ё", "е").split())
    if low in TOPIC_IDS:
        return low
    for tid in TOPIC_IDS:
        if low in (topic_name(tid, "ru").lower().replace("ё", "е"), topic_name(tid, "en").lower()):
            return tid
    words = low.split()
    return _TOPIC_WORDS.get(lemma(words[0])) if len(words) == 1 else None


@dataclass
class SearchQuery:
    """A /search query taken apart."""

    text: str
    regions: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    since: datetime | None = None
    not_understood: list[str] = field(default_factory=list)  # parts we could not read; the rest still runs


def parse_search(raw: str, now: datetime | None = None) -> SearchQuery:
    """Regions and topics named in the query become filters; `since:` a date; the rest is text.

    The one parser of search text: the bot's /search and the CLI's `coopnews search` both use it.
    """
    query = SearchQuery(text="")
    for match in SINCE.finditer(raw):
        moment = read_since(match.group(1), now or utcnow())
        if moment is None:
            query.not_understood.append(match.group(0))
        else:
            query.since = moment if query.since is None else max(query.since, moment)
    raw = SINCE.sub(" ", raw)
    words = raw.split()
    mentions, rest = place_index().scan(words)
    for places in mentions:
        # An ambiguous name (Алматы) filters by the first reading; both are in the same country anyway.
        code = places[0].code
        if code not in query.regions:
            query.regions.append(code)
    text_words: list[str] = []
    for word in rest:
        topic = exact_topic(word)
        if topic and topic not in query.topics:
            query.topics.append(topic)
        elif not topic:
            text_words.append(word)
    query.text = " ".join(text_words)
    return query


@dataclass(frozen=True)
class SubscribeTarget:
    """What `/subscribe TEXT` means: places (several = ask), a topic, or a keyword."""

    places: list[Place]
    topic: str | None
    keyword: str | None
    place_topic: str | None = None


def quoted_keyword(text: str) -> str | None:
    """The keyword inside quotes, if the whole text is quoted."""
    match = _QUOTED.match(text)
    return match.group(1).strip() if match else None


def parse_subscribe(text: str) -> SubscribeTarget:
    """Resolve `/subscribe` text: quoted → keyword; exact place; topic; place + topic; fuzzy place; keyword."""
    quoted = quoted_keyword(text)
    if quoted is not None:
        return SubscribeTarget([], None, quoted)
    index = place_index()
    places = index.lookup(text)
    if places:
        return SubscribeTarget(places, None, None)
    topic = exact_topic(text) or resolve_topic(text)
    mentions, rest = index.scan(text.split())
    if len(mentions) == 1 and rest:
        rest_topic = exact_topic(" ".join(rest)) or resolve_topic(" ".join(rest))
        if rest_topic:
            return SubscribeTarget(mentions[0], None, None, place_topic=rest_topic)
    if topic:
        return SubscribeTarget([], topic, None)
    guessed = index.gazetteer.resolve(text) if len(text.split()) <= MAX_NGRAM else []
    if guessed and len(guessed) <= 3:
        return SubscribeTarget(guessed, None, text.strip())
    return SubscribeTarget([], None, text.strip())
