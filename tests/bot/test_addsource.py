"""/addsource end to end through the fake Bot API against composed local sites; /sources pause, resume, remove."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select

from app.source_registry import active_sources, seed_and_load
from sandbox.fake_api import FakeTelegram, FakeUser, SentMessage
from scrapers.discover import Discoverer, Discovery
from scrapers.fetcher import Fetcher
from scrapers.sources import SourceConfig
from storage import Database
from tests.bot.conftest import ADMIN_ID, RunningBot, ask, run_bot, tap
from tests.composed_sites import CHUY_ITEMS, JAMBYL_ITEMS, chuy_site, jambyl_site, js_site, robots_site, with_base
from tests.scrapers.conftest import fast_policy


class Wiring:
    """What the app hands the dispatcher: discovery over one fetcher, and a count of "sources changed"."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.changes = 0

    async def discover(self, url: str) -> Discovery:
        return await Discoverer(self.fetcher).discover(url)

    async def sources_changed(self) -> None:
        self.changes += 1


@asynccontextmanager
async def admin_bot(tg: FakeTelegram, db: Database) -> AsyncIterator[tuple[RunningBot, Wiring]]:
    async with Fetcher(fast_policy(retries=0)) as fetcher:
        wiring = Wiring(fetcher)
        extra = {"discover": wiring.discover, "sources_changed": wiring.sources_changed}
        async with run_bot(tg, db, extra=extra) as running:
            yield running, wiring


async def addsource(user: FakeUser, url: str) -> SentMessage:
    """Send /addsource and return the preview (the second reply, after "Looking at …")."""
    user.send(f"/addsource {url}")
    replies = await user.wait_for(2, timeout=15)
    assert "…" in replies[0].text
    return replies[-1]


async def test_feed_site_is_previewed_then_added_and_polled_from_the_database(tg: FakeTelegram, db: Database) -> None:
    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    async with jambyl_site() as site, admin_bot(tg, db) as (_, wiring):
        with_base(site)
        preview = await addsource(admin, site.url("/kk/"))
        assert "RSS/Atom feed" in preview.text and site.url("/rss/kk/news.xml") in preview.text
        assert "Language: Kazakh" in preview.text and "Jambyl" in preview.text
        for _, title, _, _ in JAMBYL_ITEMS[:3]:
            assert title in preview.text
        assert "Omsk" in preview.text  # the party line of the agreement
        assert [label for label, _ in preview.buttons] == ["✅ Add", "✖ Cancel"]
        done = await tap(admin, preview, label="✅ Add")
        assert "✅ Added:" in done.text and done.buttons == []
        assert wiring.changes == 1
    async with db.read() as uow:
        row = await uow.sources.by_url(site.url("/rss/kk/news.xml"))
    assert row is not None and (row.origin, row.added_by, row.home_region, row.lang) == ("bot", ADMIN_ID, "KZ-31", "kk")
    polled = {s.id: s for s in await active_sources(db)}
    assert polled[row.id].kind == "rss" and polled[row.id].url == site.url("/rss/kk/news.xml")


async def test_list_site_preview_in_russian_and_cancel_stores_nothing(tg: FakeTelegram, db: Database) -> None:
    admin = tg.user(ADMIN_ID, "Админ", language_code="ru")
    async with chuy_site() as site, admin_bot(tg, db) as (_, wiring):
        preview = await addsource(admin, site.url("/ru/news/"))
        assert "страница списка новостей" in preview.text and "Язык: русский" in preview.text
        assert "Чуйская область" in preview.text and CHUY_ITEMS[0][1] in preview.text
        assert "04.11.2025 21:00" in preview.text  # midnight of 05.11 in Bishkek, read in Moscow time
        cancelled = await tap(admin, preview, label="✖ Отмена")
        assert "Отменено" in cancelled.text and wiring.changes == 0
        assert cancelled.buttons == []
    async with db.read() as uow:
        assert await uow.sources.all() == []


async def test_js_built_404_and_robots_disallowed_sites_get_clear_answers(tg: FakeTelegram, db: Database) -> None:
    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    async with js_site() as shell, robots_site() as closed, chuy_site() as site, admin_bot(tg, db):
        js = await addsource(admin, shell.url("/memleket/entities/shell/press/news"))
        assert "built by JavaScript" in js.text and js.buttons == []
        missing = await addsource(admin, site.url("/ru/no-such-section/"))
        assert "There is no such page" in missing.text and "404" in missing.text and missing.buttons == []
        blocked = await addsource(admin, closed.url("/ru/news/"))
        assert "robots.txt does not allow" in blocked.text and blocked.buttons == []
        bad = await addsource(admin, "новости")
        assert "This is not a web address" in bad.text
        assert "/ru/news/" not in closed.hits
    async with db.read() as uow:
        assert await uow.sources.all() == []


