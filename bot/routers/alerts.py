"""Buttons under alerts: "more like this" (a search around the article), "mute this source" and its undo."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.callbacks import MoreLikeCb, MuteSourceCb, UnmuteCb
from bot.chat_admins import ANYONE
from bot.formatting import escape
from bot.i18n import t
from bot.query import SearchQuery
from bot.results import search_page
from bot.routers.common import edit_or_send, reply_to_tap, stale_button
from bot.search_memory import SearchMemory
from bot.undo import source_key, unmute_button
from storage import Database
from storage.models import Article, User

MAX_SIMILAR_PLACES = 2


def similar_query(article: Article) -> SearchQuery:
    """Same cooperating places (or places mentioned) and the main topic; the text of the title as a last resort."""
    codes = [r.code for r in article.regions if r.is_party] or [r.code for r in article.regions]
    topics = [tp.topic for tp in article.topics[:1]]
    if not codes and not topics:
        return SearchQuery(text=" ".join(article.title.split()[:4]))
    return SearchQuery(text="", regions=codes[:MAX_SIMILAR_PLACES], topics=topics)


async def on_more_like(
    query: CallbackQuery, callback_data: MoreLikeCb, db: Database, db_user: User, lang: str, searches: SearchMemory
) -> None:
    async with db.read() as uow:
        article = await uow.articles.get(callback_data.article_id)
    if article is None or query.bot is None:
        await stale_button(query, lang)
        return
    similar = similar_query(article)
    key = searches.remember(db_user.id, similar)
    page = await search_page(db, similar, 0, key, lang, db_user.timezone)
    await reply_to_tap(query, page.text, page.markup)
    await query.answer()


async def on_mute(query: CallbackQuery, callback_data: MuteSourceCb, db: Database, db_user: User, lang: str) -> None:
    async with db.write() as uow:
        article = await uow.articles.get(callback_data.article_id)
        source = await uow.sources.get(article.source_id) if article is not None else None
        if source is None:
            await stale_button(query, lang)
            return
        await uow.subscriptions.mute_source(db_user.id, source.id)
        await uow.commit()
    await query.answer(t("Muted: {source}", lang, source=source.name[:150]))
    if query.bot is not None:  # the reply carries its own undo; /subscriptions lists mutes too
        text = t("🔕 You will get no more alerts from {source}.", lang, source=f"<b>{escape(source.name)}</b>")
        hint = t("Changed your mind? Tap below, or find it later in /subscriptions.", lang)
        undo = InlineKeyboardMarkup(inline_keyboard=[[unmute_button(source.id, source.name, lang)]])
        await reply_to_tap(query, f"{text}\n{hint}", undo)


async def on_unmute(query: CallbackQuery, callback_data: UnmuteCb, db: Database, db_user: User, lang: str) -> None:
    """🔔 Unmute, from the mute's own reply or from /subscriptions: only a source this user muted."""
    user_id = db_user.id
    async with db.write() as uow:
        muted = await uow.subscriptions.muted_sources(user_id)
        source = next(((sid, name) for sid, name in muted if source_key(sid) == callback_data.key), None)
        if source is None:
            await stale_button(query, lang)
            return
        await uow.subscriptions.unmute_source(user_id, source[0])
        await uow.commit()
    await edit_or_send(
        query, t("🔔 Alerts from {source} are back on.", lang, source=f"<b>{escape(source[1])}</b>"), None
    )
    await query.answer(t("Unmuted", lang))


def build_router() -> Router:
    router = Router(name="alerts")
    router.callback_query.register(on_more_like, MoreLikeCb.filter(), flags=ANYONE)
    router.callback_query.register(on_mute, MuteSourceCb.filter())
    router.callback_query.register(on_unmute, UnmuteCb.filter())
    return router
