"""The admin check's cache: a minute per (chat, person), bounded, and a demotion seen once the minute is over."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from aiogram import Bot

from bot.chat_admins import AdminCache


class StatusBot:
    """Answers getChatMember from a dict the test changes; counts the calls."""

    def __init__(self) -> None:
        self.statuses: dict[tuple[int, int], str] = {}
        self.calls = 0

    async def get_chat_member(self, chat_id: int, user_id: int) -> SimpleNamespace:
        self.calls += 1
        return SimpleNamespace(status=self.statuses.get((chat_id, user_id), "left"))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_answers_are_cached_for_the_ttl_then_asked_again() -> None:
    stub, clock = StatusBot(), Clock()
    bot = cast(Bot, stub)
    cache = AdminCache(ttl=60.0, clock=clock)
    stub.statuses[(-1, 7)] = "administrator"
    assert await cache.is_admin(bot, -1, 7)
    stub.statuses[(-1, 7)] = "member"  # demoted: the cached answer holds for the rest of the minute
    clock.now = 59.0
    assert await cache.is_admin(bot, -1, 7)
    assert stub.calls == 1
    clock.now = 61.0
    assert not await cache.is_admin(bot, -1, 7)
    assert stub.calls == 2


async def test_the_cache_stays_bounded() -> None:
    stub = StatusBot()
    cache = AdminCache(size=3, clock=Clock())
    for user_id in range(10):
        await cache.is_admin(cast(Bot, stub), -1, user_id)
    await cache.is_admin(cast(Bot, stub), -1, 9)  # the newest is kept
    await cache.is_admin(cast(Bot, stub), -1, 0)  # the oldest was evicted
    assert stub.calls == 11
