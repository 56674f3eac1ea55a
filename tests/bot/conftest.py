"""A running bot against the fake Bot API and a real migrated database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from app.bot_config import bot_config
from app.settings import Settings
from bot.factory import build_bot, build_dispatcher
from sandbox.fake_api import CallbackQueryRecord, FakeTelegram, FakeUser, SentMessage
from storage import Database
from storage.repositories.articles import NewArticle
from storage.repositories.sources import SourceSpec

ADMIN_ID = 999


@dataclass
class RunningBot:
    tg: FakeTelegram
    db: Database
    settings: Settings
    dp: Dispatcher
    bot: Bot


@asynccontextmanager
async def run_bot(tg: FakeTelegram, db: Database, **kwargs: Any) -> AsyncIterator[RunningBot]:
    """Poll the fake API until the block ends; a fresh Dispatcher every time (like a process restart)."""
    settings = Settings(
        _env_file=None,
        bot_token=tg.token,
        telegram_api_url=tg.base_url,
        database_url=db.url,
        admin_ids=[ADMIN_ID],
        send_rate_per_chat=30,  # the fake's limits are off here; tests talk fast to one chat
    )
    bot = build_bot(bot_config(settings))
    dp = build_dispatcher(db, bot_config(settings), **kwargs)
    task = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, handle_signals=False))
    await tg.state.updates.wait_parked()
    try:
        yield RunningBot(tg, db, settings, dp, bot)
    finally:
        await dp.stop_polling()
        await task


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_rate=None, global_rate=None) as server:
        yield server


@pytest.fixture
async def running(tg: FakeTelegram, db: Database) -> AsyncIterator[RunningBot]:
    async with run_bot(tg, db) as harness:
        yield harness


async def ask(user: FakeUser, text: str, count: int = 1) -> SentMessage:
    """Send text and return the bot's last reply."""
    user.send(text)
    return (await user.wait_for(count))[-1]


def current(user: FakeUser, message_id: int) -> SentMessage:
    return next(m for m in user.messages() if m.message_id == message_id)


async def tap(
    user: FakeUser, message: SentMessage, data: str | None = None, *, label: str | None = None
) -> SentMessage:
    """Tap a button and wait until the tapped message was edited (or the tap answered); return it fresh."""
    before = message.edited
    answered = len(user.callback_answers)
    if label is not None:
        user.tap_button(message, label)
    else:
        assert data is not None
        user.tap(message, data)
    await user.wait_until(
        lambda: current(user, message.message_id).edited > before or len(user.callback_answers) > answered
    )
    await user.wait_until(lambda: len(user.callback_answers) > answered)
    return current(user, message.message_id)


def button_data(message: SentMessage, startswith: str) -> str:
    """The callback data of the first button whose label starts with the text."""
    for label, data in message.buttons:
        if label.startswith(startswith) and data is not None:
            return data
    raise AssertionError(f"no button starting with {startswith!r} in {message.buttons}")


ArticleSeed = Callable[..., Awaitable[int]]


@pytest.fixture
def add_article(db: Database) -> ArticleSeed:
    """Store one composed article (and its source) and return its id."""

    async def add(
        title: str,
        body: str,
        *,
        regions: tuple[str, ...] = (),
        parties: tuple[tuple[str, str], ...] = (),
        topics: tuple[str, ...] = (),
        days_ago: float = 1,
        source: str = "test-src",
        cooperation: bool = True,
        url: str | None = None,
    ) -> int:
        async with db.write() as uow:
            # sync_one, not sync: sync would disable every source missing from its list
            await uow.sources.sync_one(SourceSpec(source, f"Source {source}", f"http://127.0.0.1/{source}/"))
            article = await uow.articles.add(
                NewArticle(
                    source_id=source,
                    url=url or f"http://127.0.0.1/{source}/{abs(hash(title))}",
                    title=title,
                    body=body,
                    summary=body[:200],
                    published_at=datetime.now(UTC) - timedelta(days=days_ago),
                    is_cooperation=cooperation,
                    event_type="agreement",
                    mentioned=regions,
                    parties=parties,
                    topics=topics,
                )
            )
            await uow.commit()
            return article.id

    return add


def forge_tap(tg: FakeTelegram, user: FakeUser, message: SentMessage, data: str) -> str:
    """Send a callback query with any data, as a modified client could (FakeUser.tap presses real buttons only)."""
    state = tg.state
    query_id = state.new_callback_id()
    state.callbacks[query_id] = CallbackQueryRecord(query_id, user.chat_id, message.message_id, data)
    state.updates.push(
        "callback_query",
        {
            "id": query_id,
            "from": user.profile,
            "message": message.to_api(state.bot_user),
            "chat_instance": f"ci{user.chat_id}",
            "data": data,
        },
    )
    return query_id


async def forged_answer(tg: FakeTelegram, user: FakeUser, message: SentMessage, data: str) -> str | None:
    """Forge a tap and return the bot's answer text once it has answered."""
    query_id = forge_tap(tg, user, message, data)
    await user.wait_until(lambda: tg.state.callbacks[query_id].answered)
    return tg.state.callbacks[query_id].text
