"""The sender: drains the delivery outbox to Telegram (the bot's TelegramThrottle keeps the limits).

Delivery is at-least-once. A row stays `pending` until Telegram has accepted the message and we
have committed `sent`; if the process dies between those two moments (a few milliseconds per
message in flight, at most `concurrency` messages), that message is sent again after restart.
We err this way on purpose: a duplicate alert is an annoyance, a missed agreement is a failure.

On PostgreSQL several sender processes share the outbox: each claims a batch (`sending`, FOR
UPDATE SKIP LOCKED) before sending it. The same window applies per claimed row, and a dead
process's claims come back after CLAIM_SECONDS, or at once when it ran on this host.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.alert_render import Rendered, alert_message, notice_message
from bot.i18n import N_
from bot.surge_render import surge_message
from bot.throttle import TelegramThrottle
from storage import Database, UnitOfWork, locks
from storage.clock import utcnow
from storage.models import Article, Delivery, Subscription, User

log = logging.getLogger(__name__)
MAX_NETWORK_ATTEMPTS = 5
BATCH = 200
# A PostgreSQL sender claims about two seconds of sending at a time, so its peers get their share
# and a sender that dies strands few rows.
CLAIM_BATCH = 50
PER_CHAT_IN_BATCH = 5
IDLE_POLL_SECONDS = 5.0
# How long a PostgreSQL sender holds the rows it claimed: far above a batch's send time (200 rows
# at a share of 30 msg/s is ~15 s), so a claim never lapses under a live sender, yet a dead
# sender's rows go out again within minutes.
CLAIM_SECONDS = 300.0
# How often a sender looks for rows claimed by a sender process on this host that no longer exists
# (killed, crashed): those go back at once instead of after CLAIM_SECONDS, as on SQLite at restart.
DEAD_CLAIMS_EVERY = 60.0


class ChatBlocked(Exception):
    """Telegram said 403: the user blocked the bot."""


@dataclass(frozen=True)
class Outgoing:
    """Where a delivery goes (chat, forum topic) and what it says."""

    chat_id: int
    thread_id: int | None
    message: Rendered


@dataclass
class _BatchContext:
    """Users, articles, subscriptions and source names for one batch of deliveries."""

    users: dict[int, User]
    articles: dict[int, Article]
    subscriptions: dict[int, Subscription]
    source_names: dict[str, str]

    @classmethod
    async def load(cls, uow: UnitOfWork, deliveries: list[Delivery]) -> _BatchContext:
        user_ids = {d.user_id for d in deliveries}
        article_ids = {d.article_id for d in deliveries if d.article_id is not None}
        sub_ids = {d.subscription_id for d in deliveries if d.subscription_id is not None}
        return cls(
            {u.id: u for u in await uow.users.get_many(user_ids)},
            {a.id: a for a in await uow.articles.get_many(article_ids)},
            {sub.id: sub for sub in await uow.subscriptions.get_many(sub_ids)},
            await uow.sources.names(),
        )

    def render(self, delivery: Delivery) -> Outgoing | None:
        """Chat, topic and message, or None when the user is gone or inactive or the article was deleted."""
        user = self.users.get(delivery.user_id)
        if user is None or not user.active:
            return None
        if delivery.kind == "notice":
            return Outgoing(user.chat_id, delivery.thread_id, notice_message(delivery.payload or "", user.language))
        if delivery.kind == "surge":
            return Outgoing(user.chat_id, delivery.thread_id, surge_message(delivery.payload or "", user.language))
        article = self.articles.get(delivery.article_id or 0)
        if article is None:
            return None
        sub = self.subscriptions.get(delivery.subscription_id or 0)
        message = alert_message(article, user, sub, self.source_names.get(article.source_id))
        return Outgoing(user.chat_id, delivery.thread_id, message)


class Sender:
    """One worker for the whole process: Telegram's limits are per bot token."""

    def __init__(self, bot: Bot, db: Database, *, concurrency: int = 16, holder: str | None = None) -> None:
        self.bot, self.db = bot, db
        # On PostgreSQL several sender processes share the outbox: each claims its rows. SQLite has one
        # process (the single-instance lock) and reads due rows as it always did.
        self.claims = db.shared
        self.holder = holder or locks.owner_name()
        self._dead_checked_at: float | None = None
        self._throttle = next((m for m in bot.session.middleware[:] if isinstance(m, TelegramThrottle)), None)
        self._slots = asyncio.Semaphore(concurrency)  # rate limits live in the bot's TelegramThrottle
        self._wake = asyncio.Event()
        # Our own writes queue here rather than inside SQLite: its busy handler sleeps in growing steps
        # (up to 100 ms), so 16 workers contending for the write lock cut throughput to a fraction.
        self._writing = asyncio.Lock()
        self.sent = 0

    def wake(self) -> None:
        """New deliveries were committed: look now instead of at the next idle poll."""
        self._wake.set()

    async def send_text(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None, *, thread_id: int | None = None
    ) -> None:
        """Send one message (the throttle spaces it and waits out 429s).

        Raises ChatBlocked, TelegramMigrateToChat (a group that became a supergroup) or TelegramBadRequest.
        """
        try:
            await self.bot.send_message(chat_id, text, reply_markup=markup, message_thread_id=thread_id)
        except TelegramForbiddenError as exc:
            raise ChatBlocked(str(exc)) from exc
        self.sent += 1

    async def send_photo(self, chat_id: int, png: bytes, file_name: str, caption: str) -> None:
        """Send one picture with an HTML caption; raises like send_text."""
        try:
            await self.bot.send_photo(chat_id, BufferedInputFile(png, file_name), caption=caption)
        except TelegramForbiddenError as exc:
            raise ChatBlocked(str(exc)) from exc
        self.sent += 1

    async def send_to_subscriber(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        thread_id: int | None = None,
    ) -> int:
        """send_text for a subscriber's row; returns the chat id the message went to.

        A group upgraded to a supergroup answers 400 with its new id: the row (subscriptions,
        pending alerts, settings) moves to that id and the message is sent there.
        """
        try:
            await self.send_text(chat_id, text, markup, thread_id=thread_id)
            return chat_id
        except TelegramMigrateToChat as exc:
            new_id = exc.migrate_to_chat_id
        async with self._writing, self.db.write() as uow:
            moved = await uow.users.migrate_chat(user_id, new_id)
            await uow.commit()
        if moved:
            log.info(N_("group %s became supergroup %s: its subscriptions and pending alerts moved"), user_id, new_id)
        await self.send_text(new_id, text, markup, thread_id=thread_id)
        return new_id

    async def run(self, stop: asyncio.Event) -> None:
        """Drain due deliveries until `stop` is set; in-flight messages finish first."""
        try:
            while not stop.is_set():
                handled = await self.drain_once()
                if handled:
                    continue
                self._wake.clear()
                waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
                await asyncio.wait(waiters, timeout=await self._idle_seconds(), return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    waiter.cancel()
        finally:
            if self.claims:
                await self.release_claims()

    async def release_claims(self) -> None:
        """Hand back claimed rows that were not sent, so another sender need not wait for the claim to lapse."""
        async with self._writing, self.db.write() as uow:
            released = await uow.deliveries.release_claims(self.holder)
            await uow.commit()
        if released:
            log.info(N_("sender %s handed back %s unsent deliveries"), self.holder, released)

    async def _idle_seconds(self) -> float:
        """Until the next poll: the idle interval, or sooner when a postponed delivery falls due before it."""
        async with self.db.read() as uow:
            due_at = await uow.deliveries.next_due_at()
        if due_at is None:
            return IDLE_POLL_SECONDS
        return min(IDLE_POLL_SECONDS, max(0.0, (due_at - utcnow()).total_seconds()))

    async def drain_once(self) -> int:
        """Send one batch of due deliveries, oldest first, chats in parallel, each chat in order."""
        async with self._claimed() as (uow, due):
            by_chat: defaultdict[int, list[Delivery]] = defaultdict(list)
            for delivery in due:
                if len(by_chat[delivery.user_id]) < PER_CHAT_IN_BATCH:
                    by_chat[delivery.user_id].append(delivery)
            # what the messages need, loaded for the whole batch at once rather than ~7 queries per message
            context = await _BatchContext.load(uow, [d for items in by_chat.values() for d in items])
        # shield: a shutdown waits for messages already handed to Telegram to be recorded
        await asyncio.shield(asyncio.gather(*(self._send_chat(items, context) for items in by_chat.values())))
        return sum(len(items) for items in by_chat.values())

    @contextlib.asynccontextmanager
    async def _claimed(self) -> AsyncIterator[tuple[UnitOfWork, list[Delivery]]]:
        """A batch of due rows and a transaction to read their context in: claimed for us on PostgreSQL."""
        if not self.claims:
            async with self.db.read() as uow:
                yield uow, await uow.deliveries.due(BATCH)
            return
        await self._release_dead_claims()
        async with self._writing, self.db.write() as uow:
            until = utcnow() + timedelta(seconds=CLAIM_SECONDS)
            due = await uow.deliveries.claim_due(CLAIM_BATCH, self.holder, until, per_chat=PER_CHAT_IN_BATCH)
            await uow.commit()  # the claim holds from here; the row locks end
            yield uow, due

    async def _release_dead_claims(self) -> None:
        now = time.monotonic()
        if self._dead_checked_at is not None and now - self._dead_checked_at < DEAD_CLAIMS_EVERY:
            return
        self._dead_checked_at = now
        async with self.db.read() as uow:
            holders = await uow.deliveries.claim_holders()
        for holder in holders:
            if holder != self.holder and locks.owner_is_dead(holder):
                async with self._writing, self.db.write() as uow:
                    released = await uow.deliveries.release_claims(holder)
                    await uow.commit()
                log.info(N_("%s deliveries claimed by %s, which is gone, are due again"), released, holder)

    async def _send_chat(self, items: list[Delivery], context: _BatchContext) -> None:
        async with self._slots:
            for index, delivery in enumerate(items):
                outgoing = context.render(delivery)
                if outgoing is not None and await self._window_full(outgoing.chat_id, items[index:]):
                    return  # a group at its per-minute limit: its rows wait, this worker serves other chats
                if not await self._deliver(delivery, outgoing):
                    return  # the chat is gone; its other rows were dropped

    async def _window_full(self, chat_id: int, waiting: list[Delivery]) -> bool:
        """Postpone `waiting` when the group's window would hold the next message back; True if it did."""
        delay = self._throttle.group_delay(chat_id) if self._throttle is not None and chat_id < 0 else 0.0
        if delay <= 0:
            return False
        async with self._writing, self.db.write() as uow:
            await uow.deliveries.defer([d.id for d in waiting], utcnow() + timedelta(seconds=delay))
            await uow.commit()
        return True

    async def _deliver(self, delivery: Delivery, outgoing: Outgoing | None) -> bool:
        """Send one delivery and record the outcome; False when the user blocked the bot."""
        if outgoing is None:
            await self._record(delivery.id, "dropped", "user inactive or article gone")
            return True
        try:
            message = outgoing.message
            await self.send_to_subscriber(
                delivery.user_id, outgoing.chat_id, message.text, message.markup, thread_id=outgoing.thread_id
            )
        except ChatBlocked:
            async with self._writing, self.db.write() as uow:
                await uow.users.deactivate(delivery.user_id)
                await uow.commit()
            log.info(N_("user %s blocked the bot: deactivated, pending deliveries dropped"), delivery.user_id)
            return False
        except TelegramUnauthorizedError:
            raise  # a revoked token is fatal for the whole process, not for one row
        except TelegramBadRequest as exc:
            await self._record(delivery.id, "failed", exc.message)
            log.warning(N_("delivery %s rejected by Telegram: %s"), delivery.id, exc.message)
            return True
        except (TimeoutError, TelegramNetworkError, TelegramServerError, OSError) as exc:
            await self._retry_later(delivery, f"{type(exc).__name__}: {exc}")
            return True
        await self._record(delivery.id, "sent")
        return True

    async def _record(self, delivery_id: int, status: str, error: str | None = None) -> None:
        async with self._writing, self.db.write() as uow:
            await uow.deliveries.mark(delivery_id, status, error)
            await uow.commit()

    async def _retry_later(self, delivery: Delivery, error: str) -> None:
        attempts = delivery.attempts + 1
        if attempts >= MAX_NETWORK_ATTEMPTS:
            await self._record(delivery.id, "failed", f"gave up after {attempts} attempts: {error}")
            return
        wait = min(300.0, 2.0**attempts) * (0.5 + random.random())
        async with self._writing, self.db.write() as uow:
            await uow.deliveries.postpone(delivery.id, utcnow() + timedelta(seconds=wait), error)
            await uow.commit()
