"""Search on SQLite: an FTS5 table of lemmatised title and body, ranked by bm25 blended with recency.

A query with more than RANK_WINDOW matches ranks its newest RANK_WINDOW, and the total counts at
most TOTAL_CAP matches (storage.search.common).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.search.common import (
    BODY_WEIGHT,
    RECENCY_HALF_LIFE_DAYS,
    TITLE_WEIGHT,
    SearchPage,
    SearchQuery,
    bounded_total,
    filter_clauses,
    load_in_order,
    lowest_id_since,
)
from storage.text import fts_match_expression

_AGE_DAYS = "(julianday('now') - julianday(COALESCE(a.published_at, a.fetched_at)))"


async def search_sqlite(session: AsyncSession, query: SearchQuery) -> SearchPage:
    match = fts_match_expression(query.words)
    if match is None:
        where, params = filter_clauses(query, since_as_text=True)
        if not where:
            return SearchPage(0, [])
        params.update(query.bounds())
        base = f"FROM articles a WHERE 1 = 1{where}"
        total, more = await bounded_total(session, query, base, params)
        order = _AGE_DAYS
    else:
        where, params = filter_clauses(query, since_as_text=True, id_column="+s.rowid")
        params.update(query.bounds())
        params["match"] = match
        joined = f"FROM article_search s JOIN articles a ON a.id = s.rowid WHERE article_search MATCH :match{where}"
        if query.since is not None:
            lowest_recent = (await session.execute(text(lowest_id_since("sqlite")), params)).scalar_one()
            if lowest_recent is None:
                return SearchPage(0, [])
            params["lowest_recent"] = lowest_recent
            joined += " AND s.rowid >= :lowest_recent"
            matching = joined  # the since test reads the article's dates
        else:
            # Words, regions and topics are all answered by the FTS and tag indexes: no article row is read.
            matching = f"FROM article_search s WHERE article_search MATCH :match{where}"
        total, more = await bounded_total(session, query, matching, params)
        if more or total > query.window():  # capped: more than the cap, which is >= the window
            # Rank only the newest matches: FTS5 walks its doclist backwards from the highest rowid.
            params["window"] = query.window()
            lowest = await session.execute(
                text(f"SELECT min(id) FROM (SELECT s.rowid AS id {matching} ORDER BY s.rowid DESC LIMIT :window)"),
                params,
            )
            params["lowest"] = lowest.scalar_one()
            joined += " AND s.rowid >= :lowest"
        base = joined
        # bm25 is negative, lower is better: dividing by the age factor moves old articles down.
        order = (
            f"bm25(article_search, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            f"/ (1.0 + MAX({_AGE_DAYS}, 0) / {RECENCY_HALF_LIFE_DAYS})"
        )
    rows = await session.execute(
        text(f"SELECT a.id {base} ORDER BY {order}, a.id DESC LIMIT :limit OFFSET :offset"), params
    )
    return await load_in_order(session, total, [r[0] for r in rows], more=more)
