"""/sources: every site with its health in plain words."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.chat_admins import ANYONE
from bot.fetch_errors import describe_fetch_error
from bot.formatting import escape, local_time, split_blocks
from bot.i18n import t
from storage import Database
from storage.clock import utcnow
from storage.models import Source, User


def _ago(moment: datetime, lang: str) -> str:
    minutes = max(0, int((utcnow() - moment).total_seconds() // 60))
    if minutes == 0:
        return t("just now", lang)
    if minutes < 60:
        return t("{n} minute ago", lang, plural="{n} minutes ago", n=minutes)
    hours = minutes // 60
    if hours < 48:
        return t("{n} hour ago", lang, plural="{n} hours ago", n=hours)
    return t("{n} day ago", lang, plural="{n} days ago", n=hours // 24)


def source_line(source: Source, lang: str, tz: str) -> str:
    name = f'<a href="{escape(source.url)}">{escape(source.name)}</a>'
    if source.paused:
        return f"⏸ {name} — " + t("paused", lang)
    if not source.enabled:
        return f"⏸ {name} — " + t("switched off", lang)
    if source.is_down:
        since = local_time(source.down_since, tz) if source.down_since else "?"
        error = escape(describe_fetch_error(source.last_error or "", lang)[:160])
        return f"⛔ {name} — " + t("down since {since}", lang, since=since) + (f"\n    <i>{error}</i>" if error else "")
    if source.last_success_at is None:
        return f"🆕 {name} — " + t("not polled yet", lang)
    state = "✅" if source.consecutive_failures == 0 else "⚠️"
    text = f"{state} {name} — " + t("last read {ago}", lang, ago=_ago(source.last_success_at, lang))
    if source.consecutive_failures:
        text += ", " + t("{n} failed attempt", lang, plural="{n} failed attempts", n=source.consecutive_failures)
    return text


async def on_sources(message: Message, db: Database, db_user: User, lang: str) -> None:
    async with db.read() as uow:
        sources = await uow.sources.listed()  # an admin's removal hides a source from everyone
    if not sources:
        await message.answer(t("No sources are configured yet.", lang))
        return
    down = sum(1 for s in sources if s.is_down)
    header = t("<b>Sources: {n}</b>", lang, n=len(sources)) + (", " + t("down: {n}", lang, n=down) if down else "")
    lines = [source_line(s, lang, db_user.timezone) for s in sources]
    for text in split_blocks([header, *lines], separator="\n"):
        await message.answer(text)


def build_router() -> Router:
    router = Router(name="sources")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_sources, Command("sources"), flags=ANYONE)
    return router
