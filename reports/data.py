"""From report rows to what the chart and the counts sheet show: buckets, series, totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from alerts.rules import country_of, covers
from reports.labels import OTHER
from reports.period import Period
from reports.scope import Scope
from storage.repositories.reports import ReportRow

TOP_SERIES = 6  # more colours than this cannot be told apart on a phone


@dataclass(frozen=True)
class Series:
    key: str  # a place code, a topic id, or OTHER
    counts: tuple[int, ...]  # one per bucket


@dataclass(frozen=True)
class ReportData:
    period: Period
    scope: Scope
    rows: Sequence[ReportRow]
    buckets: tuple[date, ...]  # the first day of each bucket
    bucket_days: int  # 1 (daily), 7 (weekly) or 0 (calendar months)
    by_partner: tuple[Series, ...]
    by_topic: tuple[Series, ...]
    partner_totals: tuple[tuple[str, int], ...]  # every partner, most items first
    topic_totals: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return len(self.rows)


def _relevant(pair: tuple[str, str], scope: Scope) -> bool:
    """The pair is about the scope (an item may also name other pairs: those belong to other reports)."""
    ru, partner = pair
    if scope.kind in ("region", "country"):
        return covers(scope.code, ru) or covers(scope.code, partner)
    if scope.kind == "pair":
        a, b = scope.code, scope.partner
        return (covers(a, ru) and covers(b, partner)) or (covers(b, ru) and covers(a, partner))
    return True


def counterparts(row: ReportRow, scope: Scope) -> set[str]:
    """Who the item's cooperation is with, seen from the scope.

    A country on the partner side (KZ) is seen by its Russian counterparts' regions; anything else by
    the partner's country, so a Vologda report groups by KZ, KG, BY… and a Kazakhstan report by region.
    """
    pairs = [pair for pair in row.parties if _relevant(pair, scope)] or list(row.parties)
    seen: set[str] = set()
    for ru, partner in pairs:
        if scope.kind == "country" and covers(scope.code, partner) and not covers(scope.code, ru):
            seen.add(ru)
        else:
            seen.add(country_of(partner))
    return seen


def _buckets(period: Period) -> tuple[tuple[date, ...], int]:
    if period.days <= 31:
        return tuple(period.first + timedelta(days=i) for i in range(period.days)), 1
    if period.days <= 140:
        start = period.first - timedelta(days=period.first.weekday())
        return tuple(start + timedelta(days=7 * i) for i in range((period.last - start).days // 7 + 1)), 7
    months: list[date] = []
    month = period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return tuple(months), 0


def _bucket_of(day: date, first: date, bucket_days: int) -> date:
    if bucket_days == 1:
        return day
    if bucket_days == 7:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _series(
    per_bucket: dict[date, Counter[str]], buckets: tuple[date, ...], totals: Counter[str]
) -> tuple[Series, ...]:
    top = [key for key, _ in totals.most_common(TOP_SERIES)]
    rest = [key for key in totals if key not in top]
    series = [Series(key, tuple(per_bucket[b][key] for b in buckets)) for key in top]
    if rest:
        series.append(Series(OTHER, tuple(sum(per_bucket[b][k] for k in rest) for b in buckets)))
    return tuple(series)


def report_data(rows: Sequence[ReportRow], period: Period, scope: Scope) -> ReportData:
    """Count each item once per partner it names and once per topic, in local-day buckets."""
    zone = ZoneInfo(period.tz)
    buckets, bucket_days = _buckets(period)
    partners: dict[date, Counter[str]] = {b: Counter() for b in buckets}
    topics: dict[date, Counter[str]] = {b: Counter() for b in buckets}
    partner_totals: Counter[str] = Counter()
    topic_totals: Counter[str] = Counter()
    # Items name the same few pairs over and over: work out who each distinct set of pairs is with once.
    seen_from_scope: dict[tuple[tuple[str, str], ...], set[str]] = {}
    for row in rows:
        bucket = _bucket_of(row.moment.astimezone(zone).date(), period.first, bucket_days)
        if bucket not in partners:  # an item exactly on a boundary in another zone: keep it in range
            bucket = buckets[0] if bucket < buckets[0] else buckets[-1]
        keys = seen_from_scope.get(row.parties)
        if keys is None:
            keys = seen_from_scope[row.parties] = counterparts(row, scope)
        for key in keys:
            partners[bucket][key] += 1
            partner_totals[key] += 1
        for topic in dict.fromkeys(row.topics):
            topics[bucket][topic] += 1
            topic_totals[topic] += 1
    return ReportData(
        period,
        scope,
        rows,
        buckets,
        bucket_days,
        _series(partners, buckets, partner_totals),
        _series(topics, buckets, topic_totals),
        tuple(partner_totals.most_common()),
        tuple(topic_totals.most_common()),
    )
