"""Full-text search over lemmatised articles (SQLite FTS5), ranked by bm25 blended with recency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article
from storage.text import fts_match_expression

# An article this many days old weighs half as much as one from today at equal bm25.
RECENCY_HALF_LIFE_DAYS = 30.0
# bm25 weights: a word in the title counts three times one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


@dataclass(frozen=True)
class SearchPage:
    total: int
    articles: list[Article]


def _filters(
    regions: Sequence[str], topics: Sequence[str], since: datetime | None
) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    for i, code in enumerate(regions):
        # A country code also finds its regions (KZ finds KZ-19): region codes start with "KZ-".
        clauses.append(
            f"EXISTS (SELECT 1 FROM article_regions r WHERE r.article_id = a.id "
            f"AND (r.code = :region{i} OR r.code LIKE :region_prefix{i}))"
        )
        params[f"region{i}"], params[f"region_prefix{i}"] = code, f"{code}-%"
    for i, topic in enumerate(topics):
        clauses.append(f"EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.topic = :topic{i})")
        params[f"topic{i}"] = topic
    if since is not None:
        clauses.append("COALESCE(a.published_at, a.fetched_at) >= :since")
        # Stored as naive UTC text by UTCDateTime; compare in the same form.
        aware = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
        params["since"] = aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return "".join(f" AND {c}" for c in clauses), params


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

    Hostile input is harmless: each lemma is quoted, and a query with no words left yields nothing
    unless filters alone were given, in which case the newest filtered articles come back.
    """
    match = fts_match_expression(query)
    where, params = _filters(regions, topics, since)
    if match is None and not where:
        return SearchPage(0, [])
    params.update({"limit": max(1, min(limit, 50)), "offset": max(0, offset)})
    age_days = "(julianday('now') - julianday(COALESCE(a.published_at, a.fetched_at)))"
    if match is not None:
        params["match"] = match
        base = (
            "FROM article_search s JOIN articles a ON a.id = s.rowid "
            f"WHERE article_search MATCH :match{where}"
        )
        order = (
            f"bm25(article_search, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            f"/ (1.0 + MAX({age_days}, 0) / {RECENCY_HALF_LIFE_DAYS})"
        )
    else:
        base = f"FROM articles a WHERE 1 = 1{where}"
        order = f"{age_days}"
    total = int((await session.execute(text(f"SELECT count(*) {base}"), params)).scalar_one())
    rows = await session.execute(
        text(f"SELECT a.id {base} ORDER BY {order}, a.id DESC LIMIT :limit OFFSET :offset"), params
    )
    ids = [r[0] for r in rows]
    if not ids:
        return SearchPage(total, [])
    found = {a.id: a for a in await session.scalars(select(Article).where(Article.id.in_(ids)))}
    return SearchPage(total, [found[i] for i in ids if i in found])



class SearchRepository:
    """Full-text search on the unit of work's session: `await uow.search.find("меморандум", regions=[...])`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
        return await search_articles(
            self.session, query, regions=regions, topics=topics, since=since, limit=limit, offset=offset
        )
