"""/healthz and /metrics of the real App: 503 while the database is gone, counters that follow a real poll and send."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from app.health import HealthCheck
from app.metrics import error_kind
from app.runner import App
from sandbox.demo_news import DEMO_ARTICLES, publish
from sandbox.fake_api import FakeTelegram
from sandbox.site_server import Fault, SiteServer, sources_for
from scrapers.fetcher import FetchPolicy
from scrapers.sources import load_sources
from storage import Database
from storage.clock import utcnow
from storage.models import Delivery
from tests.e2e.conftest import add_article, add_users, e2e_settings, match

MEMORANDUM = DEMO_ARTICLES[0]  # Vologda ↔ Almaty Region, on the vologda-ru site


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return response.status, body


def sample(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text; 0 when the series has not appeared yet."""
    for family in text_string_to_metric_families(exposition):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    return 0.0


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[App, FakeTelegram, SiteServer, str]]:
    port = _free_port()
    async with SiteServer() as sites, FakeTelegram() as tg:
        sources = sources_for(sites, [s for s in load_sources().sources if s.id == "vologda-ru"])
        settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'health.sqlite3'}",
                                metrics_listen=f"127.0.0.1:{port}")
        app = App(settings, sources, fetch_policy=FetchPolicy(min_host_delay=0.0, retries=1, total_timeout=10.0))
        try:
            await app.prepare()
            await app.scrape_now()  # baseline: what the site already shows is history
            await app.start()
            await tg.wait_for_poller(timeout=10)
            yield app, tg, sites, f"http://127.0.0.1:{port}"
        finally:
            await app.stop()


async def test_healthz_fails_while_the_sqlite_file_is_gone_and_recovers(
    running: tuple[App, FakeTelegram, SiteServer, str], tmp_path: Path
) -> None:
    app, _tg, _sites, base = running
    status, body = await _get(f"{base}/healthz")
    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert body["database"]["reachable"] is True and body["database"]["latency_s"] >= 0
    assert body["scheduler"]["alive"] is True and body["scheduler"]["last_heartbeat_age_s"] < 90
    assert body["sender"] == {"running": True, "backlog": 0, "oldest_pending_age_s": None, "fail_after_s": 900.0}
    assert body["sources_down"] == []

    db_file = tmp_path / "health.sqlite3"
    db_file.rename(tmp_path / "moved-away.sqlite3")  # the disk was unmounted, the file deleted…
    try:
        status, body = await _get(f"{base}/healthz")
        assert status == 503, body
        assert body["status"] == "fail" and body["failed"] == ["database"]
        assert body["database"]["reachable"] is False and body["database"]["error"]
        assert body["sender"]["backlog"] is None  # unknown, not zero
        _, metrics = await _get(f"{base}/metrics")
        assert sample(metrics, "coopnews_database_up") == 0
    finally:
        (tmp_path / "moved-away.sqlite3").rename(db_file)
    status, body = await _get(f"{base}/healthz")
    assert status == 200 and body["status"] == "ok", body
    _, metrics = await _get(f"{base}/metrics")
    assert sample(metrics, "coopnews_database_up") == 1

    await app.scheduler.shutdown(grace=0.1)  # a dead scheduler polls nothing and sends no digest
    status, body = await _get(f"{base}/healthz")
    assert status == 503 and body["failed"] == ["scheduler"] and body["scheduler"]["alive"] is False


