"""Which subscription rules an article satisfies: pure functions, no storage, no Telegram."""

from __future__ import annotations

from typing import Protocol

from alerts.facts import ArticleFacts, country_of, covers

__all__ = ["ArticleFacts", "Rule", "country_of", "covers", "rule_matches"]


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
    """The product's matching rules: the only ones, used by instant alerts, digests and /latest alike.

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
