"""Parsing profiles by name; a source picks one with `parser = "..."`, never by host name."""

from __future__ import annotations

from scrapers.parsers import akipress, bitrix, generic, gov_spb, kazinform, kg24
from scrapers.parsers.base import SELECTOR_FIELDS, Profile, Selectors, SourceLike

PROFILES: dict[str, Profile] = {
    module.PROFILE.name: module.PROFILE for module in (bitrix, gov_spb, kazinform, kg24, akipress, generic)
}
PROFILE_NAMES = frozenset(PROFILES)


def get_profile(name: str) -> Profile:
    """The named profile; KeyError names the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown parser profile {name!r}; known: {', '.join(sorted(PROFILES))}") from None


__all__ = ["PROFILES", "PROFILE_NAMES", "SELECTOR_FIELDS", "Profile", "Selectors", "SourceLike", "get_profile"]