async def test_metrics_follow_a_real_poll_a_send_and_a_search(
    running: tuple[App, FakeTelegram, SiteServer, str],
) -> None:
    app, tg, sites, base = running
    status, before = await _get(f"{base}/metrics")
    assert status == 200
    assert sample(before, "coopnews_deliveries_total", outcome="sent") == 0
    polls_before = sample(before, "coopnews_poll_duration_seconds_count")
    assert polls_before >= 1  # the baseline poll and the scheduler's first one are counted
    assert sample(before, "coopnews_telegram_429_total") == 0  # exposed from the start

    anna = tg.user(6_200_001, "Анна")
    anna.send("/start")
    await anna.wait_for(1, timeout=10)
    anna.send("/subscribe Вологодская область")
    await anna.wait_for(1, timeout=10)

    publish(sites, MEMORANDUM, datetime.now(ZoneInfo("Europe/Moscow")))
    summary = await app.scrape_now()
    assert summary.new == 1, summary
    (alert,) = await anna.wait_for(1, timeout=10)
    assert MEMORANDUM.title in alert.text
    anna.send("/search меморандум")
    await anna.wait_for(1, timeout=10)
    await asyncio.sleep(0.2)  # the sender records `sent` just after Telegram accepted the alert

    _, after = await _get(f"{base}/metrics")
    vologda = {"source": "vologda-ru"}
    assert sample(after, "coopnews_articles_new_total", **vologda) - sample(before, "coopnews_articles_new_total",
                                                                            **vologda) == 1
    assert sample(after, "coopnews_articles_fetched_total", **vologda) > sample(
        before, "coopnews_articles_fetched_total", **vologda)
    assert sample(after, "coopnews_poll_duration_seconds_count") > polls_before
    assert sample(after, "coopnews_polls_total", outcome="ok") >= 2
    assert sample(after, "coopnews_matching_seconds_count") >= 1
    assert sample(after, "coopnews_deliveries_total", outcome="sent") == 1
    assert sample(after, "coopnews_send_duration_seconds_count") == 1
    assert sample(after, "coopnews_search_seconds_count") >= 1
    assert sample(after, "coopnews_telegram_request_seconds_count", method="sendMessage") >= 4
    assert sample(after, "coopnews_deliveries_pending") == 0
    assert sample(after, "coopnews_sources_down") == 0

    sites.set_fault("vologda-ru/list.html", Fault(statuses=[500] * 4))
    await app.scrape_now()
    _, failed = await _get(f"{base}/metrics")
    assert sample(failed, "coopnews_fetch_errors_total", scope="list", kind="http_5xx") >= 1
    assert sample(failed, "coopnews_polls_total", outcome="failed") >= 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("list http://127.0.0.1:5/a/list.html: timeout (gave up after 3 attempts)", ("list", "timeout")),
        ("list http://x/: network error: ClientConnectorError: refused", ("list", "network")),
        ("article http://x/a: HTTP 404", ("article", "http_4xx")),
        ("list http://x/: HTTP 503 (gave up after 2 attempts)", ("list", "http_5xx")),
        ("list http://x/: HTTP 429", ("list", "http_429")),
        ("article http://x/a: blocked by robots.txt", ("article", "robots")),
        ("article http://x/a: no article text found", ("article", "no_text")),
        ("list http://x/: truncated at 5000000 bytes", ("list", "too_large")),
        ("article http://x/a: ValueError: bad date", ("article", "crash")),
        ("something else entirely", ("other", "crash")),
    ],
)
def test_fetch_errors_are_counted_by_scope_and_kind(error: str, expected: tuple[str, str]) -> None:
    assert error_kind(error) == expected


async def test_a_due_alert_waiting_over_15_minutes_fails_health_but_a_held_one_does_not(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'backlog.sqlite3'}")
    await db.upgrade()
    try:
        await add_users(db, range(6_400_001, 6_400_004), region="RU-VLG")
        assert len((await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))).instant) == 3
        health = HealthCheck(db, scheduler=None, sends=True)
        status, body = await health.report()
        assert status == 200 and body["sender"]["backlog"] == 3 and body["sender"]["oldest_pending_age_s"] < 60
        assert "scheduler" not in body  # this process runs none

        now = utcnow()
        async with db.write() as uow:
            first = (await uow.session.scalars(select(Delivery.id).order_by(Delivery.id))).first()
            await uow.session.execute(update(Delivery).where(Delivery.id == first)
                                      .values(created_at=now - timedelta(minutes=20)))
            await uow.commit()
        status, body = await health.report()
        assert status == 503 and body["failed"] == ["sender"], body
        assert 1190 < body["sender"]["oldest_pending_age_s"] < 1300
        assert (await HealthCheck(db, scheduler=None, sends=False).report())[0] == 200  # a process that sends nothing

        async with db.write() as uow:  # held for quiet hours until tomorrow: not due, not late
            await uow.session.execute(update(Delivery).where(Delivery.id == first)
                                      .values(not_before=now + timedelta(hours=8)))
            await uow.commit()
        status, body = await health.report()
        assert status == 200 and body["sender"]["backlog"] == 2, body
    finally:
        await db.dispose()
