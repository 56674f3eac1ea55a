"""Quiet hours: when an instant alert may go out in the user's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def zone(name: str | None, fallback: str = "Europe/Moscow") -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (KeyError, ValueError):  # a zone removed from tzdata after the user chose it
        return ZoneInfo(fallback)


def quiet_until(now: datetime, tz_name: str, start: int | None, end: int | None) -> datetime | None:
    """The UTC moment quiet hours end if `now` falls inside them, else None.

    Hours are local and whole; a window may wrap midnight (22 → 7). start == end means no window.
    """
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone(tz_name))
    hour = local.hour
    inside = start <= hour < end if start < end else (hour >= start or hour < end)
    if not inside:
        return None
    end_day = local.date() if hour < end else local.date() + timedelta(days=1)
    release = datetime.combine(end_day, time(end), tzinfo=local.tzinfo)
    return release.astimezone(UTC)
