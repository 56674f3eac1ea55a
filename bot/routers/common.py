"""Small helpers shared by routers: edit-in-place with a fallback, polite answers to stale buttons."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import t

logger = logging.getLogger(__name__)


async def edit_or_send(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the tapped message's text and keyboard; send a new message if it cannot be edited."""
    message = query.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
            logger.info("could not edit message %s: %s", message.message_id, exc.message)
    await reply_to_tap(query, text, markup)


async def reply_to_tap(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A new message where the button was tapped: that chat (and forum topic), else the person's private chat."""
    if query.bot is None:
        return
    message = query.message
    if message is None:
        await query.bot.send_message(query.from_user.id, text, reply_markup=markup)
        return
    thread = message.message_thread_id if isinstance(message, Message) and message.is_topic_message else None
    await query.bot.send_message(message.chat.id, text, reply_markup=markup, message_thread_id=thread)


async def stale_button(query: CallbackQuery, lang: str) -> None:
    """A forged, malformed or outdated button: change nothing, say so politely."""
    await query.answer(t("This button is outdated or invalid. Nothing was changed.", lang), show_alert=False)
