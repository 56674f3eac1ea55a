"""/report: a chart (sendPhoto) and a spreadsheet (sendDocument) of cooperation news, tapped or typed.

Typed: `/report [week|month|quarter|FROM..TO] [a place | a place — a place]`; tapped: period, then scope.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from alerts.quiet import zone
from analysis.gazetteer import load_gazetteer
from bot.chat_admins import ANYONE
from bot.formatting import escape
from bot.i18n import N_, t
from bot.report_callbacks import ReportCb, ReportStep
from bot.report_caption import report_caption
from bot.report_keyboards import period_menu, place_picker, scope_menu
from bot.routers.common import edit_or_send, stale_button
from reports.build import make_report
from reports.period import Period, ReportInputError, parse_period
from reports.scope import Scope, parse_wire
from storage import Database
from storage.clock import utcnow
from storage.models import User

log = logging.getLogger(__name__)
PAIR_SEPARATOR = re.compile(r"\s+(?:—|–|-|↔|<->)\s+")
PERIOD_WORD = re.compile(r"^(week|month|quarter|\d{4}-\d{2}-\d{2}\s*\.\.\s*\d{4}-\d{2}-\d{2})(?:\s+|$)", re.IGNORECASE)
_busy: set[int] = set()  # users whose report is being made: one at a time each


def _today(user: User) -> date:
    return utcnow().astimezone(zone(user.timezone)).date()


async def send_report(message: Message, db: Database, user: User, scope: Scope, period: Period, lang: str) -> None:
    """Make the report off the event loop and send it; one at a time per user."""
    if user.id in _busy:
        await message.answer(t("Your previous report is still being prepared. One moment, please.", lang))
        return
    _busy.add(user.id)
    try:
        if message.bot is not None:
            await message.bot.send_chat_action(message.chat.id, "upload_document")
        files = await make_report(db, scope, period, lang, t)
        if files.empty or files.png is None or files.xlsx is None:
            await message.answer(escape(t("{scope}, {period}: nothing in this period.", lang,
                                          scope=scope.title(lang, t), period=period.label())))
            return
        stem = files.file_stem()
        await message.answer_photo(BufferedInputFile(files.png, f"{stem}.png"), caption=report_caption(files, lang))
        await message.answer_document(BufferedInputFile(files.xlsx, f"{stem}.xlsx"),
                                      caption=escape(t("One row per item; counts on the second sheet.", lang)))
    finally:
        _busy.discard(user.id)


def _typed_scope(text: str, user: User) -> Scope:
    """A place name, or two joined by a dash or ↔; empty text means my subscriptions."""
    text = text.strip()
    if not text:
        return Scope("subscriptions", user_id=user.id)
    gaz = load_gazetteer()
    names = PAIR_SEPARATOR.split(text, maxsplit=1)
    places = [gaz.resolve(name[:100]) for name in names]
    if not all(places):
        missing = next(name for name, found in zip(names, places, strict=True) if not found)
        raise ReportInputError(N_("I do not know the place «{text}»."), text=missing[:60])
    if len(places) == 2:
        a, b = places[0][0], places[1][0]
        if a.code == b.code:
            raise ReportInputError(N_("I do not know the place «{text}»."), text=text[:60])
        return Scope("pair", a.code, b.code)
    place = places[0][0]
    return Scope("country" if place.is_country else "region", place.code)


async def on_report(message: Message, command: CommandObject, db: Database, db_user: User, lang: str) -> None:
    text = (command.args or "").strip()
    if not text:
        await message.answer(
            t("<b>Report</b>: a chart and a spreadsheet of cooperation news. Which period?", lang),
            reply_markup=period_menu(lang, _today(db_user), db_user.timezone),
        )
        return
    found = PERIOD_WORD.match(text)
    period_text = found.group(1) if found else "month"
    try:
        period = parse_period(period_text, _today(db_user), db_user.timezone)
        scope = _typed_scope(text[found.end():] if found else text, db_user)
    except ReportInputError as exc:
        await message.answer(escape(exc.say(lang, t)) + "\n\n" + _typed_help(lang))
        return
    await send_report(message, db, db_user, scope, period, lang)


def _typed_help(lang: str) -> str:
    return t(
        "Examples: <code>/report quarter Казахстан</code>, <code>/report month Вологодская область — "
        "Алматинская область</code>, <code>/report 2026-01-01..2026-03-31</code> (your subscriptions).",
        lang,
    )


async def on_button(query: CallbackQuery, callback_data: ReportCb, db: Database, db_user: User, lang: str) -> None:
    state = callback_data
    if state.step == ReportStep.CUSTOM:
        await edit_or_send(query, t("Type the dates and, if you like, a place:", lang) + "\n" + _typed_help(lang), None)
        await query.answer()
        return
    try:
        period = parse_period(state.period, _today(db_user), db_user.timezone)
        scope = parse_wire(state.scope, db_user.id) if state.step == ReportStep.BUILD else None
        if state.first:
            parse_wire(f"r.{state.first}", db_user.id)
    except ReportInputError:
        await stale_button(query, lang)
        return
    if state.step == ReportStep.PERIOD:
        async with db.read() as uow:
            subscriptions = await uow.subscriptions.for_user(db_user.id)
        prompt = t("Report for {period}: what should it cover?", lang, period=period.label())
        await edit_or_send(query, prompt, scope_menu(lang, state.period, subscriptions))
    elif state.step in (ReportStep.COUNTRIES, ReportStep.COUNTRY):
        prompt = (
            t("Choose the partner:", lang) if state.first
            else t("Choose the first region of the pair:", lang) if state.pair else t("Choose a country:", lang)
        )
        await edit_or_send(query, prompt, place_picker(lang, state))
    elif scope is not None and isinstance(query.message, Message):
        await query.answer(t("Preparing the report…", lang))
        await edit_or_send(query, t("Report for {period}: {scope}", lang, period=period.label(),
                                    scope=escape(scope.title(lang, t))), None)
        await send_report(query.message, db, db_user, scope, period, lang)
        return
    else:
        await stale_button(query, lang)
        return
    await query.answer()


def build_router() -> Router:
    router = Router(name="report")
    router.message.register(on_report, Command("report"), flags=ANYONE)  # read-only: files of the news
    router.callback_query.register(on_button, ReportCb.filter(), flags=ANYONE)
    return router
