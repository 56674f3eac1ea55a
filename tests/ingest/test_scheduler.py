"""PollScheduler: one well-configured job per source, back-off on failure, reset on success."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from apscheduler.job import Job
from apscheduler.triggers.interval import IntervalTrigger

from app.ingest import Ingestor, IngestReport
from app.scheduler import PollScheduler
from sandbox.site_server import Fault, SiteServer
from scrapers.health import MAX_INTERVAL
from scrapers.sources import SourceConfig
from tests.ingest.conftest import source

MIN_INTERVAL = 60
NEWS = SourceConfig(id="news", name="News", url="http://127.0.0.1:9/news/", interval=600)
EAGER = SourceConfig(id="eager", name="Eager", url="http://127.0.0.1:9/eager/", interval=15)  # below the minimum
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


class ScriptedPoll:
    """Stands in for Ingestor.poll: answers with the failure counts it is given, in order."""

    def __init__(self, failures: Iterator[int] | None = None) -> None:
        self.failures = failures
        self.polled: list[str] = []
        self.all_polled = asyncio.Event()
        self.expected: set[str] = set()

    async def __call__(self, polled: SourceConfig) -> IngestReport:
        self.polled.append(polled.id)
        if self.expected and self.expected <= set(self.polled):
            self.all_polled.set()
        failures = next(self.failures) if self.failures is not None else 0
        return IngestReport(polled.id, failed=failures > 0, consecutive_failures=failures)


@pytest.fixture
async def make_scheduler() -> AsyncIterator[list[PollScheduler]]:
    """Schedulers built by a test; all shut down afterwards."""
    built: list[PollScheduler] = []
    yield built
    for scheduler in built:
        await scheduler.shutdown()


def _job(scheduler: PollScheduler, source_id: str) -> Job:
    job = scheduler.scheduler.get_job(f"poll:{source_id}")
    assert job is not None
    return job


def _seconds(job: Job) -> float:
    trigger = job.trigger
    assert isinstance(trigger, IntervalTrigger)
    return trigger.interval.total_seconds()


async def test_one_job_per_source_with_coalesce_single_instance_grace_and_jitter(
    make_scheduler: list[PollScheduler],
) -> None:
    scheduler = PollScheduler(ScriptedPoll(), MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources([NEWS, EAGER], first_run=FAR_FUTURE)
    scheduler.scheduler.start(paused=True)

    assert sorted(j.id for j in scheduler.scheduler.get_jobs()) == ["poll:eager", "poll:news"]
    for source_id, seconds in (("news", 600), ("eager", MIN_INTERVAL)):
        job = _job(scheduler, source_id)
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time is not None and job.misfire_grace_time > 1
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.jitter and job.trigger.jitter >= 1
        assert _seconds(job) == seconds and scheduler.interval_of(source_id) == seconds


async def test_interval_doubles_per_failure_up_to_a_day_and_resets_after_success(
    make_scheduler: list[PollScheduler],
) -> None:
    failures = iter([1, 2, 3, 40, 0])
    scheduler = PollScheduler(ScriptedPoll(failures), MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources([NEWS], first_run=FAR_FUTURE)
    scheduler.scheduler.start(paused=True)

    seen = []
    for _ in range(5):
        before = datetime.now(UTC)
        await scheduler._poll_job(NEWS)
        job = _job(scheduler, "news")
        seen.append((scheduler.interval_of("news"), _seconds(job)))
        # the next poll is one (backed-off) interval away, give or take the jitter
        assert job.next_run_time is not None
        wait = (job.next_run_time - before).total_seconds()
        assert abs(wait - _seconds(job)) <= job.trigger.jitter + 1
    assert seen == [(1200, 1200), (2400, 2400), (4800, 4800), (MAX_INTERVAL, MAX_INTERVAL), (600, 600)]


async def test_a_crashing_poll_keeps_the_job_and_its_interval(make_scheduler: list[PollScheduler]) -> None:
    async def crash(polled: SourceConfig) -> IngestReport:
        raise RuntimeError("database is locked")

    scheduler = PollScheduler(crash, MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources([NEWS], first_run=FAR_FUTURE)
    scheduler.scheduler.start(paused=True)
    await scheduler._poll_job(NEWS)
    assert _seconds(_job(scheduler, "news")) == 600 and scheduler.interval_of("news") == 600


async def test_jobs_run_inside_the_running_loop(make_scheduler: list[PollScheduler]) -> None:
    poll = ScriptedPoll()
    poll.expected = {"news", "eager"}
    scheduler = PollScheduler(poll, MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources([NEWS, EAGER])  # first run: now
    scheduler.start()
    await asyncio.wait_for(poll.all_polled.wait(), timeout=10)
    assert sorted(poll.polled) == ["eager", "news"]


async def test_real_failures_back_off_the_real_job(
    make_scheduler: list[PollScheduler], server: SiteServer, ingestor: Ingestor
) -> None:
    lenobl = source(server, "lenobl")
    server.set_fault("/lenobl/feed.xml", Fault(statuses=[503] * 6))  # two polls of three attempts each
    scheduler = PollScheduler(ingestor.poll, MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources([lenobl], first_run=FAR_FUTURE)
    scheduler.scheduler.start(paused=True)
    base = scheduler.base_interval(lenobl)

    await scheduler._poll_job(lenobl)
    await scheduler._poll_job(lenobl)
    assert _seconds(_job(scheduler, "lenobl")) == base * 4
    await scheduler._poll_job(lenobl)
    assert _seconds(_job(scheduler, "lenobl")) == base


async def test_shutdown_waits_for_a_poll_in_flight(make_scheduler: list[PollScheduler]) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def slow_poll(polled: SourceConfig) -> IngestReport:
        started.set()
        await release.wait()
        finished.append(polled.id)
        return IngestReport(polled.id)

    scheduler = PollScheduler(slow_poll, MIN_INTERVAL)
    scheduler.add_sources([NEWS])  # first run: now
    scheduler.start()
    await asyncio.wait_for(started.wait(), timeout=5)
    stopping = asyncio.create_task(scheduler.shutdown(grace=5))
    await asyncio.sleep(0)  # let shutdown pause the scheduler and start waiting
    assert not stopping.done() and finished == []
    release.set()
    await asyncio.wait_for(stopping, timeout=5)
    assert finished == ["news"] and not scheduler.scheduler.running


async def test_first_polls_are_spread_at_the_start_rate(make_scheduler: list[PollScheduler]) -> None:
    from datetime import timedelta

    from app.scheduler import START_RATE

    many = [NEWS.model_copy(update={"id": f"news-{k}"}) for k in range(1000)]
    scheduler = PollScheduler(ScriptedPoll(), MIN_INTERVAL)
    make_scheduler.append(scheduler)
    scheduler.add_sources(many, first_run=FAR_FUTURE)
    starts = [_job(scheduler, s.id).next_run_time for s in many]
    assert starts[0] == FAR_FUTURE
    assert starts[-1] == FAR_FUTURE + timedelta(seconds=999 / START_RATE)  # 50 s for 1,000 sources
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # never later than one interval, however many sources there are (EAGER polls every MIN_INTERVAL)
    eager = [EAGER.model_copy(update={"id": f"eager-{k}"}) for k in range(2000)]
    scheduler.add_sources(eager, first_run=FAR_FUTURE)
    assert _job(scheduler, "eager-1999").next_run_time == FAR_FUTURE + timedelta(seconds=MIN_INTERVAL)
