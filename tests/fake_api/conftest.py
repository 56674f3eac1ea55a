"""Fixtures: a running FakeTelegram and a real aiogram Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox.fake_api import FakeTelegram


class ManualClock:
    """A limiter clock the test moves by hand, so rate tests need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def bot_for(telegram: FakeTelegram, token: str | None = None) -> Bot:
    """A real aiogram Bot talking HTML to the fake over 127.0.0.1."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url))
    return Bot(token or telegram.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake with rate limits off; rate-limit tests build their own."""
    async with FakeTelegram(per_chat_rate=None, global_rate=None) as fake:
        yield fake


@pytest.fixture
async def make_bot() -> AsyncIterator[Callable[..., Bot]]:
    """Build bots for a fake; their HTTP sessions are closed after the test."""
    bots: list[Bot] = []

    def build(telegram: FakeTelegram, token: str | None = None) -> Bot:
        bots.append(bot_for(telegram, token))
        return bots[-1]

    yield build
    for bot in bots:
        await bot.session.close()


@pytest.fixture
async def bot(telegram: FakeTelegram, make_bot: Callable[..., Bot]) -> Bot:
    return make_bot(telegram)
