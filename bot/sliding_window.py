"""A strict sliding-window limiter: at most `limit` requests in any `window` seconds, as Telegram counts them.

A leaky bucket (aiolimiter) lets a full burst through and then refills, so a 60-second span can
hold nearly twice its rate; Telegram's "20 messages per minute per group" is counted over any
minute. So each request holds a slot while in flight and is timed from the moment its answer
came back: Telegram has surely counted it by then, and the request that reuses the slot starts
a full window later.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from types import TracebackType


class SlidingWindow:
    """`async with window:` waits until fewer than `limit` requests finished within the last `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a sliding window needs limit >= 1 and window > 0")
        self.limit, self.window = limit, window
        self._finished: deque[float] = deque()  # loop times at which requests were answered
        self._in_flight = 0
        self._changed = asyncio.Condition()

    def delay(self) -> float:
        """Seconds until a request could start now (0 when a slot is free); requests in flight count as 0."""
        now = asyncio.get_running_loop().time()
        while self._finished and self._finished[0] <= now - self.window:
            self._finished.popleft()
        if len(self._finished) + self._in_flight < self.limit or not self._finished:
            return 0.0
        return self._finished[0] + self.window - now

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._changed:
            while True:
                now = loop.time()
                while self._finished and self._finished[0] <= now - self.window:
                    self._finished.popleft()
                if len(self._finished) + self._in_flight < self.limit:
                    self._in_flight += 1
                    return
                if self._finished:  # the oldest leaves the window then; a finishing request may wake us earlier
                    wait = self._finished[0] + self.window - now
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), timeout=max(wait, 0.0))
                else:  # every slot is in flight: wait for one to finish
                    await self._changed.wait()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        async with self._changed:
            self._in_flight -= 1
            self._finished.append(asyncio.get_running_loop().time())
            self._changed.notify_all()
