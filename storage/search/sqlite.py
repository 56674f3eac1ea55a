"""Search on SQLite: an FTS5 table of lemmatised title and body, ranked by bm25 blended with recency."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.search.common import (
    BODY_WEIGHT,
    RECENCY_HALF_LIFE_DAYS,
    TITLE_WEIGHT,
    SearchPage,
    SearchQuery,
    filter_clauses,
    load_in_order,
)
from storage.text import fts_match_expression

_AGE_DAYS = "(julianday('now') - julianday(COALESCE(a.published_at, a.fetched_at)))"


async def search_sqlite(session: AsyncSession, query: SearchQuery) -> SearchPage:
    match = fts_match_expression(query.words)
    where, params = filter_clauses(query, since_as_text=True)
    if match is None and not where:
        return SearchPage(0, [])
    params.update(query.bounds())
    if match is not None:
        params["match"] = match
        base = (
            "FROM article_search s JOIN articles a ON a.id = s.rowid "
            f"WHERE article_search MATCH :match{where}"
        )
        # bm25 is negative, lower is better: dividing by the age factor moves old articles down.
        order = (
            f"bm25(article_search, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            f"/ (1.0 + MAX({_AGE_DAYS}, 0) / {RECENCY_HALF_LIFE_DAYS})"
        )
    else:
        base = f"FROM articles a WHERE 1 = 1{where}"
        order = _AGE_DAYS
    total = int((await session.execute(text(f"SELECT count(*) {base}"), params)).scalar_one())
    rows = await session.execute(
        text(f"SELECT a.id {base} ORDER BY {order}, a.id DESC LIMIT :limit OFFSET :offset"), params
    )
    return await load_in_order(session, total, [r[0] for r in rows])
