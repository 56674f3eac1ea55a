"""Publication dates as tz-aware datetimes in the site's own time zone."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser

LANGUAGES = ["ru", "en", "kk"]
# DMY: Russian and Kazakh sites write 10.12.2025 for 10 December, which dateparser's default reads as 12 October.
DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\D{1,5}(\d{1,2}):(\d{2}))?")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?")
CLUTTER = re.compile(r"(?i)\b(опубликовано|дата публикации|published|обновлено|updated)\s*:?\s*")


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """A ZoneInfo by IANA name; unknown names fall back to Moscow time, where most sources live."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Moscow")


def localize(moment: datetime, tz_name: str) -> datetime:
    """Attach the site zone to a naive datetime; aware ones are kept as they are."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone(tz_name))


def _fast_parse(text: str) -> datetime | None:
    """The common shapes without dateparser: DD.MM.YYYY [HH:MM] and ISO 8601."""
    iso = ISO.search(text)
    if iso:
        try:
            return datetime.fromisoformat(iso.group(0).replace("Z", "+00:00"))
        except ValueError:
            pass
    dotted = DOTTED.search(text)
    if dotted:
        day, month, year, hour, minute = dotted.groups()
        try:
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            return None
    return None


def warm_up() -> None:
    """Have dateparser load its language data and compile its patterns now rather than mid-poll.

    The first call takes ~180 ms, much of it compiling regular expressions while holding the GIL,
    which stalls the event loop if it happens in a worker thread during a poll.
    """
    for sample in ("5 декабря 2025 года, 14:30", "5 желтоқсан 2025", "December 5, 2025 2:30 pm"):
        parse_date(sample, "UTC")  # one per language: dateparser loads each only when it needs it


def parse_date(text: str | None, tz_name: str) -> datetime | None:
    """Parse a date string from a page or feed; tz-aware in the site zone, or None."""
    if not text:
        return None
    cleaned = CLUTTER.sub("", " ".join(text.split()))
    if not cleaned:
        return None
    parsed = _fast_parse(cleaned)
    if parsed is None:
        parsed = dateparser.parse(cleaned[:80], languages=LANGUAGES, settings=dict(DATEPARSER_SETTINGS))
    return localize(parsed, tz_name) if parsed else None
