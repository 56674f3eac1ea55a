"""Daily digests at each user's own hour, missed ones caught up within grace, never twice, split cleanly."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from app.digests import DigestService
from bot.sender import Sender
from sandbox.fake_api import FakeTelegram, SentMessage
from storage import Database
from storage.models import Delivery
from tests.bot.conftest import run_bot
from tests.e2e.conftest import StoredArticle, add_article, add_users, throttled_bot

DAY = datetime(2025, 3, 10, tzinfo=UTC)
ALMATY, MOSCOW, QUIET, NOTES, LATE = 4_000_001, 4_000_002, 4_000_003, 4_000_004, 4_000_005


def at(hour: int, minute: int = 0) -> datetime:
    """A UTC moment on DAY."""
    return DAY + timedelta(hours=hour, minutes=minute)


async def owe_digest(
    db: Database, user_id: int, article: StoredArticle, created_at: datetime, subscription_id: int | None = None
) -> None:
    """A digest-only delivery, as the matcher writes for a digest-mode subscription, at a chosen time."""
    async with db.write() as uow:
        await uow.session.execute(
            insert(Delivery),
            [{"user_id": user_id, "article_id": article.id, "story_id": article.story_id, "kind": "alert",
              "mode": "digest", "status": "digest", "attempts": 0, "created_at": created_at,
              "subscription_id": subscription_id}],
        )
        await uow.commit()


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_rate=None) as server:
        yield server


@pytest.fixture
async def service(tg: FakeTelegram, db: Database) -> AsyncIterator[DigestService]:
    bot = throttled_bot(tg, per_chat_rate=30)
    try:
        yield DigestService(db, Sender(bot, db), grace_hours=6)
    finally:
        await bot.session.close()


def texts(tg: FakeTelegram, user_id: int) -> list[str]:
    return [m.text for m in tg.messages(user_id)]


async def _partners_news(db: Database) -> list[StoredArticle]:
    return [
        await add_article(db, "Вологда и Алматинская область: меморандум", parties=(("RU-VLG", "KZ-19"),)),
        await add_article(db, "Вологодская область и Ташкент договорились о поставках", parties=(("RU-VLG", "UZ-TO"),)),
        await add_article(db, "Делегация Алматы посетила Вологду", parties=(("RU-VLG", "KZ-75"),)),
        await add_article(db, "Старая новость о Казахстане", parties=(("RU-VLG", "KZ"),)),
    ]


async def test_digest_at_each_users_hour_grouped_by_partner_and_never_twice(
    tg: FakeTelegram, db: Database, service: DigestService
) -> None:
    await add_users(db, [ALMATY], timezone="Asia/Almaty")  # 09:00 there is 04:00 UTC
    await add_users(db, [MOSCOW])  # 09:00 in Moscow is 06:00 UTC
    memo, tashkent, visit, old = await _partners_news(db)
    for user_id in (ALMATY, MOSCOW):
        for article in (memo, tashkent, visit):
            await owe_digest(db, user_id, article, at(1))
        await owe_digest(db, user_id, old, at(1) - timedelta(hours=30))  # outside the last 24 h
        tg.user(user_id)

    assert await service.run_due(at(3, 59)) == 0
    assert await service.run_due(at(4)) == 1
    (almaty,) = texts(tg, ALMATY)
    assert texts(tg, MOSCOW) == []
    assert almaty.startswith("Сводка за 10.03.2025: 3 новости")
    assert "Новости сгруппированы по стране-партнёру" in almaty  # the headings are explained
    kz, uz = almaty.index("— Партнёр: 🇰🇿 Казахстан —"), almaty.index("— Партнёр: 🇺🇿 Узбекистан —")
    assert kz < almaty.index(memo_title := "Вологда и Алматинская область: меморандум") < uz
    assert kz < almaty.index("Делегация Алматы посетила Вологду") < uz  # same partner country, same group
    assert uz < almaty.index("Вологодская область и Ташкент договорились о поставках")
    assert "Старая новость" not in almaty and almaty.count(memo_title) == 1

    assert await service.run_due(at(6)) == 1  # Moscow's hour; Almaty's is done
    assert len(texts(tg, MOSCOW)) == 1 and len(texts(tg, ALMATY)) == 1

    restarted = DigestService(db, service.sender, grace_hours=6)  # a restart on digest day
    assert await restarted.run_due(at(6, 1)) == 0
    assert await restarted.run_due(at(9)) == 0
    assert len(texts(tg, MOSCOW)) == 1 and len(texts(tg, ALMATY)) == 1


async def test_empty_digest_is_silent_unless_no_news_notes(
    tg: FakeTelegram, db: Database, service: DigestService
) -> None:
    await add_users(db, [QUIET])
    await add_users(db, [NOTES], no_news_notes=True)
    tg.user(QUIET), tg.user(NOTES)
    assert await service.run_due(at(6)) == 1
    assert texts(tg, QUIET) == []
    (note,) = texts(tg, NOTES)
    assert "0 новостей" in note and "новостей о сотрудничестве по вашим подпискам не было" in note
    assert await service.run_due(at(6, 1)) == 0  # the quiet user's empty day is recorded too: checked once


async def test_digest_missed_during_downtime_is_caught_up_within_grace_only(
    tg: FakeTelegram, db: Database, service: DigestService
) -> None:
    await add_users(db, [MOSCOW])  # 09:00 Moscow = 06:00 UTC; grace 6 h → until 12:00 UTC
    await add_users(db, [LATE], digest_hour=7)  # 07:00 Moscow = 04:00 UTC; grace until 10:00 UTC
    (memo, *_rest) = await _partners_news(db)
    for user_id in (MOSCOW, LATE):
        await owe_digest(db, user_id, memo, at(2))
        tg.user(user_id)
    # the bot was down from 03:00 to 11:00 UTC; on start it runs the due digests at once
    assert await service.run_due(at(11)) == 1
    assert len(texts(tg, MOSCOW)) == 1
    assert texts(tg, LATE) == []  # its 07:00 digest is five hours past grace: not sent at lunchtime
    assert await service.run_due(at(11, 30)) == 0


async def test_digest_command_sends_what_gathered_now(tg: FakeTelegram, db: Database) -> None:
    service_box: list[DigestService] = []

    async def digest_now(user_id: int) -> bool:
        return await service_box[0].send_now(user_id)

    async with run_bot(tg, db, digest_now=digest_now) as running:
        service_box.append(DigestService(db, Sender(running.bot, db)))
        user = tg.user(4_000_010, "Анна")
        user.send("/start")
        await user.wait_for(1)
        memo = await add_article(db, "Вологодская и Алматинская области подписали меморандум")
        await owe_digest(db, user.chat_id, memo, datetime.now(UTC) - timedelta(hours=1))
        user.send("/digest")
        (digest,) = await user.wait_for(1)
        assert "1 новость" in digest.text and "подписали меморандум" in digest.text
        user.send("/digest")  # asked again: the item went out already
        (again,) = await user.wait_for(1)
        assert "меморандум" not in again.text and "не было" in again.text


async def test_digest_of_200_items_splits_between_items_never_inside_one(
    tg: FakeTelegram, db: Database, service: DigestService
) -> None:
    await add_users(db, [MOSCOW])
    tg.user(MOSCOW)
    partners = ("KZ-19", "UZ-TO", "KG-C", "BY-HM")
    summary = "Стороны обсудили поставки, логистику и совместные проекты в промышленности и сельском хозяйстве. " * 4
    articles = []
    for i in range(200):
        article = await add_article(
            db, f"Новость №{i:03d}: Вологодская область & партнёры <расширяют> сотрудничество",
            parties=(("RU-VLG", partners[i % 4]),), summary=summary, url=f"http://127.0.0.1/news/{i:03d}",
        )
        await owe_digest(db, MOSCOW, article, at(1))
        articles.append(article)

    assert await service.run_due(at(6)) == 1
    messages: list[SentMessage] = tg.messages(MOSCOW)
    assert len(messages) > 5  # really split
    assert all(len(m.text) <= 4096 for m in messages)  # the fake refuses longer ones anyway
    for i in range(200):
        title = f"Новость №{i:03d}: Вологодская область & партнёры <расширяют> сотрудничество"
        holding = [m for m in messages if title in m.text]
        assert len(holding) == 1, f"item {i} appears in {len(holding)} messages"
        # the whole item travels together: its link and its party line sit in the same message
        assert f'href="http://127.0.0.1/news/{i:03d}"' in holding[0].raw_text
        block = holding[0].text.split(title, 1)[1]
        assert re.search(r"Читать статью\n🇷🇺 Вологодская область ↔", block)
    headings = [line for m in messages for line in m.text.splitlines() if line.startswith("— ")]
    assert len(headings) == 4  # one heading per partner, never repeated or orphaned
    assert all(not m.text.rstrip().endswith("—") for m in messages)


async def test_digest_items_say_why_they_matched_with_event_and_tags(
    tg: FakeTelegram, db: Database, service: DigestService
) -> None:
    await add_users(db, [ALMATY], timezone="Asia/Almaty")
    async with db.write() as uow:
        sub, _ = await uow.subscriptions.add(ALMATY, "topic", topic="agriculture", label="agriculture", mode="digest")
        await uow.commit()
    memo = await add_article(db, "Вологодская и Алматинская области подписали меморандум", topics=("agriculture",))
    await owe_digest(db, ALMATY, memo, at(1), subscription_id=sub.id)
    tg.user(ALMATY)
    assert await service.run_due(at(4)) == 1
    (text,) = texts(tg, ALMATY)
    assert "Подписан меморандум" in text and "#сельхоз" in text
    assert "По вашей подписке: Сельское хозяйство" in text
