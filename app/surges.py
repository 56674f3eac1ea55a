"""Surge job (hourly): find today's surges, record each once, and owe each opted-in follower one message
per partner a day. The message waits out the reader's quiet hours like an instant alert."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from alerts.quiet import quiet_until, zone
from alerts.surges import HISTORY_DAYS, Surge, find_surges, for_reader
from storage import Database
from storage.clock import utcnow

log = logging.getLogger(__name__)
TOP_ITEMS = 3


def surge_payload(surge: Surge, titles: dict[int, tuple[str, str]]) -> str:
    """What the sender words at send time: numbers and the top items' titles and links, no language."""
    top = [titles[i] for i in surge.article_ids if i in titles][:TOP_ITEMS]
    return json.dumps(
        {"type": "surge", "key": surge.key, "day": surge.day.isoformat(), "count": surge.count,
         "usual": round(surge.usual, 2), "series": list(surge.series), "items": top},
        ensure_ascii=False,
    )


class SurgeService:
    def __init__(self, db: Database, tz: str, wake: Callable[[], None] | None = None) -> None:
        self.db, self.tz, self._wake = db, tz, wake

    async def run(self, now: datetime | None = None) -> int:
        """Detect and enqueue; returns how many messages were owed."""
        now = now or utcnow()
        local = now.astimezone(zone(self.tz))
        day = local.date()
        start = datetime.combine(day - timedelta(days=HISTORY_DAYS), datetime.min.time(), tzinfo=zone(self.tz))
        async with self.db.read() as uow:
            rows = await uow.reports.party_days(start, now + timedelta(seconds=1))
        surges = find_surges(rows, day, self.tz)
        if not surges:
            return 0
        owed = 0
        async with self.db.write() as uow:
            earlier = await uow.surges.keys_of_day(day)
            fresh = [s for s in surges if s.key not in earlier]
            if not fresh:
                return 0
            for surge in fresh:
                await uow.surges.record(surge.key, surge.day, surge.count, surge.usual, now)
            ids = {i for s in fresh for i in s.article_ids[: TOP_ITEMS * 3]}
            titles = {a.id: (a.title, a.url) for a in await uow.articles.get_many(sorted(ids))}
            for user, rules in await uow.surges.readers():
                for surge in for_reader(fresh, rules, already=earlier):
                    hold = quiet_until(now, user.timezone, user.quiet_start, user.quiet_end)
                    uow.surges.enqueue(user.id, surge_payload(surge, titles), hold)
                    owed += 1
            await uow.commit()
        log.info("surges on %s: %s (%s messages owed)", day, ", ".join(s.key for s in fresh), owed)
        if owed and self._wake is not None:
            self._wake()
        return owed
