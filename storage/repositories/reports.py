"""Rows for reports and surge detection: cooperation items of a period, and daily counts per pair.

Reports read thousands of items at once, so these queries return plain rows (no ORM objects, no
identity map) in three flat selects: the items, their pairs, their topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, ArticleParty, ArticleRegion, ArticleTopic, Source, UTCDateTime

ID_CHUNK = 5_000  # ids bound per query: well under SQLite's (32,766) and PostgreSQL's (65,535) limits


class ReportRow(NamedTuple):
    """One cooperation item as a report shows it."""

    article_id: int
    moment: datetime  # publication time, or when we found it
    source_name: str
    title: str
    url: str
    event_type: str | None
    summary: str
    parties: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]


class PartyDay(NamedTuple):
    """One (article, pair) of a cooperation item, with its time: the stuff daily counts are made of."""

    article_id: int
    moment: datetime
    ru_code: str
    partner_code: str


def _covers(column: Any, code: str) -> ColumnElement[bool]:
    """The column is this place, or a region of it when it is a country (the rule of alerts.rules.covers)."""
    if "-" in code:
        return column == code
    return or_(column == code, column.like(f"{code}-%"))


def _moment() -> ColumnElement[datetime]:
    # typed, so SQLite's text comes back as an aware datetime through the column type's own processor
    return type_coerce(func.coalesce(Article.published_at, Article.fetched_at), UTCDateTime())


def _in_period(start: datetime, end: datetime) -> ColumnElement[bool]:
    """[start, end) on the publication time, or on the finding time where the site gave none (both indexed)."""
    return or_(
        and_(Article.published_at >= start, Article.published_at < end),
        and_(Article.published_at.is_(None), Article.fetched_at >= start, Article.fetched_at < end),
    )


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cooperation_items(
        self,
        start: datetime,
        end: datetime,
        *,
        places: Sequence[str] = (),
        pairs: Sequence[tuple[str, str]] = (),
        topics: Sequence[str] = (),
    ) -> list[ReportRow]:
        """Cooperation items in [start, end) where a party is one of `places` (a country covers its
        regions), or a pair is one of `pairs` (either way round), or a topic is one of `topics`.

        With no place, pair or topic at all: every cooperation item of the period. Oldest first.
        """
        conditions: list[ColumnElement[bool]] = []
        if places:
            conditions.append(
                select(ArticleRegion.article_id)
                .where(
                    ArticleRegion.article_id == Article.id,
                    ArticleRegion.is_party.is_(True),
                    or_(*(_covers(ArticleRegion.code, code) for code in places)),
                )
                .exists()
            )
        for a, b in pairs:
            ru, partner = ArticleParty.ru_code, ArticleParty.partner_code
            conditions.append(
                select(ArticleParty.article_id)
                .where(
                    ArticleParty.article_id == Article.id,
                    or_(
                        and_(_covers(ru, a), _covers(partner, b)),
                        and_(_covers(ru, b), _covers(partner, a)),
                    ),
                )
                .exists()
            )
        if topics:
            conditions.append(
                select(ArticleTopic.article_id)
                .where(ArticleTopic.article_id == Article.id, ArticleTopic.topic.in_(list(topics)))
                .exists()
            )
        ids = select(Article.id).where(Article.is_cooperation.is_(True), _in_period(start, end))
        if conditions:
            ids = ids.where(or_(*conditions))
        return await self._rows(ids)

    async def _rows(self, ids: Select[Any]) -> list[ReportRow]:
        """The items first (the filter runs once), then their pairs and topics by id, in chunks."""
        moment = _moment().label("moment")
        items = list(
            await self.session.execute(
                select(
                    Article.id, moment, Source.name, Article.title, Article.url, Article.event_type, Article.summary
                )
                .join(Source, Source.id == Article.source_id)
                .where(Article.id.in_(ids.scalar_subquery()))
                .order_by(moment, Article.id)
            )
        )
        parties: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
        topics: defaultdict[int, list[str]] = defaultdict(list)
        article_ids = [item[0] for item in items]
        for first in range(0, len(article_ids), ID_CHUNK):
            chunk = article_ids[first : first + ID_CHUNK]
            pair_rows = await self.session.execute(
                select(ArticleParty.article_id, ArticleParty.ru_code, ArticleParty.partner_code)
                .where(ArticleParty.article_id.in_(chunk))
                .order_by(ArticleParty.article_id, ArticleParty.ru_code, ArticleParty.partner_code)
            )
            for article_id, ru_code, partner_code in pair_rows:
                parties[article_id].append((ru_code, partner_code))
            topic_rows = await self.session.execute(
                select(ArticleTopic.article_id, ArticleTopic.topic)
                .where(ArticleTopic.article_id.in_(chunk))
                .order_by(ArticleTopic.article_id, ArticleTopic.rank)
            )
            for article_id, topic in topic_rows:
                topics[article_id].append(topic)
        return [
            ReportRow(
                article_id, when, source, title, url, event, summary or "",
                tuple(parties.get(article_id, ())), tuple(topics.get(article_id, ())),
            )
            for article_id, when, source, title, url, event, summary in items
        ]

    async def party_days(self, start: datetime, end: datetime) -> list[PartyDay]:
        """Every (cooperation item, pair) in [start, end), for daily counts per partner and pair."""
        rows = await self.session.execute(
            select(Article.id, _moment(), ArticleParty.ru_code, ArticleParty.partner_code)
            .join(ArticleParty, ArticleParty.article_id == Article.id)
            .where(Article.is_cooperation.is_(True), _in_period(start, end))
        )
        return [PartyDay(article_id, when, ru, partner) for article_id, when, ru, partner in rows]

