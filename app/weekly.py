"""Weekly summary job (every minute): on Monday at each opted-in user's digest hour, in the user's time zone,
the previous week's (Mon–Sun) chart for their subscriptions, with the counts as its caption.

Like the digest, a summary is claimed (summaries_sent) before it is sent, so it never goes twice; if
Telegram refuses it, the claim is released and the next minute tries again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramServerError

from alerts.quiet import zone
from bot.formatting import escape
from bot.i18n import N_, t
from bot.report_caption import report_caption
from bot.sender import ChatBlocked, Sender
from reports.build import ReportFiles, make_report
from reports.period import Period
from reports.scope import Scope
from storage import Database
from storage.clock import utcnow
from storage.models import User

log = logging.getLogger(__name__)
MONDAY = 0
WEEK = timedelta(days=7)


def summary_week(user: User, now: datetime, grace: timedelta) -> date | None:
    """The first day (a Monday) of the week whose summary is due for this user now, or None.

    Due on Monday from the digest hour until `grace` after it, never past Monday's end: a summary missed
    for a whole Monday is not sent on Tuesday.
    """
    local = now.astimezone(zone(user.timezone))
    if local.weekday() != MONDAY:
        return None
    scheduled = datetime.combine(local.date(), time(user.digest_hour), tzinfo=local.tzinfo)
    if scheduled <= local <= scheduled + max(grace, timedelta(minutes=1)):
        return local.date() - WEEK
    return None


def week_period(week_start: date, tz: str) -> Period:
    return Period(week_start, week_start + WEEK - timedelta(days=1), tz)


class WeeklySummaryService:
    def __init__(self, db: Database, sender: Sender, grace_hours: int = 6) -> None:
        self.db, self.sender = db, sender
        self.grace = timedelta(hours=grace_hours)

    async def run_due(self, now: datetime | None = None) -> int:
        """Send every summary due now; returns how many went out."""
        now = now or utcnow()
        async with self.db.read() as uow:
            readers = await uow.surges.summary_readers()
        due = [(user, week) for user in readers if (week := summary_week(user, now, self.grace)) is not None]
        if not due:
            return 0
        async with self.db.read() as uow:
            done = {week: await uow.surges.summaries_sent(week) for week in {w for _, w in due}}
        sent = 0
        for user, week in due:
            if user.id in done[week]:
                continue
            try:
                sent += await self._one(user, week)
            except Exception:  # one user's summary must not stop the others'
                log.exception(N_("weekly summary for user %s failed"), user.id)
        return sent

    async def _one(self, user: User, week: date) -> int:
        async with self.db.write() as uow:
            if not await uow.surges.claim_summary(user.id, week):
                return 0
            await uow.commit()
        try:
            period = week_period(week, user.timezone)
            scope = Scope("subscriptions", user_id=user.id)
            # counted and drawn in the CPU pool, off the event loop, as /report does
            files = await make_report(self.db, scope, period, user.language, t, png=True, xlsx=False)
            delivered = await self._send(user, files)
        except BaseException:
            await self._release(user.id, week)
            raise
        if not delivered:
            await self._release(user.id, week)
        return int(delivered)

    async def _send(self, user: User, files: ReportFiles) -> bool:
        lang = user.language
        heading = "<b>" + escape(t("📊 Weekly summary", lang)) + "</b>"
        try:
            if files.png is None:
                nothing = t("{period}: no cooperation news for your subscriptions this week.", lang,
                            period=files.data.period.label())
                await self.sender.send_text(user.chat_id, f"{heading}\n{escape(nothing)}")
            else:
                caption = report_caption(files, lang, heading=heading)
                await self.sender.send_photo(user.chat_id, files.png, f"{files.file_stem()}.png", caption)
        except ChatBlocked:
            async with self.db.write() as uow:
                await uow.users.deactivate(user.id)
                await uow.commit()
            return True  # nothing to retry for a user who left
        except (TelegramBadRequest, TelegramNetworkError, TelegramServerError, OSError) as exc:
            log.warning(N_("weekly summary for user %s not sent: %s"), user.id, exc)
            return False
        return True

    async def _release(self, user_id: int, week: date) -> None:
        async with self.db.write() as uow:
            await uow.surges.release_summary(user_id, week)
            await uow.commit()
