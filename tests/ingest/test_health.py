"""Source health: failures stay with their source, a source goes down after N failures and comes back."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from analysis.pipeline import analyze
from app import ingest as ingestor_module
from app.ingest import Ingestor, IngestReport
from app.settings import Settings
from sandbox.site_server import Fault, SiteServer
from scrapers.fetcher import Fetcher
from scrapers.poller import PollResult
from scrapers.sources import SourceConfig
from storage import Database
from tests.ingest.conftest import ABSENT_ADMIN_ID, ADMIN_ID, deliveries, source, subscribe
from tests.scrapers.conftest import fast_policy

HEALTHY = ("vologda-ru", "lenobl", "kazinform-en")


async def test_a_failing_source_does_not_delay_the_others(
    db: Database, server: SiteServer, settings: Settings
) -> None:
    server.set_fault("/spb-governor/list.html", Fault(hang=True))
    server.set_fault("/kg24-en/list.html", Fault(statuses=[503] * 50, retry_after="2"))
    await asyncio.to_thread(analyze, "Прогрев", "Загрузка словарей морфологии.", "ru")  # first call loads them
    finished: list[tuple[str, float]] = []
    started = time.monotonic()

    async def timed(ingestor: Ingestor, polled: SourceConfig) -> IngestReport:
        report = await ingestor.poll(polled)
        finished.append((polled.id, time.monotonic() - started))
        return report

    async with Fetcher(fast_policy(total_timeout=1.5, retries=1)) as fetcher:
        ingestor = Ingestor(db, settings, fetcher)
        chosen = [source(server, s) for s in (*HEALTHY, "spb-governor", "kg24-en")]
        reports = {r.source_id: r for r in await asyncio.gather(*(timed(ingestor, s) for s in chosen))}

    order = [source_id for source_id, _ in finished]
    assert order[-1] == "spb-governor", order  # the hanging source finishes last, at its deadline
    at = dict(finished)
    assert max(at[s] for s in HEALTHY) < at["spb-governor"] < 1.5 + 1.0
    assert all(reports[s].stored and not reports[s].failed for s in HEALTHY)
    assert reports["spb-governor"].failed and "timeout" in reports["spb-governor"].errors[0]
    # Retry-After 2 s does not fit the 1.5 s deadline: given up at once instead of waiting it out
    assert reports["kg24-en"].failed and "HTTP 503" in reports["kg24-en"].errors[0]
    assert "deadline" in reports["kg24-en"].errors[0] and at["kg24-en"] < 1.0


async def _notices(db: Database) -> list[tuple[int, dict[str, str]]]:
    return [(d.user_id, json.loads(d.payload or "{}")) for d in await deliveries(db, kind="notice")]


async def test_source_goes_down_after_n_failures_and_recovers(
    db: Database, server: SiteServer, settings: Settings
) -> None:
    await subscribe(db, ADMIN_ID)  # the admin has opened the bot; ABSENT_ADMIN_ID never did
    server.set_fault("/vologda-ru/list.html", Fault(statuses=[503] * 4))
    vologda = source(server, "vologda-ru")
    woken: list[str] = []
    async with Fetcher(fast_policy(retries=0)) as fetcher:
        ingestor = Ingestor(db, settings, fetcher, down_after=3, on_deliveries=lambda: woken.append("sender"))
        failures = [await ingestor.poll(vologda) for _ in range(3)]
        assert [r.consecutive_failures for r in failures] == [1, 2, 3]
        assert [r.transition for r in failures] == [None, None, "down"]
        async with db.read() as uow:
            row = await uow.sources.get("vologda-ru")
        assert row is not None and row.is_down and row.down_since is not None and "HTTP 503" in (row.last_error or "")
        notices = await _notices(db)
        assert [(user, n["type"], n["source"]) for user, n in notices] == [(ADMIN_ID, "source_down", "vologda-ru")]
        assert "HTTP 503" in notices[0][1]["error"] and ABSENT_ADMIN_ID not in [u for u, _ in notices]
        assert woken == ["sender"]

        still_down = await ingestor.poll(vologda)  # a down source that fails again is not news
        assert still_down.transition is None and still_down.consecutive_failures == 4
        assert len(await _notices(db)) == 1

        back = await ingestor.poll(vologda)  # the fault has run out: the site answers again

    assert not back.failed and back.transition == "recovered" and back.consecutive_failures == 0
    assert [n["type"] for _, n in await _notices(db)] == ["source_down", "source_recovered"]
    async with db.read() as uow:
        row = await uow.sources.get("vologda-ru")
    assert row is not None and not row.is_down and row.consecutive_failures == 0 and row.last_success_at is not None
    assert row.items_found_last == 2 and row.baseline_done


async def test_one_failure_then_success_resets_the_count_without_notices(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, ADMIN_ID)
    server.set_fault("/lenobl/feed.xml", Fault(statuses=[503] * 3))  # fast_policy: 3 attempts per fetch
    lenobl = source(server, "lenobl")
    assert (await ingestor.poll(lenobl)).consecutive_failures == 1
    report = await ingestor.poll(lenobl)
    assert report.consecutive_failures == 0 and report.transition is None
    assert await _notices(db) == []


async def test_a_crashing_parser_counts_as_that_sources_failure(
    db: Database, server: SiteServer, ingestor: Ingestor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_poll = ingestor_module.poll_source

    async def poll_or_crash(polled: SourceConfig, *args: Any, **kwargs: Any) -> PollResult:
        if polled.id == "lenobl":
            raise ValueError("unexpected markup")
        return await real_poll(polled, *args, **kwargs)

    monkeypatch.setattr(ingestor_module, "poll_source", poll_or_crash)
    crashed, healthy = await asyncio.gather(
        ingestor.poll(source(server, "lenobl")), ingestor.poll(source(server, "vologda-ru"))
    )
    assert crashed.failed and crashed.consecutive_failures == 1 and "ValueError: unexpected markup" in crashed.errors[0]
    assert len(healthy.stored) == 2 and not healthy.failed
