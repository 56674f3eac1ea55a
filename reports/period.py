"""Report periods: the last complete week, month or quarter, or any FROM..TO dates (inclusive)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reports.labels import N_, Translate

NAMED = ("week", "month", "quarter")
MAX_DAYS = 366 * 2  # a report is a chart people read; two years of daily news is already a lot
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*$")


class ReportInputError(ValueError):
    """A period or scope the user typed that we cannot read; `msgid` says why, in words for the user."""

    def __init__(self, msgid: str, **values: Any) -> None:
        super().__init__(msgid)
        self.msgid, self.values = msgid, values

    def say(self, lang: str, t: Translate) -> str:
        return t(self.msgid, lang, **self.values)


@dataclass(frozen=True)
class Period:
    """Local dates `first`..`last`, both included, in the reader's time zone."""

    first: date
    last: date
    tz: str = "Europe/Moscow"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day to local midnight after the last."""
        zone = ZoneInfo(self.tz)
        start = datetime.combine(self.first, time(), tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time(), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def code(self) -> str:
        """Short form for callback data: 20260101-20260331."""
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    def label(self) -> str:
        return f"{self.first:%d.%m.%Y}–{self.last:%d.%m.%Y}"


def named_period(name: str, today: date, tz: str) -> Period:
    """The last complete calendar week (Mon–Sun), month or quarter before `today`."""
    if name == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), tz)
    if name == "month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, tz)
    if name == "quarter":
        this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last = this_quarter - timedelta(days=1)
        return Period(date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last, tz)
    raise ReportInputError(N_("Unknown period «{text}». Use week, month, quarter or FROM..TO dates."), text=name)


def parse_period(text: str, today: date, tz: str) -> Period:
    """`week`, `month`, `quarter`, `2026-01-01..2026-03-31`, or the compact callback form."""
    text = text.strip().lower()
    if text in NAMED:
        return named_period(text, today, tz)
    compact = re.fullmatch(r"(\d{8})-(\d{8})", text)
    match = _RANGE.match(text)
    if compact is None and match is None:
        return named_period(text[:40], today, tz)
    try:
        if compact is not None:
            first, last = (datetime.strptime(g, "%Y%m%d").date() for g in compact.groups())
        else:
            assert match is not None
            first, last = (date.fromisoformat(g) for g in match.groups())
    except ValueError:
        raise ReportInputError(N_("«{text}» is not a real date range."), text=text[:40]) from None
    if last < first:
        raise ReportInputError(N_("The period ends before it begins: {text}."), text=text[:40])
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportInputError(N_("A report covers at most {n} days."), n=MAX_DAYS)
    return Period(first, last, tz)
