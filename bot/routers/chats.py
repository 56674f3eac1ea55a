"""Team chats: the bot added to or removed from a group or channel, and a group upgraded to a supergroup."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import ChatMemberUpdated, Message

from bot.chat_admins import ANYONE
from bot.config import BotConfig
from bot.i18n import N_, normalize_language, t
from storage import Database

log = logging.getLogger(__name__)
PRESENT = frozenset({"member", "administrator", "creator", "restricted"})


def hello_text(lang: str) -> str:
    return t(
        "Hello! I will post news of interregional and international cooperation here.\n"
        "An administrator of this chat chooses what to follow: /subscribe, e.g. "
        "<code>/subscribe Kazakhstan</code>. In a forum topic, alerts come to the topic where "
        "/subscribe was given. All commands: /help",
        lang,
    )


async def on_bot_membership(event: ChatMemberUpdated, db: Database, config: BotConfig) -> None:
    """Added: the chat becomes (again) a subscriber with what it had. Removed: sending stops, settings stay."""
    chat, status = event.chat, event.new_chat_member.status
    if status in PRESENT and getattr(event.new_chat_member, "is_member", True) is not False:
        language = normalize_language(event.from_user.language_code, config.default_language)
        async with db.write() as uow:
            user, _created = await uow.users.register_chat(
                chat.id, chat.type, chat.title or "", language, config.default_timezone
            )
            await uow.commit()
        was_present = event.old_chat_member.status in PRESENT
        if chat.type in ("group", "supergroup") and not was_present and event.bot is not None:
            await event.bot.send_message(chat.id, hello_text(normalize_language(user.language)))
        return
    async with db.write() as uow:
        if await uow.users.get(chat.id) is not None:
            await uow.users.deactivate(chat.id)
        await uow.commit()
    log.info(N_("removed from chat %s: sending there stopped, its subscriptions kept"), chat.id)


async def on_migrated(message: Message, db: Database) -> None:
    """The upgrade notice arrives in both chats (old: migrate_to, new: migrate_from); the second finds nothing to do."""
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        assert message.migrate_from_chat_id is not None
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    async with db.write() as uow:
        moved = await uow.users.migrate_chat(old_id, new_id)
        await uow.commit()
    if moved:
        log.info(N_("group %s became supergroup %s: its subscriptions and pending alerts moved"), old_id, new_id)


def build_router() -> Router:
    router = Router(name="chats")
    router.my_chat_member.register(on_bot_membership, F.chat.type != "private")
    router.message.register(on_migrated, F.migrate_to_chat_id | F.migrate_from_chat_id, flags=ANYONE)
    return router
