"""Search result pages and /latest rendered as messages; shared by /search, pagination and "more like this"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup

from analysis.topics import topic_name
from bot.formatting import article_card, escape, party_line, place_label, split_blocks, truncate_html
from bot.i18n import t
from bot.keyboards import search_pager
from bot.query import SearchQuery
from storage import Database
from storage.models import Article
from storage.text import fts_match_expression

PAGE_SIZE = 5
# Five cards and a header always fit one message at this size.
CARD_LIMIT = 700
ECHO_LIMIT = 100


@dataclass(frozen=True)
class RenderedPage:
    text: str
    markup: InlineKeyboardMarkup | None
    total: int


def count_text(n: int) -> str:
    """A count as people write it: digits in threes, joined by a no-break space ("10 000")."""
    return f"{n:,}".replace(",", "\u00a0")


def echo(text: str) -> str:
    """User text shown back: shortened and escaped."""
    text = " ".join(text.split())
    return escape(text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…")


def is_searchable(query: SearchQuery) -> bool:
    return bool(query.regions or query.topics or fts_match_expression(query.text))


async def source_names(db: Database) -> dict[str, str]:
    async with db.read() as uow:
        return {s.id: s.name for s in await uow.sources.all()}


def _card(article: Article, lang: str, tz: str, names: dict[str, str]) -> str:
    """The article card with its ↔ party line, as in alerts, so a result says who cooperates with whom."""
    card = article_card(article, lang, tz, source_name=names.get(article.source_id))
    parties = [(p.ru_code, p.partner_code) for p in article.parties]
    if article.is_cooperation and parties:
        card += "\n" + party_line(parties, lang)
    return truncate_html(card, CARD_LIMIT)


def cards(articles: Sequence[Article], lang: str, tz: str, names: dict[str, str]) -> list[str]:
    return [_card(a, lang, tz, names) for a in articles]


def not_understood_note(part: str, lang: str) -> str:
    """What we could not read in a query, and that the rest of it was searched."""
    return "⚠️ " + t(
        "I did not understand «{part}» and searched without it. Dates look like since:2025-01-01, "
        "since:вчера or since:неделя.", lang, part=echo(part),
    )


def filters_line(query: SearchQuery, lang: str) -> str:
    parts = [place_label(code, lang) for code in query.regions]
    parts += [f"🏷 {escape(topic_name(tid, lang))}" for tid in query.topics]
    if query.since is not None:
        parts.append(t("since {date}", lang, date=query.since.strftime("%d.%m.%Y")))
    return " · ".join(parts)


async def search_page(
    db: Database, query: SearchQuery, page: int, key: int, lang: str, tz: str, *, notes: Sequence[str] = ()
) -> RenderedPage:
    """One page of results with the ◀ ▶ pager, or a "nothing found" message; `notes` go first."""
    async with db.read() as uow:
        found = await uow.search.find(
            query.text,
            regions=query.regions,
            topics=query.topics,
            since=query.since,
            limit=PAGE_SIZE,
            offset=page * PAGE_SIZE,
        )
    described = echo(query.text) or filters_line(query, lang)
    lead = "".join(f"{note}\n" for note in notes)
    if found.total == 0:
        nothing = t("Nothing found for «{query}». Try fewer words or another spelling.", lang, query=described)
        return RenderedPage(lead + nothing, None, 0)
    pages = -(-found.total // PAGE_SIZE)
    if found.total_is_lower_bound:  # the count stopped at its cap (storage.search.common.TOTAL_CAP)
        header = t(
            "Found more than {count} article for «{query}»",
            lang,
            plural="Found more than {count} articles for «{query}»",
            n=found.total,
            count=count_text(found.total),
            query=described,
        )
    else:
        header = t(
            "Found {n} article for «{query}»",
            lang,
            plural="Found {n} articles for «{query}»",
            n=found.total,
            query=described,
        )
    filters = filters_line(query, lang)
    head = f"{lead}🔎 {header}" + (f"\n{filters}" if filters and query.text else "")
    blocks = [head, *cards(found.articles, lang, tz, await source_names(db))]
    pager = search_pager(key, page, pages, more=found.total_is_lower_bound)
    return RenderedPage(split_blocks(blocks)[0], pager, found.total)
