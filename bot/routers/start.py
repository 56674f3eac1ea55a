"""/start and /help."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from bot.chat_admins import ANYONE
from bot.formatting import escape
from bot.i18n import t
from bot.keyboards import subscribe_menu


def welcome_text(lang: str, first_name: str) -> str:
    return t(
        "Hello, {name}!\n\n"
        "I watch official news sites and tell you when your region's cooperation with a partner "
        "shows up: visits, agreements, forums, trade deals.\n\n"
        "Choose what to follow below. Find past news with /search, e.g. "
        "<code>/search Vologda Kazakhstan forestry</code>. Everything that is not urgent comes in the "
        "daily digest; change its hour in /settings. All commands: /help",
        lang,
        name=escape(first_name or "👋"),
    )


def help_text(lang: str) -> str:
    return t(
        "<b>What I can do</b>\n"
        "/subscribe — follow a region, a country, a pair of regions, a topic; or type "
        "<code>/subscribe Vologda Oblast</code>, <code>/subscribe Kazakhstan</code>, "
        '<code>/subscribe forestry</code>, <code>/subscribe "memorandum"</code> (in quotes: the word itself)\n'
        "/subscriptions — my subscriptions: remove, instant or digest\n"
        "/unsubscribe — remove a subscription\n"
        "/search — search the news: <code>/search Almaty Region memorandum since:2025-01-01</code>\n"
        "/latest — the newest news for my subscriptions\n"
        "/digest — send my digest now\n"
        "/settings — language, time zone, digest hour, quiet hours\n"
        "/timezone — set my time zone: <code>/timezone Asia/Almaty</code>\n"
        "/sources — the sites I read and their health",
        lang,
    )


async def on_start(message: Message, lang: str) -> None:
    name = message.from_user.first_name if message.from_user else ""
    await message.answer(welcome_text(lang, name), reply_markup=subscribe_menu(lang))


async def on_help(message: Message, lang: str) -> None:
    await message.answer(help_text(lang))


def build_router() -> Router:
    router = Router(name="start")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_start, CommandStart(), flags=ANYONE)
        observer.register(on_help, Command("help"), flags=ANYONE)
    return router
