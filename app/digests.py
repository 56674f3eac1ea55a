"""Digest job: every minute, send the digests that are due; `/digest` sends one on demand.

A scheduled digest is claimed (recorded for its day) before it is sent, so it is never sent twice;
if Telegram refuses it the claim is undone and the next minute tries again. A crash between the
claim and the send loses that day's digest: the one window, and it errs toward silence because
the items were already offered as instant alerts or stay searchable.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramServerError

from alerts.digest import DigestContent, claim, collect, due_users
from alerts.quiet import zone
from bot.digest_render import digest_messages
from bot.i18n import N_
from bot.sender import ChatBlocked, Sender
from storage import Database
from storage.clock import utcnow
from storage.models import User

log = logging.getLogger(__name__)


class DigestService:
    def __init__(self, db: Database, sender: Sender, grace_hours: int = 6) -> None:
        self.db, self.sender = db, sender
        self.grace = timedelta(hours=grace_hours)

    async def run_due(self, now: datetime | None = None) -> int:
        """Send every digest due now; returns how many went out."""
        now = now or utcnow()
        async with self.db.read() as uow:
            due = await due_users(uow, now, self.grace)
        sent = 0
        for user, day in due:
            try:
                sent += await self._scheduled(user, day, now)
            except Exception:  # one user's digest must not stop the others'
                log.exception(N_("digest for user %s failed"), user.id)
        return sent

    async def send_now(self, user_id: int) -> bool:
        """`/digest`: what has gathered so far, sent now; the day's scheduled digest still comes."""
        now = utcnow()
        async with self.db.write() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                return False
            content = await collect(uow, user, now.astimezone(zone(user.timezone)).date(), now)
            await uow.deliveries.mark_digested(content.delivery_ids, now)
            await uow.commit()
        return await self._send(content)

    async def _scheduled(self, user: User, day: date, now: datetime) -> int:
        async with self.db.write() as uow:
            content = await collect(uow, user, day, now)
            if content.empty and not user.no_news_notes:
                await uow.deliveries.record_digest(user.id, day, 0)  # checked, nothing to say today
                await uow.commit()
                return 0
            if not await claim(uow, content, now):
                return 0
            await uow.commit()
        if await self._send(content):
            return 1
        await self._unclaim(content)
        return 0

    async def _send(self, content: DigestContent) -> bool:
        try:
            chat_id = content.user.chat_id
            for text in digest_messages(content):  # a group upgraded meanwhile gets the rest at its new id
                chat_id = await self.sender.send_to_subscriber(content.user.id, chat_id, text)
        except ChatBlocked:
            async with self.db.write() as uow:
                await uow.users.deactivate(content.user.id)
                await uow.commit()
            return True  # nothing to retry for a user who left
        except (TelegramBadRequest, TelegramNetworkError, TelegramServerError, OSError) as exc:
            log.warning(N_("digest for user %s not sent: %s"), content.user.id, exc)
            return False
        return True

    async def _unclaim(self, content: DigestContent) -> None:
        async with self.db.write() as uow:
            await uow.deliveries.release_digest(content.user.id, content.day)
            await uow.deliveries.mark_digested(content.delivery_ids, None)
            await uow.commit()
