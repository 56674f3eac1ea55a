"""Who may change a team chat's subscriptions and settings: its administrators, asked of Telegram.

In a group, supergroup or channel the bot's subscriber is the chat itself, so everything that
changes it (subscribe, unsubscribe, settings, mutes, the digest claim) is for the chat's
administrators only. Read-only handlers (help, search, lists) are registered with the `ANYONE`
flag and stay open to every member. The answer of getChatMember is cached for a minute per
(chat, person): a member tapping through the subscription picker would otherwise cost one call
per tap, and a demoted admin loses the right within that minute.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject

from bot.i18n import t

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

ANYONE: dict[str, Any] = {"anyone": True}  # handler flag: any member of a team chat may use it
ADMIN_STATUSES = frozenset({"creator", "administrator"})
CACHE_SECONDS = 60.0
MAX_CACHED = 4096


def chat_of(event: TelegramObject) -> Chat | None:
    """The chat an update happens in: a message's chat, or the chat of the message under a tapped button."""
    if isinstance(event, Message):
        return event.chat
    if isinstance(event, CallbackQuery) and event.message is not None:
        return event.message.chat
    return None


def is_team_chat(chat: Chat | None) -> bool:
    return chat is not None and chat.type != "private"


class AdminCache:
    """getChatMember answers for (chat, user), kept `ttl` seconds, at most `size` of them."""

    def __init__(self, ttl: float = CACHE_SECONDS, size: int = MAX_CACHED, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._answers: OrderedDict[tuple[int, int], tuple[float, bool]] = OrderedDict()
        self.lookups = 0  # calls made to Telegram (tests read it)

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        key = (chat_id, user_id)
        now = self.clock()
        cached = self._answers.pop(key, None)
        if cached is not None and cached[0] > now:
            self._answers[key] = cached
            return cached[1]
        self.lookups += 1
        try:
            member = await bot.get_chat_member(chat_id, user_id)
            admin = member.status in ADMIN_STATUSES
        except TelegramAPIError as exc:  # not a member, chat gone: no rights
            log.info("getChatMember(%s, %s) failed: %s", chat_id, user_id, exc.message)
            admin = False
        self._answers[key] = (now + self.ttl, admin)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return admin


def only_admins_text(lang: str) -> str:
    return t("Only the chat's administrators can change its subscriptions and settings.", lang)


class ChatAdminMiddleware(BaseMiddleware):
    """Inner middleware: in team chats, handlers without the ANYONE flag run for administrators only."""

    def __init__(self, cache: AdminCache) -> None:
        self.cache = cache

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = chat_of(event)
        if not is_team_chat(chat) or get_flag(data, "anyone"):
            return await handler(event, data)
        assert chat is not None
        if await self._allowed(event, chat, data["bot"]):
            return await handler(event, data)
        lang = str(data.get("lang") or "ru")
        if isinstance(event, CallbackQuery):
            await event.answer(only_admins_text(lang), show_alert=True)
        elif isinstance(event, Message):
            await event.reply(only_admins_text(lang))
        return None

    async def _allowed(self, event: TelegramObject, chat: Chat, bot: Bot) -> bool:
        if isinstance(event, Message):
            if chat.type == "channel":
                return True  # only a channel's administrators can post in it
            if event.sender_chat is not None and event.sender_chat.id == chat.id:
                return True  # an anonymous administrator, speaking as the group
        person = getattr(event, "from_user", None)
        if person is None:
            return False
        return await self.cache.is_admin(bot, chat.id, person.id)
