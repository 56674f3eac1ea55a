"""/subscriptions and /unsubscribe: list, remove, switch between instant and digest."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from analysis.lemmas import lemmatize_text
from bot.callbacks import DIGEST, INSTANT, SubAction, SubCb
from bot.formatting import mode_label, subscription_title
from bot.i18n import t
from bot.keyboards import SUBSCRIPTIONS_PER_PAGE, page_count, subscribe_menu, subscription_buttons
from bot.query import parse_subscribe
from bot.routers.common import edit_or_send, stale_button
from storage import Database
from storage.models import Subscription


def subscriptions_view(subs: list[Subscription], lang: str, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """The numbered list (one page of it) with its remove/mode buttons."""
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


async def on_list(message: Message, db: Database, lang: str) -> None:
    assert message.from_user is not None
    text, markup = subscriptions_view(await _load(db, message.from_user.id), lang)
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


async def on_unsubscribe(message: Message, command: CommandObject, db: Database, lang: str) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    subs = await _load(db, user_id)
    text = (command.args or "").strip()[:200]
    if not text or not subs:
        view, markup = subscriptions_view(subs, lang)
        await message.answer(view, reply_markup=markup)
        return
    found = _matching(subs, text)
    if len(found) == 1:
        async with db.write() as uow:
            await uow.subscriptions.remove(user_id, found[0].id)
            await uow.commit()
        await message.answer(t("Removed: {title}.", lang, title=subscription_title(found[0], lang)))
        return
    if not found:
        await message.answer(t("No subscription matches that. Here are yours:", lang))
        found = subs
    view, markup = subscriptions_view(found, lang)
    await message.answer(view, reply_markup=markup)


async def on_button(query: CallbackQuery, callback_data: SubCb, db: Database, lang: str) -> None:
    user_id = query.from_user.id
    action = callback_data.action
    if action not in tuple(SubAction):
        await stale_button(query, lang)
        return
    note = None
    if action in (SubAction.REMOVE, SubAction.TOGGLE_MODE):
        async with db.write() as uow:
            sub = await uow.subscriptions.owned(user_id, callback_data.sub_id)
            if sub is None:  # someone else's id, or already removed
                await stale_button(query, lang)
                return
            if action == SubAction.REMOVE:
                await uow.subscriptions.remove(user_id, sub.id)
                note = t("Removed", lang)
            else:
                new_mode = DIGEST if sub.mode == INSTANT else INSTANT
                await uow.subscriptions.set_mode(user_id, sub.id, new_mode)
                note = mode_label(new_mode, lang)
            await uow.commit()
    text, markup = subscriptions_view(await _load(db, user_id), lang, callback_data.page)
    await edit_or_send(query, text, markup)
    await query.answer(note)


def build_router() -> Router:
    router = Router(name="subscriptions")
    router.message.register(on_list, Command("subscriptions"))
    router.message.register(on_unsubscribe, Command("unsubscribe"))
    router.callback_query.register(on_button, SubCb.filter())
    return router
