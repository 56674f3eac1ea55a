"""Operator commands, only for ADMIN_IDS; anyone else falls through to the unknown-command reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.config import BotConfig
from bot.formatting import escape
from bot.i18n import t
from bot.scrape_summary import ScrapeSummary
from storage import Database


def is_admin(message: Message, config: BotConfig) -> bool:
    return message.from_user is not None and config.is_admin(message.from_user.id)


async def on_stats(message: Message, db: Database, config: BotConfig, lang: str) -> None:
    local_now = datetime.now(config.timezone)
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with db.read() as uow:
        users = await uow.users.count()
        subscriptions = await uow.subscriptions.count()
        today = await uow.articles.count(since=midnight)
        last_day = await uow.articles.count(since=local_now - timedelta(days=1))
        deliveries = await uow.deliveries.count_by_status()
        sources = await uow.sources.listed()  # removed sources are not counted
    down = [s.name for s in sources if s.is_down]
    text = t(
        "<b>Statistics</b>\nActive users: {users}\nSubscriptions: {subs}\nArticles today: {today} (24 h: {day})\n"
        "Deliveries sent: {sent}, failed: {failed}, pending: {pending}\nSources: {sources}, down: {down}",
        lang,
        users=users,
        subs=subscriptions,
        today=today,
        day=last_day,
        sent=deliveries.get("sent", 0),
        failed=deliveries.get("failed", 0),
        pending=deliveries.get("pending", 0),
        sources=len(sources),
        down=len(down),
    )
    if down:
        text += "\n⛔ " + escape(", ".join(down))[:1500]
    await message.answer(text)


async def on_scrape(message: Message, scrape_now: object, lang: str) -> None:
    if not callable(scrape_now):
        await message.answer(t("This feature is not available in this setup.", lang))
        return
    await message.answer(t("Polling the sources now…", lang))
    result = await scrape_now()
    await message.answer(result.text(lang) if isinstance(result, ScrapeSummary) else t("Done.", lang))


def build_router() -> Router:
    router = Router(name="admin")
    router.message.filter(is_admin)
    router.message.register(on_stats, Command("stats"))
    router.message.register(on_scrape, Command("scrape"))
    return router
