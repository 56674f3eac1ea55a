"""Taps that can be taken back: a removed subscription restored, a muted source heard again.

A removed subscription is kept in a bounded in-memory LRU so the "↩ Restore" button under the
message that confirmed its removal carries only a short key; after a restart the button says it is
outdated and /subscribe makes it again. A mute needs no memory: the unmute button carries a short
hash of the source id (ids may be 63 characters, callback data only 64 bytes) and is checked
against the user's own mutes.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import RestoreSubCb, UnmuteCb
from bot.i18n import t
from bot.keyed_memory import KeyedMemory
from storage.models import Subscription

MAX_REMEMBERED = 5000
BUTTON_LABEL_CHARS = 40


@dataclass(frozen=True)
class RemovedSubscription:
    kind: str
    region: str | None
    partner: str | None
    topic: str | None
    keyword: str | None
    label: str
    mode: str
    thread_id: int | None = None  # the forum topic its alerts went to

    @classmethod
    def of(cls, sub: Subscription) -> RemovedSubscription:
        return cls(sub.kind, sub.region, sub.partner, sub.topic, sub.keyword, sub.label, sub.mode, sub.thread_id)


class RemovedSubscriptions(KeyedMemory[RemovedSubscription]):
    """What each user removed lately, by key, so the removal can be undone (once) from its message."""

    def __init__(self, capacity: int = MAX_REMEMBERED) -> None:
        super().__init__(capacity)


class PendingKeywords(KeyedMemory[str]):
    """Words a user sent to /subscribe that name no place or topic, until they confirm following the word."""

    def __init__(self, capacity: int = MAX_REMEMBERED) -> None:
        super().__init__(capacity)


def source_key(source_id: str) -> str:
    """Eight hex characters naming a source in callback data."""
    return f"{zlib.crc32(source_id.encode()):08x}"


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_LABEL_CHARS else text[: BUTTON_LABEL_CHARS - 1] + "…"


def unmute_button(source_id: str, source_name: str, lang: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("🔔 Unmute {source}", lang, source=_short(source_name)),
        callback_data=UnmuteCb(key=source_key(source_id)).pack(),
    )


def restore_button(key: int, title: str, page: int, lang: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("↩ Restore: {title}", lang, title=_short(title)),
        callback_data=RestoreSubCb(key=key, page=page).pack(),
    )


def with_rows(
    markup: InlineKeyboardMarkup | None, top: Sequence[InlineKeyboardButton] = (),
    bottom: Sequence[InlineKeyboardButton] = (),
) -> InlineKeyboardMarkup:
    """The keyboard with one button per row added above and below its own rows."""
    rows = list(markup.inline_keyboard) if markup is not None else []
    return InlineKeyboardMarkup(inline_keyboard=[[b] for b in top] + rows + [[b] for b in bottom])
