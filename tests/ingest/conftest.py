"""Fixtures for the ingest pipeline: snapshot sites on 127.0.0.1, a fast fetcher, a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from app.ingest import Ingestor
from app.settings import Settings
from sandbox.site_server import SiteServer, sources_for
from scrapers.fetcher import Fetcher
from scrapers.sources import SourceConfig
from storage import Database
from storage.models import Article, Delivery
from tests.scrapers.conftest import fast_policy

ADMIN_ID = 700  # an admin who has opened the bot
ABSENT_ADMIN_ID = 701  # listed in ADMIN_IDS but never registered: cannot be messaged


@pytest.fixture
async def server() -> AsyncIterator[SiteServer]:
    async with SiteServer() as site:
        yield site


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(_env_file=None, database_url=db.url, admin_ids=[ADMIN_ID, ABSENT_ADMIN_ID], backfill_hours=24)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(fast_policy()) as client:
        yield client


@pytest.fixture
def ingestor(db: Database, settings: Settings, fetcher: Fetcher) -> Ingestor:
    return Ingestor(db, settings, fetcher, down_after=3)


def source(server: SiteServer, source_id: str) -> SourceConfig:
    """A bundled source pointed at the local snapshot of its site."""
    return next(s for s in sources_for(server) if s.id == source_id)


async def subscribe(db: Database, user_id: int, **rule: Any) -> None:
    """Register a user (as /start would) and give them one subscription, if a rule is given."""
    async with db.write() as uow:
        await uow.users.register(user_id, user_id, f"user {user_id}", "ru", "UTC")
        if rule:
            await uow.subscriptions.add(user_id, **rule)
        await uow.commit()


async def deliveries(db: Database, user_id: int | None = None, kind: str = "alert") -> list[Delivery]:
    async with db.read() as uow:
        query = select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id)
        if user_id is not None:
            query = query.where(Delivery.user_id == user_id)
        return list(await uow.session.scalars(query))


async def articles(db: Database) -> list[Article]:
    async with db.read() as uow:
        return list(await uow.session.scalars(select(Article).order_by(Article.id)))


async def article_titled(db: Database, title: str) -> Article:
    found = [a for a in await articles(db) if a.title == title]
    assert len(found) == 1, f"{len(found)} stored articles titled {title!r}"
    return found[0]
