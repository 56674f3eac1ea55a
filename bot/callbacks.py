"""Callback data factories: short prefixes, short codes (RU-VLG, forestry, ids), never names."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from aiogram.filters.callback_data import CallbackData

CALLBACK_DATA_LIMIT = 64

# The values are what travels in callback_data (64 bytes at most): short on the wire, named in the code.


class Goal(StrEnum):
    """What the subscribe menu is building."""

    REGION = "r"
    TOPIC = "t"
    PAIR = "p"
    REGION_TOPIC = "x"
    MENU = "menu"  # back to the top of the menu


class PickStage(StrEnum):
    """Where the place picker is."""

    COUNTRY_LIST = "cl"
    COUNTRY = "co"
    DISTRICT = "fd"  # a federal district of Russia


class SubAction(StrEnum):
    REMOVE = "rm"
    TOGGLE_MODE = "md"
    PAGE = "pg"


class SettingKey(StrEnum):
    """A setting to change, or VIEW to open a sub-menu (its value names which)."""

    LANGUAGE = "lang"
    TIMEZONE = "tz"
    DIGEST_HOUR = "dh"
    QUIET_HOURS = "qh"
    DIGEST_ON = "de"
    INSTANT_ON = "ie"
    NO_NEWS_NOTE = "nn"
    SURGE_ALERTS = "sa"
    WEEKLY_SUMMARY = "ws"
    VIEW = "v"


Mode = Literal["instant", "digest"]
INSTANT: Mode = "instant"
DIGEST: Mode = "digest"


class MenuCb(CallbackData, prefix="mn"):
    """Top of the subscribe menu: what to subscribe to."""

    goal: Goal


class PickCb(CallbackData, prefix="pk"):
    """One step of the place picker.

    first: the user's own region already picked (pairs); topic: the topic already picked (region+topic).
    """

    goal: Goal
    stage: PickStage
    country: str = ""
    district: str = ""
    page: int = 0
    first: str = ""
    topic: str = ""


class TopicCb(CallbackData, prefix="tp"):
    """A topic tapped in the topic list (TOPIC: the topic alone; REGION_TOPIC: then pick a place)."""

    goal: Goal
    topic: str


class NewSubCb(CallbackData, prefix="ns"):
    """A subscription to create; an empty mode means "ask the mode first"."""

    kind: str
    region: str = ""
    partner: str = ""
    topic: str = ""
    mode: Mode | Literal[""] = ""


class SubCb(CallbackData, prefix="sb"):
    """Manage one of my subscriptions, or show a page of the list."""

    action: SubAction
    sub_id: int = 0
    page: int = 0


class SearchCb(CallbackData, prefix="sr"):
    """A page of a remembered search."""

    key: int
    page: int


class SettingsCb(CallbackData, prefix="st"):
    """A settings change (key/value) or a sub-menu (VIEW, value: which)."""

    key: SettingKey
    value: str = ""


class MoreLikeCb(CallbackData, prefix="ml"):
    """ "More like this" under an alert."""

    article_id: int


class MuteSourceCb(CallbackData, prefix="mu"):
    """ "Mute this source" under an alert; the source is found through the article (ids stay short)."""

    article_id: int


class RestoreSubCb(CallbackData, prefix="rs"):
    """ "↩ Restore" under the message that confirmed a removal; the key points into bot.undo's memory."""

    key: int
    page: int = 0


class UnmuteCb(CallbackData, prefix="um"):
    """ "🔔 Unmute": a short hash of the source id (bot.undo.source_key), checked against the user's mutes."""

    key: str


class KeywordCb(CallbackData, prefix="kw"):
    """ "Follow the word «…»" after /subscribe text that named no place or topic; the key opens bot.undo's memory."""

    key: int


class SourceAction(StrEnum):
    """An admin's tap on a source: confirm or drop an /addsource preview, or manage a listed source."""

    ADD = "a"
    CANCEL = "c"
    PAUSE = "p"
    RESUME = "r"
    REMOVE = "x"


class SourceCb(CallbackData, prefix="so"):
    """key: the pending preview (ADD, CANCEL); source: bot.undo.source_key of a source id (the rest)."""

    action: SourceAction
    key: int = 0
    source: str = ""
