"""Admins manage sources: `/addsource URL` (preview, then Add / Cancel) and `/sources` with pause, resume, remove.

Only ADMIN_IDS reach these handlers; everyone else gets the public `/sources` list (bot.routers.sources)
and the unknown-command reply for `/addsource`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import SourceAction, SourceCb
from bot.config import BotConfig
from bot.formatting import escape, split_blocks
from bot.i18n import N_, t
from bot.routers.sources import source_line
from bot.source_admin import PendingSources, add_discovered, preview_text
from bot.undo import source_key
from scrapers.discover import Discoverer, Discovery
from scrapers.fetcher import Fetcher
from storage import Database
from storage.models import Source, User

log = logging.getLogger(__name__)
Discover = Callable[[str], Awaitable[Discovery]]
MAX_BUTTON_ROWS = 40  # Telegram allows 100 buttons a message; the CLI lists and manages any number
LABEL_CHARS = 28


def is_admin(event: Message | CallbackQuery, config: BotConfig) -> bool:
    return event.from_user is not None and config.is_admin(event.from_user.id)


async def _discover(data_discover: object, url: str) -> Discovery:
    if callable(data_discover):
        found: Discovery = await data_discover(url)
        return found
    async with Fetcher() as fetcher:  # a dispatcher built without the app's fetcher (a bare bot)
        return await Discoverer(fetcher).discover(url)


async def _changed(sources_changed: object) -> None:
    if callable(sources_changed):
        await sources_changed()


async def on_addsource(
    message: Message, command: CommandObject, db_user: User, lang: str, pending_sources: PendingSources, **data: Any
) -> None:
    url = (command.args or "").strip()
    if not url:
        await message.answer(t("Send the address of a news page or feed: /addsource https://site.kz/news/", lang))
        return
    await message.answer(t("Looking at {url}…", lang, url=escape(url)))
    try:
        found = await _discover(data.get("discover"), url)
    except Exception:  # a discovery bug must not leave the admin without an answer
        log.exception(N_("discovery of %s crashed"), url)
        await message.answer(t("Something went wrong while reading {url}; see the log.", lang, url=escape(url)))
        return
    text = preview_text(found, lang, db_user.timezone)
    if not found.addable:
        await message.answer(split_blocks([text])[0])
        return
    key = pending_sources.remember(db_user.id, found)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("✅ Add", lang), callback_data=SourceCb(action=SourceAction.ADD, key=key).pack()
                ),
                InlineKeyboardButton(
                    text=t("✖ Cancel", lang), callback_data=SourceCb(action=SourceAction.CANCEL, key=key).pack()
                ),
            ]
        ]
    )
    await message.answer(split_blocks([text, t("Add this source?", lang)])[0], reply_markup=markup)


async def on_preview_button(
    query: CallbackQuery,
    callback_data: SourceCb,
    db: Database,
    db_user: User,
    lang: str,
    pending_sources: PendingSources,
    **data: Any,
) -> None:
    found = pending_sources.take(db_user.id, callback_data.key)
    if found is None:
        await query.answer(t("This preview has expired: send /addsource again.", lang), show_alert=True)
        return
    original = preview_text(found, lang, db_user.timezone)
    if callback_data.action == SourceAction.CANCEL:
        await _edit(query, split_blocks([original, t("Cancelled: nothing was added.", lang)])[0])
        await query.answer()
        return
    added = await add_discovered(db, found, origin="bot", added_by=db_user.id)
    await _changed(data.get("sources_changed"))
    row = added.row
    note = (
        t(
            "✅ Added: {name} (id {id}), polled every {n} min.",
            lang,
            name=escape(row.name),
            id=row.id,
            n=max(1, row.interval // 60),
        )
        if added.created
        else t("This address is polled already: {name} (id {id}).", lang, name=escape(row.name), id=row.id)
    )
    await _edit(query, split_blocks([original, note])[0])
    await query.answer()


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _keyboard(rows: list[Source], lang: str) -> InlineKeyboardMarkup:
    buttons = []
    for row in rows[:MAX_BUTTON_ROWS]:
        key = source_key(row.id)
        toggle = (
            InlineKeyboardButton(
                text=t("▶ Resume {name}", lang, name=_label(row.name)),
                callback_data=SourceCb(action=SourceAction.RESUME, source=key).pack(),
            )
            if row.paused
            else InlineKeyboardButton(
                text=t("⏸ Pause {name}", lang, name=_label(row.name)),
                callback_data=SourceCb(action=SourceAction.PAUSE, source=key).pack(),
            )
        )
        remove = InlineKeyboardButton(
            text=t("🗑 Remove", lang), callback_data=SourceCb(action=SourceAction.REMOVE, source=key).pack()
        )
        buttons.append([toggle, remove])
    return InlineKeyboardMarkup(inline_keyboard=buttons)


def _listing(rows: list[Source], lang: str, tz: str) -> list[str]:
    paused = sum(1 for r in rows if r.paused)
    down = sum(1 for r in rows if r.is_down and not r.paused)
    header = t("<b>Sources: {n}</b>", lang, n=len(rows))
    if paused:
        header += ", " + t("paused: {n}", lang, n=paused)
    if down:
        header += ", " + t("down: {n}", lang, n=down)
    hint = t("Add one: /addsource URL", lang)
    return split_blocks([header, *(source_line(r, lang, tz) for r in rows), hint], separator="\n")


async def on_admin_sources(message: Message, db: Database, db_user: User, lang: str) -> None:
    async with db.read() as uow:
        rows = await uow.sources.listed()
    if not rows:
        await message.answer(t("No sources yet. Add one: /addsource URL", lang))
        return
    texts = _listing(rows, lang, db_user.timezone)
    for text in texts[:-1]:
        await message.answer(text)
    await message.answer(texts[-1], reply_markup=_keyboard(rows, lang))


async def on_manage_button(
    query: CallbackQuery, callback_data: SourceCb, db: Database, db_user: User, lang: str, **data: Any
) -> None:
    async with db.write() as uow:
        row = next((r for r in await uow.sources.listed() if source_key(r.id) == callback_data.source), None)
        if row is None:
            await query.answer(t("No such source any more.", lang), show_alert=True)
            return
        name = row.name
        if callback_data.action == SourceAction.REMOVE:
            await uow.sources.remove(row.id)
            answer = t("Removed: {name}. Its articles stay searchable.", lang, name=name)
        else:
            pause = callback_data.action == SourceAction.PAUSE
            await uow.sources.set_paused(row.id, pause)
            answer = t("Paused: {name}", lang, name=name) if pause else t("Resumed: {name}", lang, name=name)
        await uow.commit()
    async with db.read() as uow:
        rows = await uow.sources.listed()
    await _changed(data.get("sources_changed"))
    texts = _listing(rows, lang, db_user.timezone) if rows else [t("No sources yet. Add one: /addsource URL", lang)]
    await _edit(query, texts[-1], _keyboard(rows, lang) if rows else None)
    await query.answer(answer)


def build_router() -> Router:
    router = Router(name="admin_sources")
    router.message.filter(is_admin)
    router.callback_query.filter(is_admin)
    router.message.register(on_addsource, Command("addsource"))
    router.message.register(on_admin_sources, Command("sources"))
    preview_actions = (SourceAction.ADD, SourceAction.CANCEL)
    router.callback_query.register(on_preview_button, SourceCb.filter(F.action.in_(preview_actions)))
    router.callback_query.register(on_manage_button, SourceCb.filter())
    return router