async def test_addsource_is_for_admins_only(tg: FakeTelegram, db: Database) -> None:
    stranger = tg.user(4242, "Someone", language_code="en")
    async with chuy_site() as site, admin_bot(tg, db):
        reply = await ask(stranger, f"/addsource {site.url('/ru/news/')}")
        assert "I do not know this command" in reply.text
        listing = await ask(stranger, "/sources")
        assert listing.buttons == []
    assert site.hits == []


async def test_sources_pause_resume_remove_and_the_seed_respects_them(tg: FakeTelegram, db: Database) -> None:
    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    file_source = SourceConfig(id="chuy-file", name="Chuy (file)", url="http://127.0.0.1:9/ru/news/")
    await seed_and_load(db, [file_source])
    async with chuy_site() as site, admin_bot(tg, db) as (_, wiring):
        preview = await addsource(admin, site.url("/ru/news/"))
        await tap(admin, preview, label="✅ Add")
        listing = await ask(admin, "/sources")
        labels = [label for label, _ in listing.buttons]
        assert "⏸ Pause Chuy (file)" in labels and len(labels) == 4
        paused = await tap(admin, listing, label="⏸ Pause Chuy (file)")
        assert "▶ Resume Chuy (file)" in [label for label, _ in paused.buttons] and "paused" in paused.text
        assert [s.id for s in await active_sources(db)] == ["127-0-0-1-ru"]
        resumed = await tap(admin, paused, label="▶ Resume Chuy (file)")
        assert {s.id for s in await active_sources(db)} == {"127-0-0-1-ru", "chuy-file"}
        await tap(admin, resumed, label="⏸ Pause Chuy (file)")
        removed = await tap(admin, current_listing(admin), data=_remove_data(current_listing(admin), "127-0-0-1-ru"))
        assert "Новости | Чуйская" not in removed.text and len(removed.buttons) == 2
        assert wiring.changes == 5  # add, pause, resume, pause, remove
        public = await ask(tg.user(4243, "Reader", language_code="en"), "/sources")
        assert "Chuy (file) — paused" in public.text and "Новости | Чуйская" not in public.text
        assert public.buttons == []
    # the file seeds again at the next start: the pause holds, and a removed source stays removed
    await seed_and_load(db, [file_source])
    assert await active_sources(db) == []
    async with db.read() as uow:
        rows = {row.id: row for row in await uow.sources.all()}
    assert rows["chuy-file"].paused and rows["127-0-0-1-ru"].removed_at is not None


def current_listing(user: FakeUser) -> SentMessage:
    return [m for m in user.messages() if m.buttons and "Sources:" in m.text][-1]


def _remove_data(listing: SentMessage, source_id: str) -> str:
    from bot.callbacks import SourceAction, SourceCb
    from bot.undo import source_key

    data = SourceCb(action=SourceAction.REMOVE, source=source_key(source_id)).pack()
    assert data in [d for _, d in listing.buttons]
    return data


async def test_an_added_source_survives_a_restart(tg: FakeTelegram, db_url: str) -> None:
    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    first = Database(db_url)
    await first.upgrade()
    async with jambyl_site() as site:
        with_base(site)
        async with admin_bot(tg, first):
            preview = await addsource(admin, site.url("/kk/"))
            await tap(admin, preview, label="✅ Add")
        await first.dispose()
        # a new process: a new engine on the same SQLite file, a new dispatcher
        second = Database(db_url)
        try:
            await second.upgrade()
            assert [s.url for s in await seed_and_load(second, [])] == [site.url("/rss/kk/news.xml")]
            async with admin_bot(tg, second):
                listing = await ask(admin, "/sources")
                assert "Жамбыл облысының әкімдігі" in listing.text and "Sources: 1" in listing.text
                again = await addsource(admin, site.url("/kk/"))
                done = await tap(admin, again, label="✅ Add")
                assert "polled already" in done.text
        finally:
            await second.dispose()


async def test_a_js_built_source_is_down_as_needing_javascript_not_silently_empty(
    tg: FakeTelegram, db: Database
) -> None:
    from app.ingest import Ingestor
    from bot.alert_render import notice_message
    from storage.models import Delivery

    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    async with js_site() as shell, admin_bot(tg, db) as (running, wiring):
        await ask(admin, "/sources")  # the admin has opened the bot: notices can reach them
        gov_kz = SourceConfig(
            id="akimat-shell", name="Akimat (JS)", url=shell.url("/memleket/entities/shell/press/news")
        )
        await seed_and_load(db, [gov_kz])
        report = await Ingestor(db, running.settings, wiring.fetcher, down_after=1).poll(gov_kz)
        assert report.failed and report.transition == "down" and report.stored == []
        listing = await ask(admin, "/sources")
    assert "⛔" in listing.text and "built by JavaScript in the browser" in listing.text
    async with db.read() as uow:
        row = await uow.sources.get("akimat-shell")
        notices = [d for d in await uow.session.scalars(select(Delivery)) if d.kind == "notice"]
    assert row is not None and "needs JavaScript" in (row.last_error or "")
    assert [n.user_id for n in notices] == [ADMIN_ID]
    assert "built by JavaScript" in notice_message(notices[0].payload or "", "en").text
