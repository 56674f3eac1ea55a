"""Settings persist across restarts; subscriptions list, toggle, remove; /sources; /help; plural forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sandbox.fake_api import FakeTelegram
from storage import Database
from storage.repositories.sources import SourceSpec
from tests.bot.conftest import ask, button_data, run_bot, tap


async def test_settings_persist_across_restart(tg: FakeTelegram, db: Database) -> None:
    user = tg.user(400, "Анна")
    async with run_bot(tg, db):
        menu = await ask(user, "/settings")
        assert "Europe/Moscow" in menu.text
        msg = await tap(user, menu, label="📰 Время сводки")
        msg = await tap(user, msg, label="07:00")
        msg = await tap(user, msg, label="🔔 Мгновенные вкл/выкл")
        msg = await tap(user, msg, label="🌙 Тихие часы")
        msg = await tap(user, msg, label="22:00–07:00")
        msg = await tap(user, msg, label="💤 Заметка «новостей нет» вкл/выкл")
        typed = await ask(user, "asia/almaty")
        assert "Asia/Almaty" in typed.text
        assert "неизвестный" in (await ask(user, "/timezone Mars/Olympus")).text
        msg = await tap(user, typed, label="🇬🇧 English")
        assert "Settings" in msg.text  # answered in the new language at once
    async with run_bot(tg, db):  # a new process on the same database file
        again = await ask(user, "/settings")
        assert "Time zone: Asia/Almaty" in again.text
        assert "at 07:00" in again.text and "Instant alerts: off" in again.text
        assert "Quiet hours: 22:00–07:00" in again.text and "in the digest: on" in again.text
    async with db.read() as uow:
        stored = await uow.users.get(400)
    assert stored is not None and (stored.language, stored.timezone, stored.digest_hour) == ("en", "Asia/Almaty", 7)
    assert (stored.instant_enabled, stored.no_news_notes, stored.quiet_start, stored.quiet_end) == (False, True, 22, 7)


async def test_subscription_list_toggle_remove_and_plurals(tg: FakeTelegram, db: Database) -> None:
    user = tg.user(401, "Анна")
    async with run_bot(tg, db):
        await ask(user, "/subscribe Казахстан")
        listing = await ask(user, "/subscriptions")
        assert "У вас 1 подписка." in listing.text
        await ask(user, "/subscribe Вологодская область")
        assert "У вас 2 подписки." in (await ask(user, "/subscriptions")).text
        for name in ("Омская область", "Татарстан", '"меморандум"'):
            await ask(user, f"/subscribe {name}")
        listing = await ask(user, "/subscriptions")
        assert "У вас 5 подписок." in listing.text and "«меморандум»" in listing.text
        listing = await tap(user, listing, button_data(listing, "1 → в сводку"))
        assert "1. 🇰🇿 Казахстан — 📰 в сводке" in listing.text
        listing = await tap(user, listing, button_data(listing, "❌ 1"))
        assert "Казахстан" not in listing.text and "У вас 4 подписки." in listing.text
        removed = await ask(user, "/unsubscribe Вологодской области")
        assert "Удалено" in removed.text
        assert "У вас 3 подписки." in (await ask(user, "/unsubscribe")).text
    en = tg.user(402, "Ann", language_code="en")
    async with run_bot(tg, db):
        await ask(en, "/subscribe forestry")
        assert "You have 1 subscription." in (await ask(en, "/subscriptions")).text
        await ask(en, "/subscribe Kyrgyzstan")
        assert "You have 2 subscriptions." in (await ask(en, "/subscriptions")).text


async def test_many_subscriptions_page_the_list(tg: FakeTelegram, db: Database) -> None:
    async with db.write() as uow:
        await uow.users.register(403, 403, "Анна", "ru", "Europe/Moscow")
        for i in range(21):
            await uow.subscriptions.add(403, "keyword", keyword=f"слово{i}", label=f"слово{i}")
        await uow.commit()
    user = tg.user(403, "Анна")
    async with run_bot(tg, db):
        listing = await ask(user, "/subscriptions")
        assert "У вас 21 подписка." in listing.text and "9." not in listing.text
        page2 = await tap(user, listing, label="▶")
        assert "9. 🔤 «слово8»" in page2.text


async def test_sources_health_is_readable(tg: FakeTelegram, db: Database) -> None:
    now = datetime.now(UTC)
    async with db.write() as uow:
        await uow.sources.sync(
            [
                SourceSpec("ok", "Сайт & Ко", "http://127.0.0.1/a"),
                SourceSpec("bad", "Упавший", "http://127.0.0.1/b"),
                SourceSpec("new", "Новый", "http://127.0.0.1/c"),
            ]
        )
        await uow.sources.record_success("ok", 3, at=now - timedelta(minutes=5))
        for _ in range(3):
            await uow.sources.record_failure("bad", "HTTP 503 <oops>", down_after=3, at=now - timedelta(hours=2))
        await uow.commit()
    user = tg.user(404, "Анна")
    async with run_bot(tg, db):
        reply = await ask(user, "/sources")
    assert "Источников: 3" in reply.text and "не отвечают: 1" in reply.text
    assert "✅ Сайт & Ко — прочитан 5 минут назад" in reply.text
    assert "⛔ Упавший — не отвечает с" in reply.text and "HTTP 503 <oops>" in reply.text
    assert "🆕 Новый — ещё не опрашивался" in reply.text


async def test_help_and_unknown_text(tg: FakeTelegram, db: Database) -> None:
    user = tg.user(405, "Ann", language_code="en")
    async with run_bot(tg, db) as running:
        assert "/subscribe" in (await ask(user, "/help")).text
        assert "/search" in (await ask(user, "hello there")).text
        from bot.factory import set_my_commands

        await set_my_commands(running.bot)
    assert [c["command"] for c in tg.commands(language_code="en")][:2] == ["start", "subscribe"]
    assert tg.commands(language_code="ru")[0]["description"] == "Начать и подписаться"


async def test_surge_alerts_and_weekly_summary_toggle_in_settings(tg: FakeTelegram, db: Database) -> None:
    user = tg.user(405, "Анна")
    async with run_bot(tg, db):
        menu = await ask(user, "/settings")
        assert "Оповещения о всплесках (партнёр намного выше обычного): выкл" in menu.text
        assert "Недельная сводка (по понедельникам во время сводки): выкл" in menu.text
        msg = await tap(user, menu, label="📈 Всплески вкл/выкл")
        assert "Оповещения о всплесках (партнёр намного выше обычного): вкл" in msg.text
        msg = await tap(user, msg, label="📊 Недельная сводка вкл/выкл")
        assert "Недельная сводка (по понедельникам во время сводки): вкл" in msg.text
        async with db.read() as uow:
            stored = await uow.users.get(405)
        assert stored is not None and (stored.surge_alerts, stored.weekly_summary) == (True, True)
        msg = await tap(user, msg, label="🇬🇧 English")
        msg = await tap(user, msg, label="📈 Surge alerts on/off")  # and back off, in English
        assert "Surge alerts (a partner far above its usual level): off" in msg.text
        assert "Weekly summary (Mondays at the digest hour): on" in msg.text
    async with db.read() as uow:
        stored = await uow.users.get(405)
    assert stored is not None and (stored.surge_alerts, stored.weekly_summary) == (False, True)
