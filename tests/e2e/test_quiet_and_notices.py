"""Quiet hours hold instant alerts until they end; admins hear of sources going down through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.ingest import Ingestor
from bot.sender import Sender
from sandbox.fake_api import FakeTelegram
from sandbox.site_server import Fault, SiteServer, list_path, sources_for
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.sources import load_sources
from storage import Database
from storage.repositories import deliveries as deliveries_module
from tests.e2e.conftest import (
    ADMIN_ID,
    add_article,
    add_users,
    deliveries_of,
    drain,
    e2e_settings,
    match,
    statuses,
    throttled_bot,
)

SLEEPER, AWAKE = 6_000_001, 6_000_002


async def test_alert_in_quiet_hours_is_held_and_released_after_them(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    hour = now.astimezone(ZoneInfo("Europe/Moscow")).hour
    # quiet for the current hour and the next, so the release is at least an hour away
    await add_users(db, [SLEEPER], region="RU-VLG", quiet_start=hour, quiet_end=(hour + 2) % 24)
    await add_users(db, [AWAKE], region="RU-VLG")
    result = await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"), now=now)
    assert (result.held, result.instant) == ([SLEEPER], [AWAKE])
    (held,) = await deliveries_of(db, SLEEPER)
    assert held.not_before is not None
    release = held.not_before
    assert release.astimezone(ZoneInfo("Europe/Moscow")).hour == (hour + 2) % 24 and release > now

    async with FakeTelegram() as tg:
        tg.user(SLEEPER), tg.user(AWAKE)
        bot = throttled_bot(tg)
        try:
            sender = Sender(bot, db)
            assert await drain(sender) == 1
            assert len(tg.messages(AWAKE)) == 1 and tg.messages(SLEEPER) == []
            assert await statuses(db) == {"sent": 1, "pending": 1}

            # the outbox reads the clock through this module: move it to just after the quiet hours
            monkeypatch.setattr(deliveries_module, "utcnow", lambda: release - timedelta(seconds=1))
            assert await drain(sender) == 0  # a second early is still quiet
            monkeypatch.setattr(deliveries_module, "utcnow", lambda: release + timedelta(seconds=1))
            assert await drain(sender) == 1
        finally:
            await bot.session.close()
        (alert,) = tg.messages(SLEEPER)
        assert "меморандум" in alert.text
    assert await statuses(db) == {"sent": 2}


async def test_source_going_down_and_back_reaches_the_admin(db: Database) -> None:
    await add_users(db, [ADMIN_ID])  # the operator has opened the bot once
    await add_users(db, [AWAKE])  # an ordinary user hears nothing of it
    async with SiteServer() as sites, FakeTelegram() as tg:
        (source,) = sources_for(sites, [s for s in load_sources().sources if s.id == "vologda-ru"])
        settings = e2e_settings(tg, db.url)
        tg.user(ADMIN_ID), tg.user(AWAKE)
        bot = throttled_bot(tg)
        fetcher = Fetcher(FetchPolicy(min_host_delay=0.0, retries=1, total_timeout=5.0))
        async with fetcher:
            ingestor = Ingestor(db, settings, fetcher, down_after=2)
            sender = Sender(bot, db)
            try:
                sites.set_fault(list_path(sites.root, source), Fault(statuses=[503] * 10))
                assert (await ingestor.poll(source)).failed
                assert await drain(sender) == 0  # one failure is a blip, not an outage
                report = await ingestor.poll(source)
                assert report.failed and report.transition == "down"
                assert await drain(sender) == 1
                (down,) = tg.messages(ADMIN_ID)
                assert down.text.startswith("⚠️ Источник не отвечает: Правительство Вологодской области")
                assert "503" in down.text

                sites.clear_faults()
                assert (await ingestor.poll(source)).transition == "recovered"
                assert await drain(sender) == 1
            finally:
                await bot.session.close()
        assert tg.messages(ADMIN_ID)[-1].text.startswith("✅ Источник снова работает: Правительство Вологодской")
        assert tg.messages(AWAKE) == []
    assert await statuses(db) == {"sent": 2}
