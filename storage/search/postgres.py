"""Search on PostgreSQL: a weighted tsvector column per article (GIN-indexed) of the same lemmas FTS5 holds.

The vector holds the lemmas storage.text.search_lemmas makes for SQLite's FTS5 table (pymorphy3 for
Russian, folded Latin, light normalisation for Kazakh), title weighted A and lead + body B, in the
`simple` configuration: the lemmas are already normal forms. PostgreSQL's `russian` and `english`
stemmers on top of them widened the results beyond SQLite's (омск also found омский, agreement found
agreements, stop words such as "or" vanished from queries), and the two engines must return the same
articles (tests/storage/test_search_engines_agree.py). A query is lemmatised alike and handed to
`plainto_tsquery`, which reads no operators, so quotes, `-`, `*`, `NEAR(`, `col:`, SQL and emoji are
only words (or nothing).

Python writes the lemmatised vector after each flush that adds an article or changes its text
(`PostgresSession`); a trigger from migration 0004 first fills one from the raw text in the article's
language (`russian`, `english`, `simple` for Kazakh and the rest) so a row written by plain SQL is
still searchable, stemmed by PostgreSQL rather than lemmatised.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from storage.models import Article
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
from storage.text import query_terms, search_lemmas

SEARCH_CONFIG = "simple"
_TEXT_FIELDS = ("title", "lead", "body")

# ts_rank weights are listed {D, C, B, A}; titles are A, bodies B.
_RANK_WEIGHTS = f"'{{0, 0, {BODY_WEIGHT / TITLE_WEIGHT:.6f}, 1}}'::float4[]"
_AGE_DAYS = "(EXTRACT(EPOCH FROM (now() - COALESCE(a.published_at, a.fetched_at))) / 86400.0)"


# --- keeping the vectors ---------------------------------------------------------------------------

SET_VECTOR = text(
    "UPDATE articles SET search_vector = "
    f"setweight(to_tsvector('{SEARCH_CONFIG}', :title), 'A') || "
    f"setweight(to_tsvector('{SEARCH_CONFIG}', :body), 'B') "
    "WHERE id = :id"
)


def vector_params(article_id: int, title: str, lead: str, body: str) -> dict[str, Any]:
    """Bound values for one article's vector: lemmatised title, lemmatised lead + body (as SQLite indexes)."""
    return {
        "id": article_id,
        "title": search_lemmas(title or ""),
        "body": search_lemmas(f"{lead or ''} {body or ''}"),
    }


def _text_changed(article: Article) -> bool:
    state = inspect(article)
    return any(state.attrs[name].history.has_changes() for name in _TEXT_FIELDS)


class PostgresSession(Session):
    """The ORM session used on PostgreSQL: after each flush it writes the lemmatised search vectors."""


@event.listens_for(PostgresSession, "after_flush")
def _index_flushed_articles(session: Session, _context: UOWTransaction) -> None:
    # Inside after_flush the new/dirty sets and attribute histories still describe this flush.
    changed = [a for a in session.new if isinstance(a, Article)]
    changed += [a for a in session.dirty if isinstance(a, Article) and _text_changed(a)]
    if changed:
        rows = [vector_params(a.id, a.title, a.lead, a.body) for a in changed]
        session.connection().execute(SET_VECTOR, rows)


async def reindex_all(session: AsyncSession, batch: int = 500) -> int:
    """Rewrite every article's vector from lemmas (after a bulk load or a change of lemmatiser)."""
    done, last_id = 0, 0
    while True:
        rows = (
            await session.execute(
                text("SELECT id, title, lead, body FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last_id, "n": batch},
            )
        ).all()
        if not rows:
            return done
        await session.execute(SET_VECTOR, [vector_params(*row) for row in rows])
        done, last_id = done + len(rows), rows[-1][0]


# --- querying --------------------------------------------------------------------------------------

_MATCH = f"a.search_vector @@ plainto_tsquery('{SEARCH_CONFIG}', :terms)"
# Normalisation 1 divides by 1 + log(length), as bm25 discounts long documents.
_RELEVANCE = f"ts_rank({_RANK_WEIGHTS}, a.search_vector, plainto_tsquery('{SEARCH_CONFIG}', :terms), 1)"
_RANKED = f"{_RELEVANCE} / (1.0 + GREATEST({_AGE_DAYS}, 0) / {RECENCY_HALF_LIFE_DAYS}) DESC"


async def search_postgres(session: AsyncSession, query: SearchQuery) -> SearchPage:
    terms = query_terms(query.words)
    where, params = filter_clauses(query, since_as_text=False)
    if not terms and not where:
        return SearchPage(0, [])
    params.update(query.bounds())
    if terms:
        params["terms"] = " ".join(terms)
        base = f"FROM articles a WHERE {_MATCH}{where}"
        order = _RANKED
        if query.since is not None:
            lowest_recent = (await session.execute(text(lowest_id_since("postgresql")), params)).scalar_one()
            if lowest_recent is None:
                return SearchPage(0, [])
            params["lowest_recent"] = lowest_recent
            base += " AND a.id >= :lowest_recent"
    else:
        base = f"FROM articles a WHERE TRUE{where}"
        order = "COALESCE(a.published_at, a.fetched_at) DESC"
    total, more = await bounded_total(session, query, base, params)
    if terms and (more or total > query.window()):  # capped: more than the cap, which is >= the window
        # Rank only the newest matches (as on SQLite): ts_rank reads each match's whole vector.
        params["window"] = query.window()
        lowest = await session.execute(
            text(f"SELECT min(id) FROM (SELECT a.id {base} ORDER BY a.id DESC LIMIT :window) newest"), params
        )
        params["lowest"] = lowest.scalar_one()
        base += " AND a.id >= :lowest"
    rows = await session.execute(
        text(f"SELECT a.id {base} ORDER BY {order}, a.id DESC LIMIT :limit OFFSET :offset"), params
    )
    return await load_in_order(session, total, [r[0] for r in rows], more=more)
