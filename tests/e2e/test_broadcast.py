"""Broadcasts through the outbox: thousands of subscribers within Telegram's limits, and users who left."""

from __future__ import annotations

from bot.sender import Sender
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.e2e.conftest import add_article, add_users, deliveries_of, drain, match, statuses, throttled_bot

# Both sides scaled so 2,000 messages take seconds: the fake allows 200/s, our throttle aims just under
# (about what one sender on this machine can push, so the throttle, not luck, keeps the rate).
FAKE_GLOBAL_LIMIT = 200
THROTTLE_RATE = 190.0
SUBSCRIBERS = 2_000


async def test_two_thousand_subscribers_each_get_one_alert_within_limits(db: Database) -> None:
    user_ids = await add_users(db, range(1_000_001, 1_000_001 + SUBSCRIBERS), region="RU-VLG")
    article = await add_article(db, "Вологодская и Алматинская области подписали меморандум")
    assert len((await match(db, article)).instant) == SUBSCRIBERS

    async with FakeTelegram(global_rate=FAKE_GLOBAL_LIMIT) as tg:
        for user_id in user_ids:
            tg.user(user_id)  # each official has opened the bot once
        bot = throttled_bot(tg, global_rate=THROTTLE_RATE)
        try:
            assert await drain(Sender(bot, db)) == SUBSCRIBERS
        finally:
            await bot.session.close()
        assert tg.flood_violations == 0, tg.flood_log[:5]
        assert tg.max_sends_in_window(1.0) <= FAKE_GLOBAL_LIMIT
        assert all(len(tg.messages(user_id)) == 1 for user_id in user_ids)
        assert "меморандум" in tg.messages(user_ids[-1])[0].text
    assert await statuses(db) == {"sent": SUBSCRIBERS}


async def test_user_who_blocked_the_bot_is_deactivated_and_others_still_receive(db: Database) -> None:
    user_ids = await add_users(db, range(2_000_001, 2_000_006), region="RU-VLG")
    blocker = user_ids[2]
    first = await add_article(db, "Вологодская область и Алматинская область: меморандум подписан")
    second = await add_article(db, "Делегация Алматинской области прибыла в Вологду", topics=("trade",))
    await match(db, first)
    await match(db, second)

    async with FakeTelegram() as tg:
        for user_id in user_ids:
            tg.user(user_id)
        tg.block(blocker)
        bot = throttled_bot(tg)
        try:
            assert await drain(Sender(bot, db)) == 10
        finally:
            await bot.session.close()
        assert tg.messages(blocker) == []
        assert [r.error_code for r in tg.rejections] == [403]  # one refusal, then the chat is left alone
        assert all(len(tg.messages(u)) == 2 for u in user_ids if u != blocker)

    async with db.read() as uow:
        user = await uow.users.get(blocker)
        assert user is not None and not user.active and user.deactivated_at is not None
    assert [d.status for d in await deliveries_of(db, blocker)] == ["dropped", "dropped"]
    assert await statuses(db) == {"sent": 8, "dropped": 2}
    third = await add_article(db, "Вологодская область и Казахстан обсудили поставки леса", parties=(("RU-VLG", "KZ"),))
    assert blocker not in (await match(db, third)).instant  # a user who left is no longer matched
