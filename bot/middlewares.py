"""Per-update context: the registered user, their language, and aiogram's i18n locale."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.config import BotConfig
from bot.i18n import normalize_language
from storage import Database

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Register (or refresh) the sender and put `db_user` and `lang` into the handler data."""

    def __init__(self, db: Database, config: BotConfig) -> None:
        self.db = db
        self.config = config

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender = getattr(event, "from_user", None)
        if sender is None or sender.is_bot:
            return await handler(event, data)
        chat_id = sender.id
        if isinstance(event, Message):
            chat_id = event.chat.id
        elif isinstance(event, CallbackQuery) and event.message is not None:
            chat_id = event.message.chat.id
        # A new user starts in their Telegram language; a known one keeps the language they chose.
        first_language = normalize_language(sender.language_code, self.config.default_language)
        async with self.db.write() as uow:
            user, _created = await uow.users.register(
                sender.id, chat_id, sender.first_name or "", first_language, self.config.default_timezone
            )
            await uow.commit()
        data["db_user"] = user
        data["lang"] = normalize_language(user.language)
        return await handler(event, data)


class StoredLocaleMiddleware(I18nMiddleware):
    """aiogram's i18n, with the locale taken from the stored user (set by UserMiddleware)."""

    def __init__(self, i18n: I18n) -> None:
        super().__init__(i18n)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return str(data.get("lang") or self.i18n.default_locale)
