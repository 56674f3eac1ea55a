"""A send rate shared by several processes: GCRA, the generic cell rate algorithm, on one shared clock.

One number per rate, the theoretical arrival time (TAT) of the next send. A send is allowed when
TAT is at most `tolerance` ahead of now; it then moves TAT to max(TAT, now) + 1/rate. Granted at the
moment of sending (not reserved ahead and slept towards), so a process that wakes late cannot bunch
up sends; the tolerance lets a send that is a little late catch up instead of losing its share. No
one-second window holds more than rate + 1 + rate × tolerance sends, whichever process made them.
The clock is the database's or Redis's, never the hosts': a caller only sleeps the difference it is
told. Kept in PostgreSQL (one row of `rate_slots`) or, when REDIS_URL is set, in one Redis key.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

DEFAULT_NAME = "telegram"
KEY_PREFIX = "coopnews:rate:"
KEY_TTL_SECONDS = 3600  # an idle rate's key disappears; the next send starts it afresh
TOLERANCE_STEPS = 0.5  # how late (in sends) a send may be and still catch up

_NOW = "extract(epoch FROM clock_timestamp())::double precision"
_TAKE_SQL = text(
    f"""
    INSERT INTO rate_slots (name, next_at) VALUES (:name, {_NOW} + :step)
    ON CONFLICT (name) DO UPDATE SET next_at = GREATEST(rate_slots.next_at, {_NOW}) + :step
        WHERE rate_slots.next_at - {_NOW} <= :tolerance
    RETURNING 0.0
    """
)
_WAIT_SQL = text(f"SELECT next_at - :tolerance - {_NOW} FROM rate_slots WHERE name = :name")

# KEYS[1] the rate's key; ARGV: seconds per send, tolerance, key TTL. Returns "0" when the send may go
# now, else how long to wait, as text (a Lua number would come back truncated to an integer).
_TAKE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local step, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat - now > tolerance then
  return string.format('%.6f', tat - tolerance - now)
end
if tat < now then tat = now end
redis.call('SET', KEYS[1], string.format('%.6f', tat + step), 'EX', tonumber(ARGV[3]))
return '0'
"""


class DatabaseRateSlots:
    """The shared rate in PostgreSQL's `rate_slots` table."""

    def __init__(self, engine: AsyncEngine, rate: float, name: str = DEFAULT_NAME) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("a database-held send rate needs PostgreSQL")
        self.engine, self.name, self.step = engine, name, 1.0 / rate
        self.tolerance = self.step * TOLERANCE_STEPS

    async def take(self) -> float:
        """0 when a send may go now (and it is counted); otherwise the seconds to wait before asking again."""
        values = {"name": self.name, "step": self.step, "tolerance": self.tolerance}
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
        self.key, self.step = KEY_PREFIX + name, 1.0 / rate
        self.tolerance = self.step * TOLERANCE_STEPS
        self._script = self.client.register_script(_TAKE_LUA)

    async def take(self) -> float:
        """As DatabaseRateSlots.take, in one Lua script (atomic in Redis)."""
        wait = float(await self._script(keys=[self.key], args=[repr(self.step), repr(self.tolerance), KEY_TTL_SECONDS]))
        return 0.0 if wait <= 0 else max(0.001, wait)

    async def close(self) -> None:
        await self.client.aclose()


__all__ = ["DatabaseRateSlots", "RedisRateSlots"]
