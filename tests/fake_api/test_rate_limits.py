"""Flood control: per-chat bursts and the global 30/s window answer 429 with retry_after."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter

from sandbox.fake_api import FakeTelegram
from sandbox.fake_api.rate_limits import FloodGuard, RateLimits
from tests.fake_api.conftest import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def limited(clock: ManualClock) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_rate=1.0, per_chat_burst=3, global_rate=30, clock=clock) as fake:
        yield fake


async def test_burst_over_per_chat_limit_gets_retry_after(
    limited: FakeTelegram, clock: ManualClock, make_bot: Callable[..., Bot]
) -> None:
    bot = make_bot(limited)
    limited.user(201)
    for number in range(3):  # the burst allowance
        await bot.send_message(201, f"новость {number}")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(201, "лишняя")
    assert refused.value.retry_after == 1
    assert limited.flood_violations == 1
    assert limited.flood_log[0].scope == "chat" and limited.flood_log[0].chat_id == 201
    clock.advance(1.0)
    await bot.send_message(201, "после паузы")
    assert len(limited.messages(201)) == 4
    assert limited.max_sends_in_window(1.0, chat_id=201) == 3


async def test_global_limit_spans_all_chats(
    limited: FakeTelegram, clock: ManualClock, make_bot: Callable[..., Bot]
) -> None:
    bot = make_bot(limited)
    for chat_id in range(300, 331):
        limited.user(chat_id)
    for chat_id in range(300, 330):
        await bot.send_message(chat_id, "дайджест")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(330, "тридцать первый")
    assert limited.flood_log[-1].scope == "global"
    clock.advance(1.0)
    await bot.send_message(330, "тридцать первый")
    assert limited.max_sends_in_window(1.0) == 30
    assert len(limited.send_log) == 31


def test_per_chat_bucket_refills_at_the_configured_rate() -> None:
    clock = ManualClock()
    guard = FloodGuard(RateLimits(per_chat_rate=0.5, per_chat_burst=1, global_rate=None), clock)
    guard.admit(1, "sendMessage")
    with pytest.raises(Exception, match="retry after 2"):
        guard.admit(1, "sendMessage")
    guard.admit(2, "sendMessage")  # another chat has its own allowance
    clock.advance(2.0)
    guard.admit(1, "sendMessage")
    assert [record.chat_id for record in guard.send_log] == [1, 2, 1]


def test_disabled_limits_admit_everything() -> None:
    guard = FloodGuard(RateLimits(per_chat_rate=None, global_rate=None), ManualClock())
    for _ in range(500):
        guard.admit(1, "sendMessage")
    assert guard.violations == []
