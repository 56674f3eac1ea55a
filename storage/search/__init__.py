"""Full-text search over stored articles: one interface, an implementation per engine.

SQLite uses an FTS5 table (storage.search.sqlite), PostgreSQL a weighted tsvector column with a GIN
index (storage.search.postgres). Both index the same lemmas (storage.text), treat every query word
as a plain word, require all of them, weight the title three times the body, blend in recency and
apply the same filters; tests run one suite on both and compare their result sets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.search.common import RECENCY_HALF_LIFE_DAYS, SearchPage, SearchQuery
from storage.search.postgres import search_postgres
from storage.search.sqlite import search_sqlite


async def search_articles(
    session: AsyncSession,
    query: str,
    *,
    regions: Sequence[str] = (),
    topics: Sequence[str] = (),
    since: datetime | None = None,
    limit: int = 5,
    offset: int = 0,
) -> SearchPage:
    """Articles matching every word of `query` (any inflection) and every filter; newest-relevant first.

    Hostile input is harmless: each lemma is passed as a plain word, and a query with no words left
    yields nothing unless filters alone were given, in which case the newest filtered articles come back.
    """
    request = SearchQuery(query, regions, topics, since, limit, offset)
    if session.get_bind().dialect.name == "postgresql":
        return await search_postgres(session, request)
    return await search_sqlite(session, request)


class SearchRepository:
    """Full-text search on the unit of work's session: `await uow.search.find("меморандум", regions=[...])`."""

    def __init__(self, session: AsyncSession, on_search: Callable[[float], None] | None = None) -> None:
        self.session = session
        self.on_search = on_search  # told each search's seconds (the app's metrics)

    async def find(
        self,
        query: str,
        *,
        regions: Sequence[str] = (),
        topics: Sequence[str] = (),
        since: datetime | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> SearchPage:
        started = time.perf_counter()
        page = await search_articles(
            self.session, query, regions=regions, topics=topics, since=since, limit=limit, offset=offset
        )
        if self.on_search is not None:
            self.on_search(time.perf_counter() - started)
        return page


__all__ = ["RECENCY_HALF_LIFE_DAYS", "SearchPage", "SearchQuery", "SearchRepository", "search_articles"]
