"""/search with filters and pages, and /latest."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import SearchCb
from bot.chat_admins import ANYONE
from bot.formatting import split_blocks
from bot.i18n import t
from bot.latest import LATEST_WINDOW, matching_articles
from bot.query import MAX_QUERY_CHARS, parse_search
from bot.results import cards, echo, is_searchable, not_understood_note, search_page, source_names
from bot.routers.common import edit_or_send, stale_button
from bot.search_memory import SearchMemory
from storage import Database
from storage.models import User


def usage(lang: str) -> str:
    return t(
        "Type what to look for after /search, e.g.\n<code>/search Алматинская область меморандум</code>\n"
        "<code>/search Вологда Казахстан лес since:2025-01-01</code>\n"
        "Region and topic names become filters; the other words are searched in any grammatical form. "
        "since: takes a date (2025-01-01, 01.01.2025) or a period (вчера, неделя, месяц, 3_дня).",
        lang,
    )


async def on_search(
    message: Message, command: CommandObject, db: Database, db_user: User, lang: str, searches: SearchMemory
) -> None:
    raw = (command.args or "").strip()
    if not raw:
        await message.answer(usage(lang))
        return
    if len(raw) > MAX_QUERY_CHARS:
        await message.answer(
            t(
                "Your query is too long ({n} characters). Please keep it under {limit}.",
                lang,
                n=len(raw),
                limit=MAX_QUERY_CHARS,
            )
        )
        return
    query = parse_search(raw)
    notes = [not_understood_note(part, lang) for part in query.not_understood]
    if not is_searchable(query):
        problem = t("There are no words to search for in «{query}». Use letters or numbers.", lang, query=echo(raw))
        await message.answer("\n".join([*notes, problem]))
        return
    key = searches.remember(db_user.id, query)
    page = await search_page(db, query, 0, key, lang, db_user.timezone, notes=notes)
    await message.answer(page.text, reply_markup=page.markup)


async def on_page(
    query: CallbackQuery, callback_data: SearchCb, db: Database, db_user: User, lang: str, searches: SearchMemory
) -> None:
    remembered = searches.recall(db_user.id, callback_data.key)
    if remembered is None or callback_data.page < 0:
        await query.answer(t("This search has expired. Please send /search again.", lang))
        return
    page = await search_page(db, remembered, callback_data.page, callback_data.key, lang, db_user.timezone)
    if page.total == 0 and callback_data.page > 0:
        await stale_button(query, lang)
        return
    await edit_or_send(query, page.text, page.markup)
    await query.answer()


async def on_latest(message: Message, db: Database, db_user: User, lang: str) -> None:
    async with db.read() as uow:
        subs = await uow.subscriptions.for_user(db_user.id)
        # keyword rules fire on any article with the words, as alerts do; the others on cooperation news only
        any_article = any(sub.kind == "keyword" for sub in subs)
        recent = await uow.articles.latest(LATEST_WINDOW, cooperation_only=not any_article) if subs else []
    if not subs:
        await message.answer(t("You have no subscriptions yet: /subscribe", lang))
        return
    found = await asyncio.to_thread(matching_articles, recent, subs)  # lemmatising bodies is CPU work
    if not found:
        await message.answer(t("Nothing new for your subscriptions yet.", lang))
        return
    blocks = [
        t("🗞 Latest for your subscriptions:", lang),
        *cards(found, lang, db_user.timezone, await source_names(db)),
    ]
    for text in split_blocks(blocks):
        await message.answer(text)


def build_router() -> Router:
    router = Router(name="search")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_search, Command("search"), flags=ANYONE)
        observer.register(on_latest, Command("latest"), flags=ANYONE)
    router.callback_query.register(on_page, SearchCb.filter(), flags=ANYONE)
    return router
