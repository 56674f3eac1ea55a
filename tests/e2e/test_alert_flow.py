"""The whole loop through the real App: an official subscribes in the bot, a site publishes, one alert arrives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.runner import App
from bot.scrape_summary import ScrapeSummary
from sandbox.demo_news import DEMO_ARTICLES, publish
from sandbox.fake_api import FakeTelegram, FakeUser
from sandbox.site_server import SiteServer, sources_for
from scrapers.fetcher import FetchPolicy
from scrapers.sources import load_sources
from storage.clock import utcnow
from storage.models import Delivery
from tests.e2e.conftest import add_article, e2e_settings, statuses
from tests.e2e.news import KZ_UZ_PARAGRAPHS, KZ_UZ_TITLE, publish_kazinform

MEMORANDUM, _FORESTRY, BRIDGE = DEMO_ARTICLES
OFFICIAL, ATTACHE = 5_100_001, 5_100_002


@dataclass
class Running:
    app: App
    tg: FakeTelegram
    sites: SiteServer
    stopped: bool = False

    async def stop(self) -> None:
        """Stop as `coopnews run` does on SIGTERM: in-flight sends are recorded before it returns."""
        if not self.stopped:
            self.stopped = True
            await self.app.stop()


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    """The real App (bot polling, scheduler, sender) on a Vologda and a Kazinform site; Telegram's real limits."""
    wanted = {"vologda-ru", "kazinform-ru"}
    async with SiteServer() as sites, FakeTelegram() as tg:
        sources = sources_for(sites, [s for s in load_sources().sources if s.id in wanted])
        settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}")
        policy = FetchPolicy(min_host_delay=0.0, retries=1, total_timeout=10.0)
        running = Running(App(settings, sources, fetch_policy=policy), tg, sites)
        try:
            await running.app.prepare()
            await running.app.scrape_now()  # baseline: what the sites already show is history
            await running.app.start()
            await tg.wait_for_poller(timeout=10)
            yield running
        finally:
            await running.stop()


async def _say(user: FakeUser, text: str) -> str:
    user.send(text)
    return (await user.wait_for(1, timeout=10))[-1].text


async def test_subscriber_gets_one_alert_and_irrelevant_news_alert_nobody(running: Running) -> None:
    tg, app = running.tg, running.app
    official = tg.user(OFFICIAL, "Анна")
    attache = tg.user(ATTACHE, "Айдос")  # a consulate: every Russian region's dealings with Kazakhstan
    assert "Анна" in await _say(official, "/start")
    assert "Подписка оформлена" in await _say(official, "/subscribe Вологодская область")
    await _say(attache, "/start")
    assert "Подписка оформлена" in await _say(attache, "/subscribe Казахстан")

    now = datetime.now(ZoneInfo("Europe/Moscow"))
    publish(running.sites, MEMORANDUM, now)  # Vologda ↔ Almaty Region: both must hear of it
    publish(running.sites, BRIDGE, now)  # a bridge repair in Vologda Oblast: domestic, nobody
    publish_kazinform(running.sites, "kazakhstan-uzbekistan-torgovlya", KZ_UZ_TITLE, KZ_UZ_PARAGRAPHS, now)
    summary = await app.scrape_now()
    assert summary.new == 3, summary  # all three were stored and analysed

    (alert,) = await official.wait_for(1, timeout=10)
    assert MEMORANDUM.title in alert.text
    assert "Вологодская область ↔ 🇰🇿 Алматинская область" in alert.text
    assert "По вашей подписке: 🇷🇺 Вологодская область" in alert.text
    assert [label for label, _ in alert.buttons] == ["Похожие новости", "Заглушить источник"]
    (attache_alert,) = await attache.wait_for(1, timeout=10)
    assert MEMORANDUM.title in attache_alert.text and "По вашей подписке: 🇰🇿 Казахстан" in attache_alert.text

    assert await app.scrape_now() == ScrapeSummary(2, 0)  # polling again finds nothing new...
    await running.stop()
    async with app.db.read() as uow:
        rows = list(await uow.session.scalars(Delivery.__table__.select()))
    # ...and the outbox holds exactly the two alerts, both sent: nothing can be repeated or still come
    assert len(rows) == 2 and await statuses(app.db) == {"sent": 2}
    assert len(official.messages()) == 3 and len(attache.messages()) == 3  # 2 replies + 1 alert each
    assert tg.flood_violations == 0


async def test_app_runs_surges_hourly_and_the_sender_delivers_them(running: Running) -> None:
    tg, app = running.tg, running.app
    jobs = {job.id: job for job in app.scheduler.scheduler.get_jobs()}
    assert jobs["surges"].trigger.interval == timedelta(hours=1)
    assert {"digests", "weekly summaries"} <= set(jobs)

    attache = tg.user(ATTACHE, "Айдос")
    await _say(attache, "/start")
    await _say(attache, "/subscribe Казахстан")
    attache.send("/settings")
    (menu,) = await attache.wait_for(1, timeout=10)
    attache.tap_button(menu, "📈 Всплески вкл/выкл")
    await attache.wait_until(lambda: bool(attache.callback_answers), timeout=10)

    now = utcnow()
    for i in range(6):  # a month of silence about Kazakhstan, then six items at once
        await add_article(app.db, f"Вологда и Алматинская область: соглашение №{i}", published_at=now)
    assert await app.surges.run(now) == 1
    (surge,) = await attache.wait_for(1, timeout=10)  # the job woke the running sender
    assert surge.text.startswith("📈 Всплеск новостей: 🇰🇿 Казахстан")
