"""One rate limiter for everything the process sends, installed on the Bot's session.

Telegram's limits are per bot token, so handler replies, alerts, digests and admin notices must
share them. Every sending method waits for its chat's bucket and the global one; messages to a
group, supergroup or channel (negative chat ids) also wait for that chat's per-minute window. A
429 pauses all sending for `retry_after` and the request is tried again.

Several processes on one token (roles on PostgreSQL) share the global rate through a SharedRate
(storage.rate_slots): each send is granted there instead of by this process's limiter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

from bot.i18n import N_
from bot.sliding_window import SlidingWindow

log = logging.getLogger(__name__)
SENDING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "forwardMessage", "copyMessage"}
)
GLOBAL_BURST = 2
PER_CHAT_BURST = 2  # Telegram tolerates short bursts in one chat; stay a step below what it allows
MAX_RETRY_AFTER_ATTEMPTS = 5
MAX_TRACKED_CHATS = 10_000


class SharedRate(Protocol):
    """A global rate kept outside the process: take() returns 0 when a send may go now (and counts it),
    else how many seconds to wait before asking again."""

    async def take(self) -> float: ...


class TelegramThrottle(BaseRequestMiddleware):
    def __init__(
        self,
        global_rate: float = 25.0,
        per_chat_rate: float = 1.0,
        *,
        group_rate: int = 20,
        group_window: float = 60.0,
        shared: SharedRate | None = None,
    ) -> None:
        # a bucket of 2: a late wake-up is not lost (capacity 1 delivered ~24.1/s of 25), and no
        # sliding one-second window can hold more than rate + 2 messages
        self._global = AsyncLimiter(GLOBAL_BURST, GLOBAL_BURST / global_rate)
        self.shared = shared
        self._shared_failing = False
        self._shared_turn = asyncio.Lock()  # one of our requests asks the shared rate at a time
        self._per_chat_rate = per_chat_rate
        self._chats: OrderedDict[Any, AsyncLimiter] = OrderedDict()
        # Telegram allows about 20 messages a minute in one group: a sliding window, never a burst above it
        self._group_rate, self._group_window = group_rate, group_window
        self._groups: OrderedDict[Any, SlidingWindow] = OrderedDict()
        self._resume_at = 0.0  # loop time before which nothing is sent (after a 429)
        self.retries = 0

    def _chat_bucket(self, chat_id: Any) -> AsyncLimiter:
        bucket = self._chats.pop(chat_id, None) or AsyncLimiter(PER_CHAT_BURST, PER_CHAT_BURST / self._per_chat_rate)
        self._chats[chat_id] = bucket
        if len(self._chats) > MAX_TRACKED_CHATS:
            self._chats.popitem(last=False)
        return bucket

    def group_delay(self, chat_id: int) -> float:
        """Seconds before a message to this group or channel could go out (0 for people and for free windows).

        The sender asks first and postpones a group's alerts rather than hold one of its workers a minute.
        """
        window = self._groups.get(chat_id)
        return window.delay() if window is not None else 0.0

    def _group_window_of(self, chat_id: Any) -> SlidingWindow | None:
        """The per-minute window of a group, supergroup or channel (their ids are negative); None for people."""
        if not isinstance(chat_id, int) or chat_id >= 0:
            return None
        window = self._groups.pop(chat_id, None) or SlidingWindow(self._group_rate, self._group_window)
        self._groups[chat_id] = window
        if len(self._groups) > MAX_TRACKED_CHATS:
            self._groups.popitem(last=False)
        return window

    @contextlib.asynccontextmanager
    async def _global_turn(self) -> AsyncIterator[None]:
        """Wait for the global rate: the shared slot when there is one, else this process's limiter."""
        if self.shared is not None and await self._shared_grant():
            yield
            return
        async with self._global:
            yield

    async def _shared_grant(self) -> bool:
        """Wait until the shared rate lets one send go; False when it cannot be reached (then pace locally)."""
        assert self.shared is not None
        async with self._shared_turn:
            while True:
                try:
                    wait = await self.shared.take()
                except Exception as exc:  # the shared store is down: keep sending, paced by this process alone
                    if not self._shared_failing:
                        log.warning(N_("shared send rate unavailable (%s); this process paces itself"),
                                    type(exc).__name__)
                    self._shared_failing = True
                    return False
                if self._shared_failing:
                    log.info(N_("shared send rate available again"))
                    self._shared_failing = False
                if wait <= 0:
                    return True
                await asyncio.sleep(wait)

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        if method.__api_method__ not in SENDING_METHODS:
            return await make_request(bot, method)
        loop = asyncio.get_running_loop()
        chat_id = getattr(method, "chat_id", None)
        group = self._group_window_of(chat_id)
        for attempt in range(1, MAX_RETRY_AFTER_ATTEMPTS + 1):
            async with group or contextlib.nullcontext(), self._chat_bucket(chat_id):
                if (pause := self._resume_at - loop.time()) > 0:
                    await asyncio.sleep(pause)
                async with self._global_turn():
                    try:
                        return await make_request(bot, method)
                    except TelegramRetryAfter as exc:
                        if attempt == MAX_RETRY_AFTER_ATTEMPTS:
                            raise
                        self.retries += 1
                        self._resume_at = max(self._resume_at, loop.time() + exc.retry_after)
                        log.warning(N_("Telegram asked to wait %s s (chat %s); pausing sends"),
                                    exc.retry_after, chat_id)
        raise AssertionError("unreachable")  # the loop returns or raises
