"""Source leases in use: several scrapers on one PostgreSQL poll each source in turn, never two at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from app.ingest import IngestReport
from bot.i18n import N_
from scrapers.sources import SourceConfig
from storage import Database

log = logging.getLogger(__name__)

# The lease while a poll runs: renewed every RENEW_EVERY, so a holder that dies mid-poll frees the
# source within POLL_LEASE; a live poll of any length keeps it.
POLL_LEASE = timedelta(seconds=90)
RENEW_EVERY = 30.0
# After a poll the lease is kept this share of the source's interval: the other scrapers' timers
# fire too, and must not poll again what was just polled. The holder may always take its own back.
COOL_DOWN_SHARE = 0.8

PollFn = Callable[[SourceConfig], Awaitable[IngestReport]]


class LeasedPolls:
    """Polls a source only while this process holds its lease (PostgreSQL, several scrapers)."""

    def __init__(self, db: Database, holder: str, poll: PollFn, interval_of: Callable[[SourceConfig], int]) -> None:
        self.db, self.holder, self._poll, self._interval_of = db, holder, poll, interval_of
        self.skipped = 0

    async def poll(self, source: SourceConfig) -> IngestReport:
        """Poll when the lease is ours; otherwise report what the source's holder last recorded."""
        async with self.db.write() as uow:
            taken = await uow.leases.take(source.id, self.holder, POLL_LEASE)
            await uow.commit()
        if not taken:
            self.skipped += 1
            return await self._skipped(source)
        renewing = asyncio.create_task(self._renew(source), name=f"lease {source.id}")
        try:
            report = await self._poll(source)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        cool_down = timedelta(seconds=self._interval_of(source) * COOL_DOWN_SHARE)
        async with self.db.write() as uow:
            await uow.leases.keep_for(source.id, self.holder, cool_down)
            await uow.commit()
        return report

    async def _renew(self, source: SourceConfig) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            try:
                async with self.db.write() as uow:
                    kept = await uow.leases.keep_for(source.id, self.holder, POLL_LEASE)
                    await uow.commit()
            except Exception as exc:  # the database hiccuped: the lease still runs POLL_LEASE from the last renewal
                log.warning(N_("could not renew the lease of %s: %s"), source.id, type(exc).__name__)
                continue
            if not kept:
                log.warning(N_("lease of %s was taken over while polling it"), source.id)
                return

    async def _skipped(self, source: SourceConfig) -> IngestReport:
        """Another scraper polls it: keep our schedule in step with its failures (the back-off is shared)."""
        async with self.db.read() as uow:
            row = await uow.sources.get(source.id)
        return IngestReport(source.id, consecutive_failures=row.consecutive_failures if row else 0)

    async def release(self) -> None:
        """Stop holding leases (a stopping scraper): the cool-downs stay, then anyone may poll."""
        async with self.db.write() as uow:
            await uow.leases.drop_holder(self.holder)
            await uow.commit()
