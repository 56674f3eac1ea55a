"""One report from start to end: rows from storage, filtered to the scope, drawn in the CPU pool."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alerts.rules import ArticleFacts, rule_matches
from reports.chart import render_png
from reports.data import ReportData, report_data
from reports.labels import Translate
from reports.period import Period
from reports.scope import Scope
from reports.sheet import render_xlsx
from scrapers.cpu import run_cpu_bound
from storage import Database
from storage.models import Subscription
from storage.repositories.reports import ReportRow
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ReportFiles:
    data: ReportData
    png: bytes | None  # None when the period has no items: "nothing in this period", not an empty file
    xlsx: bytes | None

    @property
    def empty(self) -> bool:
        return self.data.total == 0

    def file_stem(self) -> str:
        scope = self.data.scope.wire().replace(".", "_")
        return f"coopnews_{scope}_{self.data.period.code()}"


def _within_subscriptions(rows: Sequence[ReportRow], subscriptions: Sequence[Subscription]) -> list[ReportRow]:
    """The items the user's place and topic subscriptions would have alerted them to (the one rule of alerts).

    Keyword subscriptions are left out: a report is about cooperation, and their words fire on any news.
    """
    rules = [s for s in subscriptions if s.kind != "keyword"]
    kept = []
    for row in rows:
        facts = ArticleFacts.build(
            article_id=row.article_id, source_id="", is_cooperation=True, parties=row.parties, topics=row.topics
        )
        if any(rule_matches(rule, facts) for rule in rules):
            kept.append(row)
    return kept


async def report_rows(uow: UnitOfWork, scope: Scope, period: Period) -> list[ReportRow]:
    start, end = period.bounds()
    if scope.kind == "pair":
        return await uow.reports.cooperation_items(start, end, pairs=[(scope.code, scope.partner)])
    if scope.kind in ("region", "country"):
        return await uow.reports.cooperation_items(start, end, places=[scope.code])
    subscriptions = [s for s in await uow.subscriptions.for_user(scope.user_id) if s.kind != "keyword"]
    if not subscriptions:
        return []
    places = {code for s in subscriptions for code in (s.region, s.partner) if code}
    topics = {s.topic for s in subscriptions if s.kind == "topic" and s.topic}
    rows = await uow.reports.cooperation_items(start, end, places=sorted(places), topics=sorted(topics))
    return _within_subscriptions(rows, subscriptions)


def build_files(rows: Sequence[ReportRow], period: Period, scope: Scope, lang: str, t: Translate,
                *, png: bool = True, xlsx: bool = True) -> ReportFiles:
    """The counts, the chart and the spreadsheet (CPU work: call it through the CPU pool)."""
    data = report_data(rows, period, scope)
    if data.total == 0:
        return ReportFiles(data, None, None)
    return ReportFiles(
        data, render_png(data, lang, t) if png else None, render_xlsx(data, lang, t) if xlsx else None
    )


async def make_report(db: Database, scope: Scope, period: Period, lang: str, t: Translate,
                      *, png: bool = True, xlsx: bool = True) -> ReportFiles:
    """Read the rows, then count, draw and write off the event loop, in one pool call.

    Not the chart and the sheet side by side in two pool threads: both are mostly Python holding the
    GIL, and handing it back and forth made the pair slower than one after the other (measured on the
    2-core machine, bench/bench_report.py).
    """
    async with db.read() as uow:
        rows = await report_rows(uow, scope, period)
    return await run_cpu_bound(build_files, rows, period, scope, lang, t, png=png, xlsx=xlsx)
