"""A send rate shared by several processes: a sliding one-second window of grants on one shared clock.

Telegram counts about 30 messages in any second. Each rate keeps the times of its last n grants
(n = rate × 1 s): a send may go when the n-th latest grant is a second old and the latest is at least
half a step (0.5 / rate s) ago. Granted at the moment of sending, never reserved ahead, so a process
that wakes late cannot bunch sends up; a late send does not lose its share either (the window lets
the next ones catch up, half a step apart). No one-second window holds more than n grants, whichever
process made them, and no two are closer than half a step. The clock is the database's or Redis's,
never the hosts': a caller only sleeps the difference it is told. Kept in PostgreSQL (one row of
`rate_slots`) or, when REDIS_URL is set, in one Redis list updated by a Lua script.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

DEFAULT_NAME = "telegram"
KEY_PREFIX = "coopnews:rate:"
KEY_TTL_SECONDS = 3600  # an idle rate's key disappears; the next send starts it afresh
WINDOW = 1.0
GAP_SHARE = 0.5  # the closest two grants may be, in steps of 1/rate: catch-up goes at twice the rate at most

_NOW = "extract(epoch FROM clock_timestamp())::double precision"
_TAKE_SQL = text(
    f"""
    INSERT INTO rate_slots (name, last_at, recent) VALUES (:name, {_NOW}, ARRAY[{_NOW}])
    ON CONFLICT (name) DO UPDATE SET
        last_at = {_NOW},
        recent = (rate_slots.recent || {_NOW})[GREATEST(1, cardinality(rate_slots.recent) + 2 - :n):]
    WHERE (cardinality(rate_slots.recent) < :n
           OR rate_slots.recent[cardinality(rate_slots.recent) + 1 - :n] <= {_NOW} - :window)
      AND rate_slots.last_at <= {_NOW} - :gap
    RETURNING 0.0
    """
)
_WAIT_SQL = text(
    f"""
    SELECT GREATEST(
        CASE WHEN cardinality(recent) >= :n THEN recent[cardinality(recent) + 1 - :n] + :window ELSE 0 END,
        last_at + :gap) - {_NOW}
    FROM rate_slots WHERE name = :name
    """
)

# KEYS[1] the rate's list (newest first); ARGV: n, window, gap, key TTL. Returns "0" when the send may
# go now (and records it), else how long to wait, as text (a Lua number would come back as an integer).
_TAKE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local n, window, gap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
local newest = redis.call('LINDEX', KEYS[1], 0)
if newest then wait = math.max(wait, tonumber(newest) + gap - now) end
if redis.call('LLEN', KEYS[1]) >= n then
  wait = math.max(wait, tonumber(redis.call('LINDEX', KEYS[1], n - 1)) + window - now)
end
if wait > 0 then return string.format('%.6f', wait) end
redis.call('LPUSH', KEYS[1], string.format('%.6f', now))
redis.call('LTRIM', KEYS[1], 0, n - 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return '0'
"""


def window_size(rate: float) -> int:
    """How many grants one window holds: the rate's whole messages per second, at least one."""
    return max(1, math.floor(rate * WINDOW))


class DatabaseRateSlots:
    """The shared rate in PostgreSQL's `rate_slots` table."""

    def __init__(self, engine: AsyncEngine, rate: float, name: str = DEFAULT_NAME) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("a database-held send rate needs PostgreSQL")
        self.engine, self.name = engine, name
        self._values = {"name": name, "n": window_size(rate), "window": WINDOW, "gap": GAP_SHARE / rate}

    async def take(self) -> float:
        """0 when a send may go now (and it is counted); otherwise the seconds to wait before asking again."""
        values = self._values
        async with self.engine.begin() as conn:
            if await conn.scalar(_TAKE_SQL, values) is not None:
                return 0.0
            wait = await conn.scalar(_WAIT_SQL, values)
        return max(0.001, float(wait or 0.0))

    async def close(self) -> None:
        """The engine belongs to the Database; nothing of our own to close."""


class RedisRateSlots:
    """The shared rate in one Redis key (REDIS_URL)."""

    def __init__(self, url: str, rate: float, name: str = DEFAULT_NAME) -> None:
        from redis.asyncio import Redis

        self.client: Any = Redis.from_url(url)
        self.key = KEY_PREFIX + name
        self._args: list[str | int] = [window_size(rate), repr(WINDOW), repr(GAP_SHARE / rate), KEY_TTL_SECONDS]
        self._script = self.client.register_script(_TAKE_LUA)

    async def take(self) -> float:
        """As DatabaseRateSlots.take, in one Lua script (atomic in Redis)."""
        wait = float(await self._script(keys=[self.key], args=self._args))
        return 0.0 if wait <= 0 else max(0.001, wait)

    async def close(self) -> None:
        await self.client.aclose()


__all__ = ["DatabaseRateSlots", "RedisRateSlots"]
