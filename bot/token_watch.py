"""Notice a bot token Telegram no longer accepts, whichever request finds out first.

aiogram's polling loop retries a 401 from getUpdates forever, logging each try; a revoked token
would leave a process that looks alive and never answers. This request middleware calls back
once on the first 401 so the process can stop with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class TokenWatch(BaseRequestMiddleware):
    def __init__(self, on_rejected: Callable[[], None]) -> None:
        self._on_rejected = on_rejected
        self.rejected = False

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramUnauthorizedError:
            if not self.rejected:
                self.rejected = True
                self._on_rejected()
            raise

    def __repr__(self) -> str:  # never show the bot (its token) in a repr
        return f"TokenWatch(rejected={self.rejected})"

