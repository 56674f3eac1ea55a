"""Per-update context: the registered subscriber, their language, the forum topic, and aiogram's i18n locale.

In a private chat the subscriber is the person; in a group, supergroup or channel it is the chat
(its users row has the chat's id), whoever typed the command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.chat_admins import chat_of, is_team_chat
from bot.config import BotConfig
from bot.i18n import normalize_language
from storage import Database

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Register (or refresh) the subscriber and put `db_user`, `lang` and `thread_id` into the handler data.

    The subscriber is the sender in a private chat and the chat itself in a group or channel (which
    starts in the language of whoever spoke to the bot there first).
    """

    def __init__(self, db: Database, config: BotConfig) -> None:
        self.db = db
        self.config = config

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data["thread_id"] = topic_of(event)
        chat = chat_of(event)
        if is_team_chat(chat):
            assert chat is not None
            return await self._for_chat(handler, event, data, chat)
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

    async def _for_chat(self, handler: Handler, event: TelegramObject, data: dict[str, Any], chat: Chat) -> Any:
        if isinstance(event, Message) and (event.migrate_to_chat_id or event.migrate_from_chat_id):
            # the upgrade notice: registering either id here would race the move of the row
            return await handler(event, data)
        sender = getattr(event, "from_user", None)
        first_language = normalize_language(sender.language_code if sender else None, self.config.default_language)
        async with self.db.write() as uow:
            user, _created = await uow.users.register_chat(
                chat.id, chat.type, chat.title or "", first_language, self.config.default_timezone
            )
            await uow.commit()
        data["db_user"] = user
        data["lang"] = normalize_language(user.language)
        return await handler(event, data)


def topic_of(event: TelegramObject) -> int | None:
    """The forum topic an update comes from (None outside forum topics): replies and alerts go back there."""
    message = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


class StoredLocaleMiddleware(I18nMiddleware):
    """aiogram's i18n, with the locale taken from the stored user (set by UserMiddleware)."""

    def __init__(self, i18n: I18n) -> None:
        super().__init__(i18n)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return str(data.get("lang") or self.i18n.default_locale)
