"""A gate that parks sends past a chosen count, so a test can kill a sender at a known point."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

# Methods that deliver a message; only these are counted and held.
HELD_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})


class SendGate:
    """Sends beyond `limit` accepted ones wait unanswered until released or abandoned.

    Held requests have not reached Telegram's delivery step: nothing is recorded for them. Abandoned
    ones (their client was killed) are never answered and never delivered; they are cancelled on close.
    """

    def __init__(self, accepted: Callable[[], int]) -> None:
        self._accepted = accepted
        self.limit: int | None = None
        self._held: dict[asyncio.Task[object], asyncio.Future[bool]] = {}
        self._changed = asyncio.Event()

    @property
    def held(self) -> int:
        return len(self._held)

    def hold_after(self, count: int) -> None:
        """Accept sends until `count` were accepted in all, then park every further one."""
        self.limit = count

    def release(self) -> None:
        """Let parked sends proceed, in arrival order, and stop holding."""
        self.limit = None
        for waiter in self._held.values():
            if not waiter.done():
                waiter.set_result(True)

    def abandon(self) -> None:
        """Stop holding new sends; parked ones stay unanswered forever (their sender is gone)."""
        self.limit = None

    def cancel_all(self) -> None:
        """Server shutdown: cancel the handlers still parked."""
        for task in list(self._held):
            task.cancel()

    async def wait_turn(self, method: str) -> None:
        """Return when this request may be handled; park it while the gate is closed."""
        if method.lower() not in HELD_METHODS or self.limit is None or self._accepted() < self.limit:
            return
        task = asyncio.current_task()
        assert task is not None
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._held[task] = waiter
        self._signal()
        try:
            await waiter
        finally:
            del self._held[task]
            self._signal()

    async def wait_held(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until at least `count` sends are parked."""
        async with asyncio.timeout(timeout):
            while self.held < count:
                self._changed.clear()
                await self._changed.wait()

    def _signal(self) -> None:
        self._changed.set()
