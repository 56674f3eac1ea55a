"""Telegram's flood control: about 1 message/s per chat (short bursts tolerated), 30/s per bot,
and 20 messages in any minute to one group, supergroup or channel (negative chat ids)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.fake_api.errors import too_many_requests

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Configuration; None disables a limit."""

    per_chat_rate: float | None = 1.0
    per_chat_burst: int = 3
    global_rate: int | None = 30
    global_window: float = 1.0
    group_rate: int | None = 20
    group_window: float = 60.0


@dataclass(frozen=True)
class SendRecord:
    """One accepted send: when (on the limiter's clock), to whom, by which method."""

    at: float
    chat_id: int
    method: str


@dataclass(frozen=True)
class FloodViolation:
    """One 429 handed out, and which limit the bot overran."""

    at: float
    chat_id: int
    scope: str  # "chat", "group" or "global"
    retry_after: int


class _TokenBucket:
    """Refills `rate` tokens a second up to `capacity`; a send spends one."""

    def __init__(self, rate: float, capacity: int, now: float) -> None:
        self.rate = rate
        self.capacity = float(capacity)
        self.tokens = float(capacity)
        self.updated = now

    def seconds_until_token(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def spend(self) -> None:
        self.tokens -= 1.0


class FloodGuard:
    """Admits or refuses sends and keeps the evidence tests compute rates from."""

    def __init__(self, limits: RateLimits, clock: Clock) -> None:
        self.limits = limits
        self.clock = clock
        self.send_log: list[SendRecord] = []
        self.violations: list[FloodViolation] = []
        self._buckets: dict[int, _TokenBucket] = {}
        self._recent: deque[float] = deque()
        self._group_recent: dict[int, deque[float]] = {}

    def admit(self, chat_id: int, method: str) -> None:
        """Record a send to `chat_id`, or raise a 429 ApiError (and record the violation)."""
        now = self.clock()
        wait, scope = self._chat_wait(chat_id, now), "chat"
        if wait <= 0:
            wait, scope = self._group_wait(chat_id, now), "group"
        if wait <= 0:
            wait, scope = self._global_wait(now), "global"
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            self.violations.append(FloodViolation(now, chat_id, scope, retry_after))
            raise too_many_requests(retry_after)
        if self.limits.per_chat_rate is not None:
            self._buckets[chat_id].spend()
        self._recent.append(now)
        if chat_id < 0 and self.limits.group_rate is not None:
            self._group_recent.setdefault(chat_id, deque()).append(now)
        self.send_log.append(SendRecord(now, chat_id, method))

    def _chat_wait(self, chat_id: int, now: float) -> float:
        rate = self.limits.per_chat_rate
        if rate is None:
            return 0.0
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = _TokenBucket(rate, self.limits.per_chat_burst, now)
        return bucket.seconds_until_token(now)

    def _group_wait(self, chat_id: int, now: float) -> float:
        limit, window = self.limits.group_rate, self.limits.group_window
        if limit is None or chat_id >= 0:
            return 0.0
        recent = self._group_recent.setdefault(chat_id, deque())
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) < limit:
            return 0.0
        return recent[0] + window - now

    def _global_wait(self, now: float) -> float:
        limit, window = self.limits.global_rate, self.limits.global_window
        if limit is None:
            return 0.0
        while self._recent and self._recent[0] <= now - window:
            self._recent.popleft()
        if len(self._recent) < limit:
            return 0.0
        return self._recent[0] + window - now

    def max_in_window(self, window: float = 1.0, chat_id: int | None = None) -> int:
        """Most accepted sends inside any `window`-second span (optionally to one chat)."""
        times = [record.at for record in self.send_log if chat_id is None or record.chat_id == chat_id]
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best
