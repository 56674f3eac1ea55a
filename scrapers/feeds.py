"""RSS/Atom feeds → ListItems via feedparser, dates falling back to dateparser in the site zone."""

from __future__ import annotations

import calendar
import warnings
from datetime import UTC, datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from scrapers.dates import parse_date
from scrapers.models import ListItem
from scrapers.urls import canonicalize_url


def _entry_date(entry: Any, tz: str) -> datetime | None:
    # feedparser normalises what it understands to UTC struct_time; Russian month names come back None.
    for key in ("published_parsed", "updated_parsed"):
        with warnings.catch_warnings():  # feedparser warns about its updated/published alias
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    for key in ("published", "updated", "pubdate", "dc_date"):
        raw = entry.get(key)
        if raw:
            moment = parse_date(str(raw), tz)
            if moment:
                return moment
    return None


def feed_entries(
    data: bytes, base_url: str, tz: str, headers: dict[str, str] | None = None
) -> tuple[list[ListItem], dict[str, str]]:
    """Entries of an RSS/Atom document, plus canonical URL → plain-text summary for each that has one.

    Takes raw bytes so feedparser can honour the encoding the feed declares.
    """
    feed = feedparser.parse(data, response_headers=headers or {})
    items: list[ListItem] = []
    summaries: dict[str, str] = {}
    seen: set[str] = set()
    for entry in feed.entries:
        link = entry.get("link") or entry.get("id")
        if not link:
            continue
        url = canonicalize_url(str(link), base_url)
        if url in seen:
            continue
        seen.add(url)
        title = " ".join(str(entry.get("title", "")).split())
        items.append(ListItem(url=url, title=title, published=_entry_date(entry, tz)))
        summary = entry.get("summary", "")
        if summary:
            text = LexborHTMLParser(f"<div>{summary}</div>").text(separator=" ")
            summaries[url] = " ".join(text.split())
    return items, summaries


def parse_feed(data: bytes, base_url: str, tz: str, headers: dict[str, str] | None = None) -> list[ListItem]:
    """Entries of an RSS/Atom document as ListItems."""
    return feed_entries(data, base_url, tz, headers)[0]
