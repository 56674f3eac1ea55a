"""/digest: ask the app to send my digest now."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import t
from storage.models import User


async def on_digest(message: Message, db_user: User, digest_now: object, lang: str) -> None:
    if not callable(digest_now):
        await message.answer(t("This feature is not available in this setup.", lang))
        return
    sent = await digest_now(db_user.id)
    if not sent:
        await message.answer(t("Nothing for your digest yet. New items will come as they appear.", lang))


def build_router() -> Router:
    router = Router(name="digest")
    router.message.register(on_digest, Command("digest"))
    return router
