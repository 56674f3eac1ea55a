"""A broadcast into many groups keeps Telegram's per-group limit (20 a minute), scaled down to 2 per 1.5 s.

The scale keeps the test fast: the sender commits each message it sent, and that, not the limit,
bounds how many messages a second it pushes here.
"""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.sender import Sender
from bot.throttle import TelegramThrottle
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.e2e.conftest import add_article, add_users, match, statuses

GROUPS = 50
PER_GROUP = 2  # the fake and the throttle agree: 2 messages in any 1.5 seconds to one group
WINDOW = 1.5
ARTICLES = 3  # more than the limit per group, so the window has to hold some back


def group_bot(tg: FakeTelegram) -> Bot:
    """Global and per-chat rates well above what 350 messages need: only the group window may pace them."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(tg.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    bot.session.middleware(TelegramThrottle(1000.0, 100.0, group_rate=PER_GROUP, group_window=WINDOW))
    return bot


async def test_fifty_groups_get_every_alert_and_no_group_gets_more_than_its_limit(db: Database) -> None:
    group_ids = await add_users(db, range(-1_000_050, -1_000_000), region="RU-VLG", chat_type="group")
    for n in range(ARTICLES):
        article = await add_article(db, f"Вологодская и Алматинская области подписали соглашение № {n + 1}")
        assert len((await match(db, article)).instant) == GROUPS

    async with FakeTelegram(
        per_chat_rate=None, global_rate=None, group_rate=PER_GROUP, group_window=WINDOW
    ) as tg:
        owner = tg.user(77, "Ольга")
        groups = [tg.group(group_id, f"Группа {group_id}", creator=owner) for group_id in group_ids]
        bot = group_bot(tg)
        stop = asyncio.Event()
        # the sender's own loop: a group at its limit has its alerts postponed, and the loop wakes when they fall due
        sending = asyncio.create_task(Sender(bot, db).run(stop))
        try:
            for group in groups:
                await group.wait_for(ARTICLES, timeout=10)
        finally:
            stop.set()
            await sending
            await bot.session.close()
        assert tg.flood_violations == 0, tg.flood_log[:5]
        assert all(len(group.messages()) == ARTICLES for group in groups)
        assert max(tg.max_sends_in_window(WINDOW, group_id) for group_id in group_ids) == PER_GROUP
    assert await statuses(db) == {"sent": GROUPS * ARTICLES}
