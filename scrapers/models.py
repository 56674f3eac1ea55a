"""Plain values the scrapers yield: list items and parsed articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ListItem:
    """One link found on a list page or in a feed."""

    url: str
    title: str
    published: datetime | None = None


@dataclass(frozen=True)
class ParsedArticle:
    """An article page reduced to its title, time, clean text and lead image."""

    url: str
    title: str
    body: str
    lead: str
    published: datetime | None
    image_url: str | None
    lang: str
    source_id: str
