"""How reports translate: the caller's `t` (bot.i18n.t) passed in, and msgids marked with `N_`."""

from __future__ import annotations

from typing import Any, Protocol

from analysis.gazetteer import load_gazetteer


class Translate(Protocol):
    """bot.i18n.t's shape: reports sit below bot, so they are given it instead of importing it."""

    def __call__(self, msgid: str, lang: str, /, *, plural: str | None = None, n: int = 1, **values: Any) -> str: ...


def N_(msgid: str) -> str:
    """Mark a msgid for the catalog check (bot/i18n_catalog.py scans this package too)."""
    return msgid


EVENT_MSGIDS = {  # the same msgids as bot.formatting's event labels
    "agreement": N_("Agreement signed"),
    "memorandum": N_("Memorandum signed"),
    "roadmap": N_("Roadmap signed"),
    "visit": N_("Delegation visit"),
    "meeting": N_("Meeting"),
    "talks": N_("Talks"),
    "forum": N_("Forum"),
    "exhibition": N_("Exhibition or fair"),
    "trade": N_("Trade deal"),
    "other": N_("Cooperation"),
}
OTHER = "*"  # the series that gathers everything beyond the largest ones


def place_name(code: str, lang: str) -> str:
    place = load_gazetteer().get(code)
    return place.name(lang) if place is not None else code


def event_name(event: str | None, lang: str, t: Translate) -> str:
    return t(EVENT_MSGIDS.get(event or "other", EVENT_MSGIDS["other"]), lang)
