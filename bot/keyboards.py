"""Inline keyboards: pure functions from state to markup, so a test can build every one of them."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from analysis.gazetteer import Place, load_gazetteer
from analysis.topics import TOPIC_IDS, topic_name
from bot.callbacks import (
    DIGEST,
    INSTANT,
    Goal,
    MenuCb,
    MoreLikeCb,
    MuteSourceCb,
    NewSubCb,
    PickCb,
    PickStage,
    SearchCb,
    SettingKey,
    SettingsCb,
    SubAction,
    SubCb,
    TopicCb,
)
from bot.i18n import N_, t
from storage.models import Subscription

COUNTRIES_PER_PAGE = 12
REGIONS_PER_PAGE = 12
SUBSCRIPTIONS_PER_PAGE = 8
FEDERAL_DISTRICTS = ("CFD", "NWFD", "SFD", "NCFD", "VFD", "UFD", "SibFD", "FEFD")
DISTRICT_MSGIDS = {
    "CFD": N_("Central"),
    "NWFD": N_("Northwestern"),
    "SFD": N_("Southern"),
    "NCFD": N_("North Caucasian"),
    "VFD": N_("Volga"),
    "UFD": N_("Ural"),
    "SibFD": N_("Siberian"),
    "FEFD": N_("Far Eastern"),
}
COMMON_TIMEZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Asia/Almaty",
    "Asia/Bishkek",
    "Asia/Tashkent",
    "Europe/Minsk",
)
QUIET_PRESETS = ("off", "22-7", "23-8", "21-9", "0-7")
DIGEST_HOURS = tuple(range(24))


def _markup(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    return builder.as_markup()


def _pager(builder: InlineKeyboardBuilder, page: int, pages: int, make: PickCb | None = None) -> None:
    """A ◀ n/N ▶ row; callbacks come from `make` with the page replaced."""
    if pages <= 1 or make is None:
        return
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=make.model_copy(update={"page": page - 1}).pack()))
    row.append(
        InlineKeyboardButton(text=f"{page + 1}/{pages}", callback_data=make.model_copy(update={"page": page}).pack())
    )
    if page + 1 < pages:
        row.append(InlineKeyboardButton(text="▶", callback_data=make.model_copy(update={"page": page + 1}).pack()))
    builder.row(*row)


def subscribe_menu(lang: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=t("📍 A region or country", lang), callback_data=MenuCb(goal=Goal.REGION))
    b.button(text=t("🤝 My region ↔ a partner", lang), callback_data=MenuCb(goal=Goal.PAIR))
    b.button(text=t("🏷 A topic", lang), callback_data=MenuCb(goal=Goal.TOPIC))
    b.button(text=t("📍+🏷 A region and a topic", lang), callback_data=MenuCb(goal=Goal.REGION_TOPIC))
    b.adjust(1)
    return _markup(b)


def ordered_countries(lang: str = "ru", partners: Sequence[str] = (), *, own_side: bool = False) -> list[Place]:
    """The picker's order: for your own side Russia first; for a partner, the region's partner countries
    (most news together first), then the neighbours we know regions of, then the rest, by name in `lang`."""
    gaz = load_gazetteer()
    countries = gaz.countries()
    rank = {code: i for i, code in enumerate(partners)}

    def key(country: Place) -> tuple[int, int, str]:
        if own_side and country.code == "RU":
            return (0, 0, "")
        if country.code in rank:
            return (1, rank[country.code], "")
        return (2 if gaz.regions_of(country.code) else 3, 0, country.name(lang).casefold())

    chosen = sorted(countries, key=key)
    return chosen if own_side else [c for c in chosen if c.code != "RU"] + [c for c in chosen if c.code == "RU"]


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _place_button(place: Place, lang: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=f"{place.flag} {place.name(lang)}".strip(), callback_data=data)


def place_chosen(goal: str, code: str, first: str = "", topic: str = "") -> str:
    """Callback for tapping a place at the end of the picker, whatever the goal."""
    if goal == Goal.PAIR and not first:
        return PickCb(goal=Goal.PAIR, stage=PickStage.COUNTRY_LIST, first=code).pack()
    if goal == Goal.PAIR:
        return NewSubCb(kind="pair", region=first, partner=code).pack()
    return NewSubCb(kind="region", region=code, topic=topic).pack()


def country_list(lang: str, state: PickCb, partners: Sequence[str] = ()) -> InlineKeyboardMarkup:
    """Countries to pick from, a page of them; `partners`: the chosen region's partner countries, most first."""
    gaz = load_gazetteer()
    own_side = not (state.goal == Goal.PAIR and state.first)  # picking the partner of a chosen region: Russia last
    countries = ordered_countries(lang, partners, own_side=own_side)
    pages = page_count(len(countries), COUNTRIES_PER_PAGE)
    page = min(max(state.page, 0), pages - 1)
    b = InlineKeyboardBuilder()
    for country in countries[page * COUNTRIES_PER_PAGE : (page + 1) * COUNTRIES_PER_PAGE]:
        if gaz.regions_of(country.code):
            data = state.model_copy(update={"stage": PickStage.COUNTRY, "country": country.code, "page": 0}).pack()
        else:  # nothing to choose inside: the country itself is the choice
            data = place_chosen(state.goal, country.code, state.first, state.topic)
        b.add(_place_button(country, lang, data))
    b.adjust(2)
    _pager(b, page, pages, state.model_copy(update={"stage": PickStage.COUNTRY_LIST}))
    return _markup(b)


