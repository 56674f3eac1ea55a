"""Webhook delivery as Telegram does it: while a webhook is set, each update is POSTed to it in order.

Telegram sends one update per request with `X-Telegram-Bot-Api-Secret-Token` (when a secret was set),
counts any 2xx as delivered, and otherwise keeps the update and tries again later, reporting the
failure in getWebhookInfo's `last_error_message`. getUpdates is refused while a webhook is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sandbox.fake_api.errors import bad_request
from sandbox.fake_api.updates import UpdateQueue

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)  # Telegram backs off too; short here so tests see recovery


@dataclass(frozen=True)
class WebhookConfig:
    """What setWebhook was given."""

    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    max_connections: int = 40


@dataclass(frozen=True)
class WebhookPost:
    """One POST of one update to the webhook and the status it got (0: no answer)."""

    update_id: int
    status: int
    secret_sent: bool


def parse_config(url: str, secret: str | None, allowed: Any, max_connections: int | None) -> WebhookConfig:
    """Validate setWebhook's parameters as Telegram does (http:// only for a local server, as in tests)."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if secret is not None and not SECRET_SHAPE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON array")
    return WebhookConfig(url, secret, allowed, max_connections or 40)


class WebhookPusher:
    """Posts pending updates to the configured webhook until it is deleted or the fake closes."""

    def __init__(self, updates: UpdateQueue) -> None:
        self.updates = updates
        self.config: WebhookConfig | None = None
        self.posts: list[WebhookPost] = []
        self.last_error: tuple[int, str] | None = None  # (unix time, message) as getWebhookInfo reports it
        self.is_set = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def configure(self, config: WebhookConfig | None) -> None:
        """setWebhook (a config) or deleteWebhook (None): restart delivery with the new settings."""
        await self.stop()
        self.config = config
        self.last_error = None
        self.is_set.clear()
        if config is not None:
            self.is_set.set()
            self.updates.set_allowed(config.allowed_updates)
            self._task = asyncio.create_task(self._deliver(config), name="fake webhook delivery")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _deliver(self, config: WebhookConfig) -> None:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        failures = 0
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                update = await self.updates.next_deliverable()
                status = await self._post(session, config.url, update, headers)
                self.posts.append(WebhookPost(int(update["update_id"]), status, bool(headers)))
                if 200 <= status < 300:
                    self.updates.confirm_one(int(update["update_id"]))
                    failures = 0
                    continue
                failures += 1
                await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])

    async def _post(
        self, session: aiohttp.ClientSession, url: str, update: dict[str, Any], headers: dict[str, str]
    ) -> int:
        try:
            async with session.post(url, json=update, headers=headers) as response:
                await response.read()
                if response.status >= 300:
                    self.last_error = (int(time.time()), f"Wrong response from the webhook: {response.status}")
                return response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.last_error = (int(time.time()), f"Connection failed: {type(exc).__name__}")
            logger.debug("fake Telegram could not reach the webhook: %r", exc)
            return 0
