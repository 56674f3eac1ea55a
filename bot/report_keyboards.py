"""Keyboards of /report: period, scope, and a small place picker (countries, then a country's regions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from analysis.gazetteer import load_gazetteer
from bot.i18n import N_, t
from bot.keyboards import ordered_countries, page_count
from bot.report_callbacks import ReportCb, ReportStep
from reports.period import NAMED, named_period
from reports.scope import Scope
from storage.models import Subscription

PLACES_PER_PAGE = 12
PERIOD_MSGIDS = {"week": N_("Last week"), "month": N_("Last month"), "quarter": N_("Last quarter")}


def period_menu(lang: str, today: date, tz: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for name in NAMED:
        period = named_period(name, today, tz)
        b.button(text=f"{t(PERIOD_MSGIDS[name], lang)} ({period.first:%d.%m}–{period.last:%d.%m})",
                 callback_data=ReportCb(step=ReportStep.PERIOD, period=period.code()))
    b.button(text=t("📅 Other dates…", lang), callback_data=ReportCb(step=ReportStep.CUSTOM))
    b.adjust(1)
    return b.as_markup()


def subscription_scopes(subscriptions: Sequence[Subscription]) -> list[Scope]:
    """The places and pairs the user follows, each once, as report scopes."""
    gaz = load_gazetteer()
    scopes: dict[str, Scope] = {}
    for sub in subscriptions:
        if sub.kind == "pair" and sub.region and sub.partner:
            scope = Scope("pair", sub.region, sub.partner)
        elif sub.kind == "region" and sub.region and (place := gaz.get(sub.region)) is not None:
            scope = Scope("country" if place.is_country else "region", place.code)
        else:
            continue
        scopes.setdefault(scope.wire(), scope)
    return list(scopes.values())[:8]


def scope_menu(lang: str, period_code: str, subscriptions: Sequence[Subscription]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    build = ReportCb(step=ReportStep.BUILD, period=period_code)
    b.button(text=t("⭐ My subscriptions", lang), callback_data=build.model_copy(update={"scope": "s"}))
    for scope in subscription_scopes(subscriptions):
        b.button(text=scope.title(lang, t), callback_data=build.model_copy(update={"scope": scope.wire()}))
    picker = ReportCb(step=ReportStep.COUNTRIES, period=period_code)
    b.button(text=t("📍 A region or country…", lang), callback_data=picker)
    b.button(text=t("🤝 A region pair…", lang), callback_data=picker.model_copy(update={"pair": True}))
    b.adjust(1)
    return b.as_markup()


def _chosen(state: ReportCb, code: str) -> ReportCb:
    """Where a tap on a place leads: the report, or (first side of a pair) the partner's picker."""
    if state.pair and not state.first:
        return ReportCb(step=ReportStep.COUNTRIES, period=state.period, pair=True, first=code)
    scope = f"p.{state.first}.{code}" if state.pair else f"r.{code}"
    return ReportCb(step=ReportStep.BUILD, period=state.period, scope=scope)


def _pager(b: InlineKeyboardBuilder, state: ReportCb, page: int, pages: int) -> None:
    if pages <= 1:
        return
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=state.model_copy(update={"page": page - 1}).pack()))
    row.append(InlineKeyboardButton(text=f"{page + 1}/{pages}", callback_data=state.pack()))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(text="▶", callback_data=state.model_copy(update={"page": page + 1}).pack()))
    b.row(*row)


def place_picker(lang: str, state: ReportCb) -> InlineKeyboardMarkup:
    """Countries (a country without regions is itself the choice), or one country's regions."""
    gaz = load_gazetteer()
    b = InlineKeyboardBuilder()
    if state.step == ReportStep.COUNTRY and (country := gaz.get(state.country)) is not None:
        whole = t("{flag} All of {name}", lang, flag=country.flag, name=country.name(lang))
        b.row(InlineKeyboardButton(text=whole, callback_data=_chosen(state, country.code).pack()))
        places = sorted(gaz.regions_of(country.code), key=lambda r: r.name(lang))
    else:
        places = ordered_countries()
    pages = page_count(len(places), PLACES_PER_PAGE)
    page = min(max(state.page, 0), pages - 1)
    buttons = []
    for place in places[page * PLACES_PER_PAGE : (page + 1) * PLACES_PER_PAGE]:
        if state.step != ReportStep.COUNTRY and gaz.regions_of(place.code):
            data = state.model_copy(update={"step": ReportStep.COUNTRY, "country": place.code, "page": 0})
        else:
            data = _chosen(state, place.code)
        buttons.append(InlineKeyboardButton(text=f"{place.flag} {place.name(lang)}".strip(), callback_data=data.pack()))
    for i in range(0, len(buttons), 2):
        b.row(*buttons[i : i + 2])
    _pager(b, state.model_copy(update={"page": page}), page, pages)
    return b.as_markup()