def country_regions(lang: str, state: PickCb) -> InlineKeyboardMarkup:
    """Russia: whole country + federal districts; others: whole country + paged regions."""
    gaz = load_gazetteer()
    country = gaz.get(state.country)
    b = InlineKeyboardBuilder()
    if country is None:
        return _markup(b)
    whole = t("{flag} All of {name}", lang, flag=country.flag, name=country.name(lang))
    b.row(
        InlineKeyboardButton(text=whole, callback_data=place_chosen(state.goal, country.code, state.first, state.topic))
    )
    regions = gaz.regions_of(country.code)
    districts = [d for d in FEDERAL_DISTRICTS if any(r.district == d for r in regions)]
    if districts and not state.district:
        for d in districts:
            b.button(
                text=t(DISTRICT_MSGIDS[d], lang),
                callback_data=state.model_copy(update={"stage": PickStage.DISTRICT, "district": d, "page": 0}),
            )
        b.adjust(1, 2)
        return _markup(b)
    if state.district:
        regions = [r for r in regions if r.district == state.district]
    regions = sorted(regions, key=lambda r: r.name(lang))
    pages = page_count(len(regions), REGIONS_PER_PAGE)
    page = min(max(state.page, 0), pages - 1)
    buttons = [
        _place_button(r, lang, place_chosen(state.goal, r.code, state.first, state.topic))
        for r in regions[page * REGIONS_PER_PAGE : (page + 1) * REGIONS_PER_PAGE]
    ]
    for i in range(0, len(buttons), 2):
        b.row(*buttons[i : i + 2])
    _pager(b, page, pages, state)
    return _markup(b)


def topic_list(lang: str, goal: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for tid in TOPIC_IDS:
        b.button(text=topic_name(tid, lang), callback_data=TopicCb(goal=goal, topic=tid))
    b.adjust(2)
    return _markup(b)


def mode_question(lang: str, new: NewSubCb) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=t("🔔 Instantly", lang), callback_data=new.model_copy(update={"mode": INSTANT}))
    b.button(text=t("📰 In the daily digest", lang), callback_data=new.model_copy(update={"mode": DIGEST}))
    b.adjust(1)
    return _markup(b)


def place_choice(lang: str, places: Sequence[Place], topic: str = "") -> InlineKeyboardMarkup:
    """Buttons for an ambiguous name: one per reading."""
    b = InlineKeyboardBuilder()
    for place in places[:8]:
        kind = t("country", lang) if place.is_country else t("region", lang)
        label = f"{place.flag} {place.name(lang)} ({kind})".strip()
        b.button(text=label, callback_data=NewSubCb(kind="region", region=place.code, topic=topic, mode=INSTANT))
    b.adjust(1)
    return _markup(b)


