"""The bot's update queue and getUpdates long polling, with Telegram's offset semantics."""

from __future__ import annotations

import asyncio
from typing import Any

from sandbox.fake_api.errors import POLLING_CONFLICT

# Update types Telegram withholds unless allowed_updates names them explicitly.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Unconfirmed updates; one getUpdates at a time, a newer call terminates the older one."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._allowed: frozenset[str] | None = None
        self._arrived = asyncio.Event()
        self._generation = 0
        self._closed = False
        self._parked = asyncio.Event()

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by an offset."""
        return list(self._pending)

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update of type `kind`; returns its update_id."""
        self._last_update_id += 1
        self._pending.append({"update_id": self._last_update_id, kind: payload})
        self._parked.clear()  # the waiting poll is about to return: the bot is busy, not idle
        self._wake()
        return self._last_update_id

    def drop_pending(self) -> None:
        """deleteWebhook(drop_pending_updates=True)."""
        self._pending.clear()

    def close(self) -> None:
        """Release a waiting long poll with an empty answer (server shutting down)."""
        self._closed = True
        self._wake()

    async def fetch(
        self, offset: int | None, limit: int, wait_seconds: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm below `offset`, then wait up to `wait_seconds` for something to deliver."""
        self.set_allowed(allowed)
        self._confirm(offset)
        self._generation += 1
        generation = self._generation
        self._wake()  # an older poll still waiting must see it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            if generation != self._generation:
                raise POLLING_CONFLICT
            ready = self._deliverable(limit)
            remaining = deadline - loop.time()
            if ready or self._closed or remaining <= 0:
                return ready
            arrived = self._arrived
            self._parked.set()
            try:
                async with asyncio.timeout(remaining):
                    await arrived.wait()
            except TimeoutError:
                continue  # loop once more: deliver what came in at the last moment, else []
            finally:
                if generation == self._generation:  # a newer poll may be parked already
                    self._parked.clear()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """allowed_updates of setWebhook (or of getUpdates): kept until the next call that gives them."""
        if allowed is not None:
            self._allowed = frozenset(allowed) or None

    async def next_deliverable(self) -> dict[str, Any]:
        """The oldest update the bot wants, once there is one (webhook delivery; it stays until confirmed)."""
        while True:
            ready = self._deliverable(1)
            if ready:
                return ready[0]
            await self._arrived.wait()

    def confirm_one(self, update_id: int) -> None:
        """The webhook answered 2xx: the update is delivered."""
        self._pending = [update for update in self._pending if update["update_id"] != update_id]

    async def wait_parked(self) -> None:
        """Return once a getUpdates call is waiting for updates (the bot is polling)."""
        await self._parked.wait()

    def _wake(self) -> None:
        self._arrived.set()
        self._arrived = asyncio.Event()

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        else:
            self._pending = self._pending[offset:]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Updates of types the bot did not ask for are forgotten, as Telegram never sends them.
        self._pending = [update for update in self._pending if self._wanted(update)]
        return self._pending[: max(1, min(limit, 100))]

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed is None:
            return kind not in OPT_IN_TYPES
        return kind in self._allowed
