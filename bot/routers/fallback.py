"""Last resort: unknown commands, plain text, and buttons nobody handles (forged or outdated)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import t
from bot.routers.common import stale_button


def unknown_command_text(lang: str) -> str:
    return t("I do not know this command. See /help.", lang)


async def on_unknown_command(message: Message, lang: str) -> None:
    await message.answer(unknown_command_text(lang))


async def on_text(message: Message, lang: str) -> None:
    await message.answer(
        t(
            "To search, send /search and your words; to follow something, /subscribe and its name. All commands: /help",
            lang,
        )
    )


async def on_unknown_button(query: CallbackQuery, lang: str) -> None:
    await stale_button(query, lang)


def build_router() -> Router:
    router = Router(name="fallback")
    # in a group the bot stays quiet about what is not for it (other bots' commands, conversation)
    private = F.chat.type == "private"
    router.message.register(on_unknown_command, private, F.text.startswith("/"))
    router.message.register(on_text, private, F.text)
    router.callback_query.register(on_unknown_button)
    return router
