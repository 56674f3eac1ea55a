"""Webhook mode: Telegram POSTs each update to WEBHOOK_URL instead of the bot long-polling for it.

The server listens on WEBHOOK_LISTEN (usually behind a reverse proxy that terminates TLS). Every
request must carry `X-Telegram-Bot-Api-Secret-Token` equal to WEBHOOK_SECRET, which we gave Telegram
in setWebhook; anything else gets 401 and is logged without the secret or the value presented.

aiogram's SimpleRequestHandler does the same check, but answers a malformed body with a 500, does
not log rejections and closes the bot's session on shutdown (the App owns it); so this is ours,
on the same aiogram calls (`Update.model_validate`, `Dispatcher.feed_update`).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from app.settings import split_listen
from bot.i18n import N_

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024  # updates are small JSON; anything larger is not from Telegram
GRACE_SECONDS = 3.0  # updates being handled at stop get this long to finish

Observe = Callable[[str], None]  # "accepted" | "rejected" | "malformed"


def peer(request: web.Request) -> str:
    """Who sent a request: the client a reverse proxy names in X-Forwarded-For, else the connection's address."""
    forwarded = request.headers.get("X-Forwarded-For", "").split(",", 1)[0].strip()
    return f"{forwarded} (via {request.remote})" if forwarded else str(request.remote)


def webhook_path(url: str) -> str:
    """The path Telegram will POST to: the URL's path (a proxy in front must pass it through unchanged)."""
    return urlsplit(url).path or "/"


class WebhookServer:
    """An aiohttp server feeding updates to the dispatcher; setWebhook on start, deleteWebhook on stop."""

    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        *,
        url: str,
        secret: str,
        listen: str,
        allowed_updates: list[str] | None = None,
        observe: Observe | None = None,
    ) -> None:
        self.dp, self.bot = dp, bot
        self.url, self.path = url, webhook_path(url)
        self._secret = secret.encode()
        self.host, self.port = split_listen(listen)
        self.allowed_updates = allowed_updates if allowed_updates is not None else dp.resolve_used_update_types()
        self.observe = observe or (lambda _result: None)
        self._runner: web.AppRunner | None = None
        self._handling: set[asyncio.Task[Any]] = set()
        self.bound: tuple[str, int] | None = None  # where it listens (the port, when 0 was asked for)
        self._set = False  # Telegram accepted setWebhook: stop() must delete it
        self._dispatching = False  # the dispatcher's startup handlers ran: its shutdown ones must too

    async def start(self) -> None:
        """Listen first, then tell Telegram: its first POST must find us ready."""
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.path, self.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.bound = sockets[0].getsockname()[:2] if sockets else (self.host, self.port)
        await self.dp.emit_startup(bot=self.bot, dispatcher=self.dp, bots=[self.bot], **self.dp.workflow_data)
        self._dispatching = True
        await self.bot.set_webhook(
            self.url,
            secret_token=self._secret.decode(),
            allowed_updates=self.allowed_updates,
            drop_pending_updates=False,  # updates sent while we were down are still owed an answer
        )
        self._set = True
        log.info(N_("webhook set: Telegram posts updates to %s (listening on %s:%s)"), self.url, *self.bound)

    async def stop(self) -> None:
        """deleteWebhook (Telegram keeps new updates for the next start), finish updates in hand, close."""
        if self._runner is None:
            return
        if self._set:
            try:
                await self.bot.delete_webhook(drop_pending_updates=False)
            except Exception as exc:  # stopping goes on: the next start sets the webhook again anyway
                log.warning(N_("deleteWebhook failed: %s: %s"), type(exc).__name__, exc)
            self._set = False
        if self._handling:
            _, pending = await asyncio.wait(set(self._handling), timeout=GRACE_SECONDS)
            for task in pending:
                task.cancel()
        if self._dispatching:
            await self.dp.emit_shutdown(bot=self.bot, dispatcher=self.dp, bots=[self.bot], **self.dp.workflow_data)
            self._dispatching = False
        await self._runner.cleanup()
        self._runner = None

    def _authentic(self, request: web.Request) -> bool:
        presented = request.headers.get(SECRET_HEADER)
        if presented is not None and hmac.compare_digest(presented.encode(), self._secret):
            return True
        # who asked, never what they presented: a near-miss of the secret is as secret as the secret
        if presented is None:
            log.warning(N_("webhook request from %s rejected: no secret token header"), peer(request))
        else:
            log.warning(N_("webhook request from %s rejected: wrong secret token"), peer(request))
        return False

    async def handle(self, request: web.Request) -> web.Response:
        if not self._authentic(request):
            self.observe("rejected")
            return web.Response(status=401, text="Unauthorized")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
            log.warning(N_("webhook request from %s is not a Telegram update: %s"), peer(request),
                        type(exc).__name__)
            self.observe("malformed")
            return web.Response(status=400, text="Bad Request: not a Telegram update")
        self.observe("accepted")
        # answer at once, as long polling would have confirmed it: a slow handler must not make
        # Telegram time out and post the same update again
        task = asyncio.create_task(self._feed(update), name=f"update {update.update_id}")
        self._handling.add(task)
        task.add_done_callback(self._handling.discard)
        return web.json_response({})

    async def _feed(self, update: Update) -> None:
        try:
            await self.dp.feed_update(self.bot, update)
        except Exception:  # aiogram logs handler errors itself; this guards what happens around them
            log.exception(N_("update %s could not be handled"), update.update_id)
