"""What both search engines share: the result page, the ranking constants and the filter clauses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article

# An article this many days old weighs half as much as one from today at equal relevance.
RECENCY_HALF_LIFE_DAYS = 30.0
# A word in the title counts three times one in the body (bm25 column weights, ts_rank weights).
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
MAX_PAGE = 50
# A query matching more articles than this ranks only its newest this-many matches (the highest ids,
# i.e. the last fetched): scoring half a million matches of "область" costs seconds on either engine,
# and with recency blended in the newest matches are where the top of the list comes from anyway.
# Engines agree: both cut at the same id.
RANK_WINDOW = 1000
# The total counts at most this many matches (or the ranking window, when a page lies beyond it): an
# exact count of "область" reads every one of its half a million index entries, while nobody pages
# through more than a few dozen results. Beyond it the page says "more than TOTAL_CAP". Not below
# RANK_WINDOW, so the capped count still tells whether the matches exceed the window.
TOTAL_CAP = 10_000


@dataclass(frozen=True)
class SearchPage:
    """One page of results; `total` is exact unless `total_is_lower_bound` (then more matched)."""

    total: int
    articles: list[Article]
    total_is_lower_bound: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """One search request, already bounded: the words as typed plus the filters."""

    words: str
    regions: Sequence[str] = ()
    topics: Sequence[str] = ()
    since: datetime | None = None
    limit: int = 5
    offset: int = 0

    def bounds(self) -> dict[str, object]:
        return {"limit": max(1, min(self.limit, MAX_PAGE)), "offset": max(0, self.offset)}

    def window(self) -> int:
        """How many of the newest matches are ranked: RANK_WINDOW, or more when the page lies beyond it."""
        limit, offset = max(1, min(self.limit, MAX_PAGE)), max(0, self.offset)
        return max(RANK_WINDOW, offset + limit)

    def count_cap(self) -> int:
        """How many matches the total counts at most: TOTAL_CAP, or the window when that is larger."""
        return max(TOTAL_CAP, self.window())


async def bounded_total(
    session: AsyncSession, query: SearchQuery, matching: str, params: dict[str, object]
) -> tuple[int, bool]:
    """Count the rows of `matching` (a `FROM … WHERE …` clause) up to the query's cap: (total, more matched).

    Counting cap + 1 rows tells "exactly cap" from "more than cap"; past the cap the total is the cap
    and the flag says it is a lower bound. The engine stops reading matches at the subquery's LIMIT.
    """
    cap = query.count_cap()
    counted = await session.execute(
        text(f"SELECT count(*) FROM (SELECT 1 AS one {matching} LIMIT :count_limit) capped"),
        {**params, "count_limit": cap + 1},
    )
    total = int(counted.scalar_one())
    return (cap, True) if total > cap else (total, False)


def filter_clauses(
    query: SearchQuery, *, since_as_text: bool, id_column: str = "a.id"
) -> tuple[str, dict[str, object]]:
    """` AND …` clauses for the region, topic (on `id_column`) and since (on the alias `a`) filters, with parameters.

    `since_as_text`: SQLite keeps UTCDateTime as naive UTC text, so the bound must be text of that form;
    PostgreSQL compares timestamptz with an aware datetime.

    Region and topic filters are `id IN (ids having the tag)`, the ids read once from the tag's index,
    rather than one EXISTS probe per matching article. SQLite's full-text search passes `+s.rowid`: the
    FTS index alone then counts and filters, without reading any row of `articles`, and the `+` keeps
    the planner from looking each tagged id up in the FTS index instead (a seek per id).
    """
    clauses: list[str] = []
    params: dict[str, object] = {}
    article_id = id_column
    for i, code in enumerate(query.regions):
        # A country code also finds its regions (KZ finds KZ-19): region codes start with "KZ-". On SQLite
        # the prefix is a range, which the code index serves (its LIKE ignores case, so no index can);
        # PostgreSQL keeps LIKE: a locale's collation may not order "KZ-19" between "KZ-" and "KZ.".
        prefix = (
            f"r.code >= :region_prefix{i} AND r.code < :region_end{i}" if since_as_text
            else f"r.code LIKE :region_prefix{i}"
        )
        clauses.append(
            f"{article_id} IN (SELECT r.article_id FROM article_regions r WHERE r.code = :region{i} OR ({prefix}))"
        )
        params[f"region{i}"], params[f"region_prefix{i}"] = code, f"{code}-" if since_as_text else f"{code}-%"
        if since_as_text:
            params[f"region_end{i}"] = f"{code}."  # "." is the character after "-"
    for i, topic in enumerate(query.topics):
        clauses.append(f"{article_id} IN (SELECT t.article_id FROM article_topics t WHERE t.topic = :topic{i})")
        params[f"topic{i}"] = topic
    if query.since is not None:
        clauses.append("COALESCE(a.published_at, a.fetched_at) >= :since")
        aware = query.since if query.since.tzinfo is not None else query.since.replace(tzinfo=UTC)
        since = aware.astimezone(UTC)
        params["since"] = since.strftime("%Y-%m-%d %H:%M:%S") if since_as_text else since
    return "".join(f" AND {c}" for c in clauses), params


# The lowest id an article passing the `since` filter can have: COALESCE(published_at, fetched_at) >= since
# means published_at >= since or (no publication date and) fetched_at >= since, so every such article is
# in one of the two index ranges below. As an id bound the filter prunes the FTS doclist (SQLite) or joins
# the primary-key range (PostgreSQL) instead of reading each match's row. PostgreSQL gets OFFSET 0 as a
# fence: without it, it walks the primary key in id order looking for the first recent row (ids and dates
# are correlated, its estimate assumes they are not).
def lowest_id_since(dialect: str) -> str:
    fence = " OFFSET 0" if dialect == "postgresql" else ""
    return (
        "SELECT min(id) FROM ("
        "SELECT id FROM articles WHERE published_at >= :since UNION ALL "
        f"SELECT id FROM articles WHERE fetched_at >= :since{fence}) recent"
    )


async def load_in_order(session: AsyncSession, total: int, ids: list[int], *, more: bool = False) -> SearchPage:
    """The page's articles, in the order the ranking query gave their ids; `more`: total is a lower bound."""
    if not ids:
        return SearchPage(total, [], more)
    found = {a.id: a for a in await session.scalars(select(Article).where(Article.id.in_(ids)))}
    return SearchPage(total, [found[i] for i in ids if i in found], more)
