"""Search on PostgreSQL: a weighted tsvector column per article (GIN-indexed), built in the article's language.

The vector holds the same lemmas SQLite's FTS5 table holds (storage.text.search_lemmas), passed through
the text-search configuration of the article's language: `russian`, `english`, or `simple` for Kazakh
and anything else. A query is lemmatised alike and handed to `plainto_tsquery`, which reads no
operators, so quotes, `-`, `*`, `NEAR(`, `col:`, SQL and emoji are only words (or nothing).

Python writes the lemmatised vector after each flush that adds an article or changes its text
(`PostgresSession`); a trigger from migration 0004 fills a vector of the raw text first, so a row
written by plain SQL is searchable too (stemmed by PostgreSQL rather than lemmatised).
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
    filter_clauses,
    load_in_order,
)
from storage.text import query_terms, search_lemmas

# Text-search configuration by article language; every other language uses `simple` (no stemming).
LANGUAGE_CONFIGS = {"ru": "russian", "en": "english"}
DEFAULT_CONFIG = "simple"
_TEXT_FIELDS = ("title", "lead", "body", "language")

# ts_rank weights are listed {D, C, B, A}; titles are A, bodies B.
_RANK_WEIGHTS = f"'{{0, 0, {BODY_WEIGHT / TITLE_WEIGHT:.6f}, 1}}'::float4[]"
_AGE_DAYS = "(EXTRACT(EPOCH FROM (now() - COALESCE(a.published_at, a.fetched_at))) / 86400.0)"


def config_for(language: str | None) -> str:
    return LANGUAGE_CONFIGS.get((language or "").lower(), DEFAULT_CONFIG)


# --- keeping the vectors ---------------------------------------------------------------------------

SET_VECTOR = text(
    "UPDATE articles SET search_vector = "
    "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
    "setweight(to_tsvector(CAST(:config AS regconfig), :body), 'B') "
    "WHERE id = :id"
)


def vector_params(article_id: int, language: str | None, title: str, lead: str, body: str) -> dict[str, Any]:
    """Bound values for one article's vector: lemmatised title, lemmatised lead + body (as SQLite indexes)."""
    return {
        "id": article_id,
        "config": config_for(language),
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
        rows = [vector_params(a.id, a.language, a.title, a.lead, a.body) for a in changed]
        session.connection().execute(SET_VECTOR, rows)


async def reindex_all(session: AsyncSession, batch: int = 500) -> int:
    """Rewrite every article's vector from lemmas (after a bulk load or a change of lemmatiser)."""
    done, last_id = 0, 0
    while True:
        rows = (
            await session.execute(
                text("SELECT id, language, title, lead, body FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last_id, "n": batch},
            )
        ).all()
        if not rows:
            return done
        await session.execute(SET_VECTOR, [vector_params(*row) for row in rows])
        done, last_id = done + len(rows), rows[-1][0]


# --- querying --------------------------------------------------------------------------------------

def _match_clause() -> str:
    """The row's vector against the query parsed in the row's own configuration.

    One `@@` per configuration with a constant query, so each can use the GIN index (a BitmapOr).
    """
    known = ", ".join(f"'{code}'" for code in LANGUAGE_CONFIGS)
    parts = [
        f"(a.language = '{code}' AND a.search_vector @@ plainto_tsquery('{config}', :terms))"
        for code, config in LANGUAGE_CONFIGS.items()
    ]
    parts.append(
        f"(COALESCE(a.language, '') NOT IN ({known}) "
        f"AND a.search_vector @@ plainto_tsquery('{DEFAULT_CONFIG}', :terms))"
    )
    return "(" + " OR ".join(parts) + ")"


def _rank_expression() -> str:
    cases = " ".join(
        f"WHEN '{code}' THEN plainto_tsquery('{config}', :terms)" for code, config in LANGUAGE_CONFIGS.items()
    )
    query = f"CASE a.language {cases} ELSE plainto_tsquery('{DEFAULT_CONFIG}', :terms) END"
    # Normalisation 1 divides by 1 + log(length), as bm25 discounts long documents.
    relevance = f"ts_rank({_RANK_WEIGHTS}, a.search_vector, {query}, 1)"
    return f"{relevance} / (1.0 + GREATEST({_AGE_DAYS}, 0) / {RECENCY_HALF_LIFE_DAYS}) DESC"


async def search_postgres(session: AsyncSession, query: SearchQuery) -> SearchPage:
    terms = query_terms(query.words)
    where, params = filter_clauses(query, since_as_text=False)
    if not terms and not where:
        return SearchPage(0, [])
    params.update(query.bounds())
    if terms:
        params["terms"] = " ".join(terms)
        base = f"FROM articles a WHERE {_match_clause()}{where}"
        order = _rank_expression()
    else:
        base = f"FROM articles a WHERE TRUE{where}"
        order = "COALESCE(a.published_at, a.fetched_at) DESC"
    total = int((await session.execute(text(f"SELECT count(*) {base}"), params)).scalar_one())
    rows = await session.execute(
        text(f"SELECT a.id {base} ORDER BY {order}, a.id DESC LIMIT :limit OFFSET :offset"), params
    )
    return await load_in_order(session, total, [r[0] for r in rows])
