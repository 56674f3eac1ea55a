"""`since:` in a search: an ISO or dotted date, or words like вчера / yesterday / неделя / 3_дня.

Shared by the bot's /search and the CLI's `coopnews search` through `bot.query.parse_search`.
A value we cannot read is reported back by the caller ("not understood: since:…") and the rest of
the query still runs.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import dateparser

SINCE = re.compile(r"(?i)(?<!\S)since:(\S*)")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# Words for a period back from now; dateparser reads "вчера" or "2 недели назад" but not a bare "неделя".
_PERIODS = {
    "today": 0, "сегодня": 0, "бүгін": 0,
    "yesterday": 1, "вчера": 1, "кеше": 1,
    "week": 7, "неделя": 7, "неделю": 7, "апта": 7,
    "month": 30, "месяц": 30, "ай": 30,
    "year": 365, "год": 365, "жыл": 365,
}
_DATEPARSER = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": True,
               "TIMEZONE": "UTC"}


def _start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def read_since(value: str, now: datetime) -> datetime | None:
    """The moment `value` names (aware UTC, the start of that day), or None when it names none."""
    text = value.strip().lower().replace("_", " ")
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        if dotted := _DOTTED.match(text):
            day, month, year = (int(g) for g in dotted.groups())
            return datetime(year, month, day, tzinfo=UTC)
    except ValueError:  # 2025-02-30: a date's shape, not a date
        return None
    if text in _PERIODS:
        return _start_of_day(now - timedelta(days=_PERIODS[text]))
    if not any(ch.isalpha() for ch in text):
        return None
    # "2 недели", "3 days", "3 дня назад", "last month": a bare period means that long ago
    relative = re.search(r"(назад|ago|бұрын|last|прошл)", text) is not None
    for phrase in [text] if relative else [f"{text} назад", f"{text} ago"]:
        parsed = dateparser.parse(phrase, languages=["ru", "en", "kk"],
                                  settings={**_DATEPARSER, "RELATIVE_BASE": now.replace(tzinfo=None)})
        if parsed is not None and parsed <= now + timedelta(days=1):
            return _start_of_day(parsed)
    return None
