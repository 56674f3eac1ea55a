"""Which subscription rules an article satisfies: pure functions, no storage, no Telegram."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


def country_of(code: str) -> str:
    return code.split("-", 1)[0]


def covers(rule_code: str, place_code: str) -> bool:
    """A place rule covers itself, and a country rule covers that country's regions (KZ covers KZ-19)."""
    return rule_code == place_code or ("-" not in rule_code and country_of(place_code) == rule_code)


@dataclass(frozen=True)
class ArticleFacts:
    """What matching needs to know about one stored article."""

    article_id: int
    source_id: str
    story_id: int | None
    is_cooperation: bool
    parties: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    lemmas: tuple[str, ...] = ()
    _lemma_text: str = field(default="", repr=False)
    # False for the first article of a new story: nobody can have had it yet, skip that query
    story_has_earlier: bool = True

    @classmethod
    def build(
        cls,
        article_id: int,
        source_id: str,
        story_id: int | None,
        is_cooperation: bool,
        parties: Iterable[tuple[str, str]],
        topics: Iterable[str],
        lemma_text: str,
        story_has_earlier: bool = True,
    ) -> ArticleFacts:
        words = tuple(lemma_text.split())
        return cls(
            article_id, source_id, story_id, is_cooperation, tuple(parties), tuple(topics), words,
            f" {' '.join(words)} ",
            story_has_earlier,
        )

    def place_codes(self) -> set[str]:
        """Every code a place rule could be keyed on: each party and each party's country."""
        codes: set[str] = set()
        for pair in self.parties:
            for code in pair:
                codes.update((code, country_of(code)))
        return codes

    def words(self) -> set[str]:
        """The article's distinct lemmas: keyword rules are indexed by their first lemma."""
        return set(self.lemmas)

    def has_all(self, keyword: str) -> bool:
        """Every lemma of the keyword occurs in the article (the same AND as /search)."""
        words = keyword.split()
        return bool(words) and all(f" {w} " in self._lemma_text for w in words)


class Rule(Protocol):
    """A subscription as matching reads it (an ORM row or a light named tuple)."""

    @property
    def kind(self) -> str: ...
    @property
    def region(self) -> str | None: ...
    @property
    def partner(self) -> str | None: ...
    @property
    def topic(self) -> str | None: ...
    @property
    def keyword(self) -> str | None: ...


def rule_matches(rule: Rule, facts: ArticleFacts) -> bool:
    """The product's matching rules.

    Place and topic rules fire only on cooperation news (a region subscriber wants its region's
    dealings with partners, not its road repairs); a keyword rule is the user's explicit words and
    fires on any article containing all of them, in any form and order.
    """
    if rule.kind == "keyword":
        return bool(rule.keyword) and facts.has_all(rule.keyword or "")
    if not facts.is_cooperation:
        return False
    if rule.topic and rule.topic not in facts.topics:
        return False
    if rule.kind == "topic":
        return True
    if rule.kind == "region" and rule.region:
        return any(covers(rule.region, code) for pair in facts.parties for code in pair)
    if rule.kind == "pair" and rule.region and rule.partner:
        region, partner = rule.region, rule.partner
        return any(
            (covers(region, a) and covers(partner, b)) or (covers(region, b) and covers(partner, a))
            for a, b in facts.parties
        )
    return False
