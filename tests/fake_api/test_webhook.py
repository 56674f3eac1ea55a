"""The fake's webhook mode: setWebhook makes it POST updates with the secret header, retrying until a 2xx."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiohttp import web

from sandbox.fake_api import FakeTelegram


class Receiver:
    """A webhook endpoint on 127.0.0.1 that answers the statuses it is given, then 200."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, Any], str | None, int]] = []
        self.arrived = asyncio.Event()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        status = self.statuses.pop(0) if self.statuses else 200
        self.received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"), status))
        if status == 200:
            self.arrived.set()
        return web.json_response({}, status=status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver([500])  # the first delivery fails: Telegram must try again
    await hook.start()
    try:
        yield hook
    finally:
        await hook.close()


async def test_updates_are_posted_with_the_secret_and_retried(
    telegram: FakeTelegram, bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="Top_Secret-1", allowed_updates=["message"])
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates(timeout=0)
    telegram.user(501, "Ольга").send("/start")
    await asyncio.wait_for(receiver.arrived.wait(), timeout=10)

    (first, secret1, status1), (again, secret2, status2) = receiver.received
    assert (status1, status2) == (500, 200)
    assert first == again and first["message"]["text"] == "/start"  # the same update, delivered in the end
    assert secret1 == secret2 == "Top_Secret-1"
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.allowed_updates == ["message"]
    assert info.last_error_message == "Wrong response from the webhook: 500"
    assert [post.status for post in telegram.webhook_posts] == [500, 200]

    assert await bot.delete_webhook()
    assert telegram.webhook is None
    telegram.user(501, "Ольга").send("ещё")
    (update,) = await bot.get_updates(timeout=5)  # polling works again
    assert update.message is not None and update.message.text == "ещё"


async def test_bad_webhooks_are_refused_as_telegram_refuses_them(telegram: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("http://bot.example.org/hook")
    with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
        await bot.set_webhook("https://bot.example.org/hook", secret_token="no spaces allowed")
    assert telegram.webhook is None
    assert await bot.set_webhook("https://bot.example.org/hook", secret_token="ok")
    assert (await bot.get_webhook_info()).url == "https://bot.example.org/hook"
    assert await bot.set_webhook("")  # an empty url removes the webhook, as deleteWebhook does
    assert telegram.webhook is None
