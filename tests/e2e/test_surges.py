"""Surge alerts end to end: a spike of a partner's news → one message to each opted-in follower; the digest
opens with the surge; the Monday summary's chart arrives at the digest hour, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.digests import DigestService
from app.surges import SurgeService
from app.weekly import WeeklySummaryService
from bot.sender import Sender
from sandbox.fake_api import FakeTelegram
from storage import Database
from storage.models import Delivery, Surge
from tests.e2e.conftest import add_article, add_users, deliveries_of, drain, throttled_bot
from tests.e2e.test_digests import owe_digest

MONDAY = datetime(2026, 3, 30, tzinfo=UTC)  # a Monday; 09:00 in Moscow is 06:00 UTC
NOW = MONDAY + timedelta(hours=5)  # 08:00 in Moscow, an hour before the digest
TZ = "Europe/Moscow"
SPIKE = 8
FOLLOWER, NOT_OPTED, ELSEWHERE, VOLOGDA = 7_100_001, 7_100_002, 7_100_003, 7_100_004


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_rate=None) as server:
        yield server


@pytest.fixture
async def sender(tg: FakeTelegram, db: Database) -> AsyncIterator[Sender]:
    bot = throttled_bot(tg, per_chat_rate=30)
    try:
        yield Sender(bot, db)
    finally:
        await bot.session.close()


async def _spike_and_steady(db: Database) -> None:
    """Kazakhstan: SPIKE items this morning after a silent month. Uzbekistan: as many, one a day (steady)."""
    for i in range(SPIKE):
        await add_article(db, f"Вологда и Алматинская область: соглашение №{i}", parties=(("RU-VLG", "KZ-19"),),
                          published_at=NOW - timedelta(minutes=10 + i))
        await add_article(db, f"Вологда и Ташкент: поставки, день {i}", parties=(("RU-VLG", "UZ-TO"),),
                          published_at=NOW - timedelta(days=i, minutes=30))


async def _surge_count(db: Database) -> int:
    async with db.read() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Surge)) or 0)


async def test_spike_gives_one_message_to_opted_in_followers_only(
    tg: FakeTelegram, db: Database, sender: Sender
) -> None:
    await add_users(db, [FOLLOWER], region="KZ", surge_alerts=True)
    await add_users(db, [NOT_OPTED], region="KZ")
    await add_users(db, [ELSEWHERE], region="BY", surge_alerts=True)
    await add_users(db, [VOLOGDA], region="RU-VLG", surge_alerts=True)
    for user_id in (FOLLOWER, NOT_OPTED, ELSEWHERE, VOLOGDA):
        tg.user(user_id)
    await _spike_and_steady(db)
    service = SurgeService(db, TZ)

    assert await service.run(NOW) == 2  # the Kazakhstan follower, and Vologda for its pair with KZ-19
    assert await service.run(NOW + timedelta(hours=1)) == 0  # the next hour: recorded already, nothing new
    await drain(sender)

    (message,) = tg.messages(FOLLOWER)
    assert message.text.startswith("📈 Всплеск новостей: 🇰🇿 Казахстан")
    assert f"30.03.2026: {SPIKE} материалов о сотрудничестве; обычно 0.0 в день за 28 дней до этого." in message.text
    assert "▁" * 28 + "█" in message.text  # the sparkline: a silent month, then today
    assert message.text.count("• Вологда и Алматинская область: соглашение") == 3  # the top items, linked
    assert "соглашение №0" in message.text and "href=" in message.raw_text
    (pair,) = tg.messages(VOLOGDA)
    assert "🇷🇺 Вологодская область ↔ 🇰🇿 Алматинская область" in pair.text
    assert tg.messages(NOT_OPTED) == [] and tg.messages(ELSEWHERE) == []
    assert "Узбекистан" not in message.text + pair.text  # the steady series never fires
    assert await _surge_count(db) == 2  # KZ and RU-VLG|KZ-19, each once
    async with db.read() as uow:
        kinds = list(await uow.session.scalars(select(Delivery.status).where(Delivery.kind == "surge")))
    assert kinds == ["sent", "sent"]


async def test_surge_waits_out_quiet_hours(tg: FakeTelegram, db: Database) -> None:
    await add_users(db, [FOLLOWER], region="KZ", surge_alerts=True, quiet_start=7, quiet_end=10)  # NOW is 08:00
    tg.user(FOLLOWER)
    await _spike_and_steady(db)
    assert await SurgeService(db, TZ).run(NOW) == 1
    (held,) = await deliveries_of(db, FOLLOWER)
    # the sender holds rows until not_before (tests/e2e/test_quiet_and_notices.py); here the hold itself
    assert held.kind == "surge" and held.not_before == MONDAY + timedelta(hours=7)  # 10:00 in Moscow


async def test_digest_opens_with_the_surge_for_opted_in_users(tg: FakeTelegram, db: Database, sender: Sender) -> None:
    await add_users(db, [FOLLOWER], region="KZ", surge_alerts=True)
    await add_users(db, [NOT_OPTED], region="KZ")
    await _spike_and_steady(db)
    news = await add_article(db, "Делегация Алматы посетила Вологду", parties=(("RU-VLG", "KZ-75"),))
    for user_id in (FOLLOWER, NOT_OPTED):
        tg.user(user_id)
        await owe_digest(db, user_id, news, NOW - timedelta(hours=2))
    assert await SurgeService(db, TZ).run(NOW) == 1

    digests = DigestService(db, sender)
    assert await digests.run_due(MONDAY + timedelta(hours=6)) == 2
    (digest,) = [m.text for m in tg.messages(FOLLOWER) if m.text.startswith("Сводка")]
    lines = digest.splitlines()
    assert lines[0] == "Сводка за 30.03.2026: 1 новость"
    assert lines[1] == f"📈 Всплеск: 🇰🇿 Казахстан, 30.03 — {SPIKE} материалов, обычно 0.0 в день"
    assert digest.index("Всплеск") < digest.index("Делегация Алматы посетила Вологду")
    (plain,) = tg.messages(NOT_OPTED)
    assert "Всплеск" not in plain.text and "Делегация Алматы" in plain.text


async def test_surge_alone_makes_a_digest(tg: FakeTelegram, db: Database, sender: Sender) -> None:
    await add_users(db, [FOLLOWER], region="KZ", surge_alerts=True)
    tg.user(FOLLOWER)
    await _spike_and_steady(db)
    await SurgeService(db, TZ).run(NOW)
    assert await DigestService(db, sender).run_due(MONDAY + timedelta(hours=6)) == 1
    (digest,) = tg.messages(FOLLOWER)
    assert "📈 Всплеск: 🇰🇿 Казахстан" in digest.text and "не было" in digest.text


WEEKLY, EMPTY_WEEK, NO_WEEKLY, UNREACHABLE = 7_200_001, 7_200_002, 7_200_003, 7_200_004


async def _last_weeks_news(db: Database) -> None:
    """Three Vologda–Kazakhstan items in the week of 23–29 March, one a week earlier, one this Monday."""
    for day, title in ((23, "понедельник"), (25, "среда"), (29, "воскресенье"), (16, "неделей раньше"),
                       (30, "этот понедельник")):
        await add_article(db, f"Вологда и Казахстан: {title}", parties=(("RU-VLG", "KZ-19"),),
                          published_at=datetime(2026, 3, day, 9, tzinfo=UTC))


async def test_weekly_summary_on_monday_at_the_digest_hour_once(
    tg: FakeTelegram, db: Database, sender: Sender
) -> None:
    await add_users(db, [WEEKLY], region="RU-VLG", weekly_summary=True)
    await add_users(db, [EMPTY_WEEK], region="BY", weekly_summary=True, language="en")
    await add_users(db, [NO_WEEKLY], region="RU-VLG")
    for user_id in (WEEKLY, EMPTY_WEEK, NO_WEEKLY):
        tg.user(user_id)
    await _last_weeks_news(db)
    weekly = WeeklySummaryService(db, sender)

    assert await weekly.run_due(MONDAY + timedelta(hours=5, minutes=59)) == 0  # 08:59 in Moscow
    assert await weekly.run_due(MONDAY + timedelta(hours=6)) == 2
    (photo,) = tg.messages(WEEKLY)
    assert photo.kind == "photo" and photo.file is not None and photo.file.content is not None
    assert photo.file.content.startswith(b"\x89PNG")
    heading, counts, *_ = photo.text.splitlines()
    assert heading == "📊 Недельная сводка"
    assert counts == "Мои подписки, 23.03.2026–29.03.2026: 3 материала о сотрудничестве"
    assert "Казахстан 3" in photo.text  # the top partners with their counts
    (nothing,) = tg.messages(EMPTY_WEEK)
    assert nothing.kind == "text"
    assert nothing.text == ("📊 Weekly summary\n"
                            "23.03.2026–29.03.2026: no cooperation news for your subscriptions this week.")
    assert tg.messages(NO_WEEKLY) == []

    assert await weekly.run_due(MONDAY + timedelta(hours=6, minutes=1)) == 0  # claimed: never twice
    restarted = WeeklySummaryService(db, sender)
    assert await restarted.run_due(MONDAY + timedelta(hours=7)) == 0
    tuesday = MONDAY + timedelta(days=1, hours=6)
    assert await restarted.run_due(tuesday) == 0
    assert len(tg.messages(WEEKLY)) == 1 and len(tg.messages(EMPTY_WEEK)) == 1


async def test_weekly_summary_refused_by_telegram_is_retried(tg: FakeTelegram, db: Database, sender: Sender) -> None:
    await add_users(db, [UNREACHABLE], region="RU-VLG", weekly_summary=True)
    await _last_weeks_news(db)
    weekly = WeeklySummaryService(db, sender)
    assert await weekly.run_due(MONDAY + timedelta(hours=6)) == 0  # no such chat yet: 400, the claim released
    tg.user(UNREACHABLE)
    assert await weekly.run_due(MONDAY + timedelta(hours=6, minutes=1)) == 1
    assert [m.kind for m in tg.messages(UNREACHABLE)] == ["photo"]