def subscription_buttons(
    lang: str, subs: Sequence[Subscription], page: int, *, numbered_from: int = 1
) -> InlineKeyboardMarkup:
    """Per subscription: remove and mode toggle; a pager when there are many."""
    pages = page_count(len(subs), SUBSCRIPTIONS_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    b = InlineKeyboardBuilder()
    start = page * SUBSCRIPTIONS_PER_PAGE
    for offset, sub in enumerate(subs[start : start + SUBSCRIPTIONS_PER_PAGE]):
        number = numbered_from + start + offset
        toggle = t("→ digest", lang) if sub.mode == INSTANT else t("→ instant", lang)
        b.row(
            InlineKeyboardButton(
                text=f"❌ {number}", callback_data=SubCb(action=SubAction.REMOVE, sub_id=sub.id, page=page).pack()
            ),
            InlineKeyboardButton(
                text=f"{number} {toggle}",
                callback_data=SubCb(action=SubAction.TOGGLE_MODE, sub_id=sub.id, page=page).pack(),
            ),
        )
    if pages > 1:
        row = []
        if page > 0:
            row.append(InlineKeyboardButton(text="◀", callback_data=SubCb(action=SubAction.PAGE, page=page - 1).pack()))
        if page + 1 < pages:
            row.append(InlineKeyboardButton(text="▶", callback_data=SubCb(action=SubAction.PAGE, page=page + 1).pack()))
        b.row(*row)
    b.row(InlineKeyboardButton(text=t("➕ Subscribe", lang), callback_data=MenuCb(goal=Goal.MENU).pack()))
    return _markup(b)


def search_pager(key: int, page: int, pages: int, *, more: bool = False) -> InlineKeyboardMarkup | None:
    """◀ n/N ▶; `more`: the total was capped, so there are pages past N ("n/N+" and ▶ stays)."""
    if pages <= 1 and not more:
        return None
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=SearchCb(key=key, page=page - 1).pack()))
    label = f"{page + 1}/{pages}" + ("+" if more else "")
    row.append(InlineKeyboardButton(text=label, callback_data=SearchCb(key=key, page=page).pack()))
    if page + 1 < pages or more:
        row.append(InlineKeyboardButton(text="▶", callback_data=SearchCb(key=key, page=page + 1).pack()))
    return InlineKeyboardMarkup(inline_keyboard=[row])


def settings_menu(lang: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text="🇷🇺 Русский", callback_data=SettingsCb(key=SettingKey.LANGUAGE, value="ru"))
    b.button(text="🇬🇧 English", callback_data=SettingsCb(key=SettingKey.LANGUAGE, value="en"))
    b.button(text=t("🕒 Time zone", lang), callback_data=SettingsCb(key=SettingKey.VIEW, value="tz"))
    b.button(text=t("📰 Digest hour", lang), callback_data=SettingsCb(key=SettingKey.VIEW, value="dh"))
    b.button(text=t("📰 Digest on/off", lang), callback_data=SettingsCb(key=SettingKey.DIGEST_ON))
    b.button(text=t("🔔 Instant alerts on/off", lang), callback_data=SettingsCb(key=SettingKey.INSTANT_ON))
    b.button(text=t("🌙 Quiet hours", lang), callback_data=SettingsCb(key=SettingKey.VIEW, value="qh"))
    b.button(text=t('💤 "No news" note on/off', lang), callback_data=SettingsCb(key=SettingKey.NO_NEWS_NOTE))
    b.button(text=t("📈 Surge alerts on/off", lang), callback_data=SettingsCb(key=SettingKey.SURGE_ALERTS))
    b.button(text=t("📊 Weekly summary on/off", lang), callback_data=SettingsCb(key=SettingKey.WEEKLY_SUMMARY))
    b.adjust(2, 1)
    return _markup(b)


def settings_choices(lang: str, view: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    if view == "tz":
        for zone in COMMON_TIMEZONES:
            b.button(
                text=zone.split("/")[-1].replace("_", " "),
                callback_data=SettingsCb(key=SettingKey.TIMEZONE, value=zone),
            )
        b.adjust(3)
    elif view == "dh":
        for hour in DIGEST_HOURS:
            b.button(text=f"{hour:02d}:00", callback_data=SettingsCb(key=SettingKey.DIGEST_HOUR, value=str(hour)))
        b.adjust(6)
    elif view == "qh":
        for preset in QUIET_PRESETS:
            label = t("off", lang) if preset == "off" else "{:02d}:00–{:02d}:00".format(*map(int, preset.split("-")))
            b.button(text=label, callback_data=SettingsCb(key=SettingKey.QUIET_HOURS, value=preset))
        b.adjust(3)
    b.row(
        InlineKeyboardButton(text=t("◀ Back", lang), callback_data=SettingsCb(key=SettingKey.VIEW, value="main").pack())
    )
    return _markup(b)


def alert_buttons(lang: str, article_id: int) -> InlineKeyboardMarkup:
    """Buttons under an alert (used by the lead's sender): more like this, mute this source."""
    b = InlineKeyboardBuilder()
    b.button(text=t("🔎 More like this", lang), callback_data=MoreLikeCb(article_id=article_id))
    b.button(text=t("🔕 Mute this source", lang), callback_data=MuteSourceCb(article_id=article_id))
    b.adjust(2)
    return _markup(b)
