"""Callback data factories: short prefixes, short codes (RU-VLG, forestry, ids), never names."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

CALLBACK_DATA_LIMIT = 64


class MenuCb(CallbackData, prefix="mn"):
    """Top of the subscribe menu: what to subscribe to ("r" region, "t" topic, "p" pair, "x" region+topic)."""

    goal: str


class PickCb(CallbackData, prefix="pk"):
    """One step of the place picker.

    goal: r region, p pair, x region+topic; stage: cl country list, co country, fd federal district;
    first: the user's own region already picked (pairs); topic: the topic already picked (x).
    """

    goal: str
    stage: str
    country: str = ""
    district: str = ""
    page: int = 0
    first: str = ""
    topic: str = ""


class TopicCb(CallbackData, prefix="tp"):
    """A topic tapped in the topic list (goal t: topic alone; x: then pick a place)."""

    goal: str
    topic: str


class NewSubCb(CallbackData, prefix="ns"):
    """A subscription to create; an empty mode means "ask the mode first"."""

    kind: str
    region: str = ""
    partner: str = ""
    topic: str = ""
    mode: str = ""


class SubCb(CallbackData, prefix="sb"):
    """Manage one of my subscriptions: rm remove, md toggle mode, pg show a page of the list."""

    action: str
    sub_id: int = 0
    page: int = 0


class SearchCb(CallbackData, prefix="sr"):
    """A page of a remembered search."""

    key: int
    page: int


class SettingsCb(CallbackData, prefix="st"):
    """A settings change (key/value) or a sub-menu (key "v")."""

    key: str
    value: str = ""


class MoreLikeCb(CallbackData, prefix="ml"):
    """ "More like this" under an alert."""

    article_id: int


class MuteSourceCb(CallbackData, prefix="mu"):
    """ "Mute this source" under an alert; the source is found through the article (ids stay short)."""

    article_id: int
