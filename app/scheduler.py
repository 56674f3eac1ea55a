"""APScheduler wiring: one polling job per source with back-off, the digest minute, the lock heartbeat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.ingest import IngestReport
from bot.i18n import N_
from scrapers.health import next_interval
from scrapers.sources import SourceConfig
from storage.clock import utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")
PollFn = Callable[[SourceConfig], Awaitable[IngestReport]]


# First polls start at most this many per second. All due at once, 10,000 sources queued for two minutes
# behind the fetcher's connection and per-host limits, and the bunch came back every interval (the
# jitter spreads it over a minute at most): 60 % of first polls and 7 % of later ones ended over a
# minute late (bench/bench_poll_scale.py). 20/s is above the 17/s that 10,000 sources every 10 min need.
START_RATE = 20.0


def _interval_trigger(seconds: int) -> IntervalTrigger:
    # jitter spreads sources that share an interval, so hosts are not hit in lockstep
    return IntervalTrigger(seconds=seconds, jitter=max(1, min(60, seconds // 10)))


class PollScheduler:
    """Owns the AsyncIOScheduler; must be started inside the running event loop."""

    def __init__(self, poll: PollFn, min_interval: int) -> None:
        self.poll = poll
        self.min_interval = min_interval
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._current: dict[str, int] = {}
        self._configs: dict[str, SourceConfig] = {}  # what each poll job polls
        self._running: set[asyncio.Task[object]] = set()  # jobs in flight, awaited at shutdown

    def base_interval(self, source: SourceConfig) -> int:
        return max(source.interval, self.min_interval)

    def add_sources(self, sources: list[SourceConfig], first_run: datetime | None = None) -> None:
        """One job per source; their first runs spread from `first_run` (default now) at START_RATE a second."""
        start = first_run or utcnow()
        for k, source in enumerate(sources):
            self._configs[source.id] = source
            seconds = self.base_interval(source)
            self._current[source.id] = seconds
            self.scheduler.add_job(
                self._poll_job,
                _interval_trigger(seconds),
                args=[source],
                id=f"poll:{source.id}",
                name=f"poll {source.id}",
                coalesce=True,  # a backlog of missed runs collapses into one poll
                max_instances=1,  # never two polls of one source at once
                misfire_grace_time=max(30, seconds // 2),  # the 1 s default drops runs under load
                next_run_time=start + timedelta(seconds=min(k / START_RATE, seconds)),
                replace_existing=True,
            )

    def sync_sources(self, sources: list[SourceConfig]) -> None:
        """Make the poll jobs match `sources`: new or changed ones are (re)scheduled now, gone ones dropped."""
        wanted = {source.id: source for source in sources}
        for source_id in list(self._configs):
            if source_id not in wanted:
                self._configs.pop(source_id)
                self._current.pop(source_id, None)
                if self.scheduler.get_job(f"poll:{source_id}") is not None:
                    self.scheduler.remove_job(f"poll:{source_id}")
        self.add_sources([s for s in sources if self._configs.get(s.id) != s])

    def add_periodic(self, job_id: str, func: Callable[[], Awaitable[object]], *, every_minute: bool = False,
                     seconds: int = 60) -> None:
        trigger = CronTrigger(second=0, timezone="UTC") if every_minute else IntervalTrigger(seconds=seconds)

        async def tracked() -> None:
            await self._tracked(func())

        self.scheduler.add_job(
            tracked, trigger, id=job_id, name=job_id, coalesce=True, max_instances=1, misfire_grace_time=30,
            replace_existing=True,
        )

    async def _tracked(self, work: Awaitable[T]) -> T:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            return await work
        finally:
            if task is not None:
                self._running.discard(task)

    async def _poll_job(self, source: SourceConfig) -> None:
        try:
            report = await self._tracked(self.poll(source))
        except Exception:  # the scheduler would only log it; keep the job and count it as a failure
            log.exception(N_("poll of %s crashed"), source.id)
            return
        failures = report.consecutive_failures
        wanted = next_interval(self.base_interval(source), failures, self.min_interval)
        if wanted != self._current.get(source.id):
            self._current[source.id] = wanted
            self.scheduler.reschedule_job(f"poll:{source.id}", trigger=_interval_trigger(wanted))
            log.info(N_("source %s: polling every %s s (failures in a row: %s)"), source.id, wanted, failures)

    def interval_of(self, source_id: str) -> int | None:
        return self._current.get(source_id)

    def start(self) -> None:
        self.scheduler.start()

    async def shutdown(self, grace: float = 30.0) -> None:
        """Start no new jobs, let running ones finish (up to `grace` seconds), then stop the scheduler."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        if self._running:
            _, pending = await asyncio.wait(set(self._running), timeout=grace)
            for task in pending:
                log.warning(N_("job %s did not finish in %s s; cancelling it"), task.get_name(), grace)
                task.cancel()
        self.scheduler.shutdown(wait=False)
