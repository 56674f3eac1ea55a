"""/subscriptions and /unsubscribe: list, remove (with undo), switch between instant and digest, unmute sources."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from analysis.lemmas import lemmatize_text
from bot.callbacks import DIGEST, INSTANT, RestoreSubCb, SubAction, SubCb
from bot.chat_admins import ANYONE
from bot.formatting import escape, mode_label, subscription_title
from bot.i18n import t
from bot.keyboards import SUBSCRIPTIONS_PER_PAGE, page_count, subscribe_menu, subscription_buttons
from bot.query import parse_subscribe
from bot.routers.common import edit_or_send, stale_button
from bot.undo import RemovedSubscription, RemovedSubscriptions, restore_button, unmute_button, with_rows
from storage import Database
from storage.models import Subscription, User

Muted = list[tuple[str, str]]  # (source id, name)


def subscriptions_view(
    subs: list[Subscription], lang: str, page: int = 0, *, muted: Muted | None = None,
    undo: InlineKeyboardButton | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The numbered list (one page of it) with its remove/mode buttons, muted sources and an undo button."""
    text, markup = _list_view(subs, lang, page)
    if muted:
        names = "\n".join(f"• {escape(name)}" for _, name in muted)
        text += "\n\n" + t("🔕 Muted sources (no alerts from them):", lang) + "\n" + names
    unmute = [unmute_button(source_id, name, lang) for source_id, name in (muted or [])]
    return text, with_rows(markup, top=[undo] if undo is not None else [], bottom=unmute)


def _list_view(subs: list[Subscription], lang: str, page: int) -> tuple[str, InlineKeyboardMarkup]:
    if not subs:
        return t("You have no subscriptions yet. What do you want to follow?", lang), subscribe_menu(lang)
    pages = page_count(len(subs), SUBSCRIPTIONS_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    header = t("You have {n} subscription.", lang, plural="You have {n} subscriptions.", n=len(subs))
    start = page * SUBSCRIPTIONS_PER_PAGE
    lines = [
        f"{start + i + 1}. {subscription_title(sub, lang)} — {mode_label(sub.mode, lang)}"
        for i, sub in enumerate(subs[start : start + SUBSCRIPTIONS_PER_PAGE])
    ]
    hint = t("❌ removes, the other button switches between instant alerts and the digest.", lang)
    return "\n".join([header, "", *lines, "", hint]), subscription_buttons(lang, subs, page)


async def _load(db: Database, user_id: int) -> list[Subscription]:
    async with db.read() as uow:
        return await uow.subscriptions.for_user(user_id)


async def _view(
    db: Database, user_id: int, lang: str, page: int = 0, undo: InlineKeyboardButton | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    async with db.read() as uow:
        subs = await uow.subscriptions.for_user(user_id)
        muted = await uow.subscriptions.muted_sources(user_id)
    return subscriptions_view(subs, lang, page, muted=muted, undo=undo)


def _plain_title(sub: Subscription, lang: str) -> str:
    return html.unescape(subscription_title(sub, lang))


async def on_list(message: Message, db: Database, db_user: User, lang: str) -> None:
    text, markup = await _view(db, db_user.id, lang)
    await message.answer(text, reply_markup=markup)


def _matching(subs: list[Subscription], text: str) -> list[Subscription]:
    """Subscriptions the user means by `text`: a list number, a place, a topic or a keyword."""
    if text.isdigit():
        number = int(text)
        return [subs[number - 1]] if 1 <= number <= len(subs) else []
    target = parse_subscribe(text)
    codes = {p.code for p in target.places}
    lemmas = lemmatize_text(target.keyword or text)
    found = []
    for sub in subs:
        if (
            (codes and (sub.region in codes or sub.partner in codes))
            or (target.topic and sub.kind == "topic" and sub.topic == target.topic)
            or (sub.kind == "keyword" and (sub.keyword == lemmas or sub.label.casefold() == text.casefold()))
        ):
            found.append(sub)
    return found


async def on_unsubscribe(
    message: Message, command: CommandObject, db: Database, db_user: User, lang: str, removed: RemovedSubscriptions
) -> None:
    user_id = db_user.id
    subs = await _load(db, user_id)
    text = (command.args or "").strip()[:200]
    if not text or not subs:
        view, markup = await _view(db, user_id, lang)
        await message.answer(view, reply_markup=markup)
        return
    found = _matching(subs, text)
    if len(found) == 1:
        async with db.write() as uow:
            await uow.subscriptions.remove(user_id, found[0].id)
            await uow.commit()
        key = removed.remember(user_id, RemovedSubscription.of(found[0]))
        undo = restore_button(key, _plain_title(found[0], lang), 0, lang)
        await message.answer(
            t("Removed: {title}.", lang, title=subscription_title(found[0], lang)),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[undo]]),
        )
        return
    if not found:
        await message.answer(t("No subscription matches that. Here are yours:", lang))
        found = subs
    view, markup = subscriptions_view(found, lang)
    await message.answer(view, reply_markup=markup)


async def on_button(
    query: CallbackQuery, callback_data: SubCb, db: Database, db_user: User, lang: str, removed: RemovedSubscriptions
) -> None:
    user_id = db_user.id
    action = callback_data.action
    if action not in tuple(SubAction):
        await stale_button(query, lang)
        return
    note, undo = None, None
    if action in (SubAction.REMOVE, SubAction.TOGGLE_MODE):
        async with db.write() as uow:
            sub = await uow.subscriptions.owned(user_id, callback_data.sub_id)
            if sub is None:  # someone else's id, or already removed
                await stale_button(query, lang)
                return
            if action == SubAction.REMOVE:
                await uow.subscriptions.remove(user_id, sub.id)
                note = t("Removed", lang)
                key = removed.remember(user_id, RemovedSubscription.of(sub))
                undo = restore_button(key, _plain_title(sub, lang), callback_data.page, lang)
            else:
                new_mode = DIGEST if sub.mode == INSTANT else INSTANT
                await uow.subscriptions.set_mode(user_id, sub.id, new_mode)
                note = mode_label(new_mode, lang)
            await uow.commit()
    text, markup = await _view(db, user_id, lang, callback_data.page, undo)
    await edit_or_send(query, text, markup)
    await query.answer(note)


async def on_restore(
    query: CallbackQuery,
    callback_data: RestoreSubCb,
    db: Database,
    db_user: User,
    lang: str,
    removed: RemovedSubscriptions,
) -> None:
    """↩ Restore: the removed subscription comes back as it was (same rule, label and mode)."""
    user_id = db_user.id
    gone = removed.take(user_id, callback_data.key)
    if gone is None:
        await stale_button(query, lang)
        return
    async with db.write() as uow:
        await uow.subscriptions.add(
            user_id, gone.kind, region=gone.region, partner=gone.partner, topic=gone.topic, keyword=gone.keyword,
            label=gone.label, mode=gone.mode, thread_id=gone.thread_id,
        )
        await uow.commit()
    text, markup = await _view(db, user_id, lang, callback_data.page)
    await edit_or_send(query, text, markup)
    await query.answer(t("Restored", lang))


def build_router() -> Router:
    router = Router(name="subscriptions")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_list, Command("subscriptions"), flags=ANYONE)
        observer.register(on_unsubscribe, Command("unsubscribe"))
    router.callback_query.register(on_button, SubCb.filter())
    router.callback_query.register(on_restore, RestoreSubCb.filter())
    return router
