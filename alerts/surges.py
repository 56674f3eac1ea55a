"""Surges: a day on which news about one partner is far above its own recent level. Pure functions.

For each partner country ("KZ") and each region pair ("RU-VLG|KZ-75") we count a day's cooperation
items and compare the count with the trailing 28 days. The test is a Poisson upper tail: with the
usual level λ (the trailing mean, floored so a partner with no history is not infinitely surprising),
a count k is a surge when P(X ≥ k | λ) < 0.001, k ≥ MIN_COUNT (a quiet partner's second item is no
surge) and k ≥ 3 λ (a busy partner's normal wobble is no surge either).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from alerts.rules import Rule, country_of, covers
from storage.repositories.reports import PartyDay

HISTORY_DAYS = 28
MIN_COUNT = 5
MIN_RATIO = 3.0
P_VALUE = 0.001
LEVEL_FLOOR = 0.25  # items a day assumed for a partner with no history


@dataclass(frozen=True)
class Surge:
    key: str  # "KZ" or "RU-VLG|KZ-75"
    day: date
    count: int
    usual: float  # mean items a day over the trailing HISTORY_DAYS
    series: tuple[int, ...]  # the HISTORY_DAYS days before, then the day itself
    article_ids: tuple[int, ...]  # the day's items, newest first

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.key.split("|"))


def pair_key(ru: str, partner: str) -> str:
    return f"{ru}|{partner}"


def poisson_tail(k: int, level: float) -> float:
    """P(X ≥ k) for X ~ Poisson(level), summed in log space so large k stay finite."""
    if k <= 0:
        return 1.0
    below = sum(math.exp(i * math.log(level) - level - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def is_surge(count: int, history: Sequence[int]) -> bool:
    level = max(sum(history) / max(1, len(history)), LEVEL_FLOOR)
    return count >= MIN_COUNT and count >= MIN_RATIO * level and poisson_tail(count, level) < P_VALUE


def daily_counts(rows: Iterable[PartyDay], tz: str) -> dict[str, dict[date, dict[int, datetime]]]:
    """Items (id → time) per key and local day; an item counts once per key however many of its pairs share it."""
    zone = ZoneInfo(tz)
    found: defaultdict[str, defaultdict[date, dict[int, datetime]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        day = row.moment.astimezone(zone).date()
        keys = [country_of(row.partner_code)]
        if "-" in row.ru_code and "-" in row.partner_code:  # a region pair, not a country-level mention
            keys.append(pair_key(row.ru_code, row.partner_code))
        for key in keys:
            found[key][day][row.article_id] = row.moment
    return {key: dict(days) for key, days in found.items()}


def find_surges(rows: Iterable[PartyDay], day: date, tz: str) -> list[Surge]:
    """The keys whose count on `day` is a surge against the HISTORY_DAYS before it."""
    surges = []
    for key, days in daily_counts(rows, tz).items():
        items = days.get(day, {})
        history = [len(days.get(day - timedelta(days=n), ())) for n in range(HISTORY_DAYS, 0, -1)]
        if is_surge(len(items), history):
            usual = sum(history) / HISTORY_DAYS
            newest_first = tuple(sorted(items, key=lambda i: (items[i], i), reverse=True))
            surges.append(Surge(key, day, len(items), usual, (*history, len(items)), newest_first))
    return sorted(surges, key=lambda s: (-s.count, s.key))


def follows(rules: Iterable[Rule], surge_key: str) -> bool:
    """A region or pair subscription covers the partner (a country covers its regions) or the pair."""
    codes = surge_key.split("|")
    for rule in rules:
        if rule.kind == "region" and rule.region and any(covers(rule.region, code) for code in codes):
            return True
        if rule.kind == "pair" and rule.region and rule.partner:
            if len(codes) == 1 and (covers(codes[0], rule.partner) or covers(rule.partner, codes[0])):
                return True
            if len(codes) == 2 and (
                (covers(rule.region, codes[0]) and covers(rule.partner, codes[1]))
                or (covers(rule.region, codes[1]) and covers(rule.partner, codes[0]))
            ):
                return True
    return False


def partner_country(surge_key: str) -> str:
    return country_of(surge_key.split("|")[-1])


class Counted(Protocol):
    """A surge as found now (Surge) or as recorded earlier (the storage row): its key and count."""

    @property
    def key(self) -> str: ...
    @property
    def count(self) -> int: ...


C = TypeVar("C", bound=Counted)


def one_per_partner(surges: Iterable[C], rules: Sequence[Rule], already: Iterable[str] = ()) -> list[C]:
    """The surges one reader hears of: those they follow, one per partner country (the country's own
    before its pairs, then the biggest); `already` are keys whose partners the reader was told of before."""
    told = {partner_country(key) for key in already if follows(rules, key)}
    chosen: dict[str, C] = {}
    for surge in sorted(surges, key=lambda s: (s.key.count("|"), -s.count, s.key)):  # countries before pairs
        country = partner_country(surge.key)
        if country not in told and country not in chosen and follows(rules, surge.key):
            chosen[country] = surge
    return list(chosen.values())


def for_reader(surges: Sequence[Surge], rules: Sequence[Rule], already: Iterable[str] = ()) -> list[Surge]:
    """The surges one reader gets messages for: one per partner country a day; `already` are the day's
    surge keys found by earlier runs, whose partners were told then."""
    return one_per_partner(surges, rules, already)
