"""The database handle and the unit of work that owns each transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, is_sqlite, normalise_url, session_factory, writer_engine
from storage.errors import DatabaseSetupError, Reason
from storage.migrate import upgrade_to_head
from storage.repositories import (
    ArticleRepository,
    DeliveryRepository,
    SourceRepository,
    SubscriptionRepository,
    UserRepository,
)
from storage.repositories.leases import LeaseRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.surges import SurgeRepository
from storage.search import SearchRepository


class UnitOfWork:
    """One transaction with every repository on it. Leaving without `commit()` rolls back."""

    session: AsyncSession
    articles: ArticleRepository
    sources: SourceRepository
    users: UserRepository
    subscriptions: SubscriptionRepository
    deliveries: DeliveryRepository
    search: SearchRepository
    reports: ReportRepository
    surges: SurgeRepository
    leases: LeaseRepository

    def __init__(
        self,
        factory: async_sessionmaker[Any],
        turn: asyncio.Lock | None = None,
        on_search: Callable[[float], None] | None = None,
    ) -> None:
        self._factory = factory
        self._turn = turn
        self._on_search = on_search

    async def __aenter__(self) -> UnitOfWork:
        if self._turn is not None:
            await self._turn.acquire()
        self.session = self._factory()
        self.articles = ArticleRepository(self.session)
        self.sources = SourceRepository(self.session)
        self.users = UserRepository(self.session)
        self.subscriptions = SubscriptionRepository(self.session)
        self.deliveries = DeliveryRepository(self.session)
        self.search = SearchRepository(self.session, self._on_search)
        self.reports = ReportRepository(self.session)
        self.surges = SurgeRepository(self.session)
        self.leases = LeaseRepository(self.session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # close() rolls back whatever was not committed but, unlike rollback(), leaves loaded
        # objects readable afterwards (detached, not expired), which handlers rely on.
        try:
            await self.session.close()
        finally:
            if self._turn is not None:
                self._turn.release()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class Database:
    """Engine plus session factories: readers start deferred transactions, writers immediate ones."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        try:
            self.url = normalise_url(url)
            self.engine: AsyncEngine = create_engine(self.url, echo=echo)
        except (NoSuchModuleError, ImportError) as exc:  # a dialect or driver we do not ship
            raise DatabaseSetupError("driver", _shown(url), str(exc)) from None
        except ArgumentError as exc:  # not a URL at all: "foo"
            raise DatabaseSetupError("url", _shown(url), str(exc)) from None
        except OSError as exc:  # the SQLite file's folder cannot be made
            raise DatabaseSetupError("unwritable", _shown(url), exc.strerror or str(exc)) from None
        self._read_factory = session_factory(self.engine)
        self._write_factory = session_factory(writer_engine(self.engine))
        self._write_turns: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self.on_search: Callable[[float], None] | None = None  # seconds of each search (the app's metrics)

    def write(self) -> UnitOfWork:
        """A transaction that will write: on SQLite it takes the write lock at BEGIN.

        Writers of this process also take turns on an asyncio lock before they check out a connection.
        SQLite admits one writer at a time anyway; queueing here costs nothing, whereas queueing in
        SQLite's busy handler parks a pooled connection and its thread per waiting writer, so a poll
        of 200 sources would drain the pool (and time out under load) just to wait. BEGIN IMMEDIATE
        still orders writers from other processes (a `coopnews` CLI command beside `run`).
        """
        loop = asyncio.get_running_loop()
        turn = self._write_turns.get(loop)
        if turn is None:
            self._write_turns = {loop: asyncio.Lock()}  # one loop at a time; an old loop's lock is dropped
            turn = self._write_turns[loop]
        return UnitOfWork(self._write_factory, turn, self.on_search)

    @property
    def shared(self) -> bool:
        """True on PostgreSQL: several processes may share this database (roles, leases, claims)."""
        return self.engine.dialect.name == "postgresql"

    def read(self) -> UnitOfWork:
        return UnitOfWork(self._read_factory, on_search=self.on_search)

    async def upgrade(self, on_step: Callable[[str], None] | None = None) -> None:
        """Bring the schema up to date; the first touch of the database, so it says when it cannot be used."""
        try:
            await upgrade_to_head(self.engine, on_step)
        except (DBAPIError, OSError) as exc:
            original = getattr(exc, "orig", None) or exc
            reason: Reason = "unwritable" if is_sqlite(self.url) else "unreachable"
            raise DatabaseSetupError(reason, _shown(self.url), str(original)) from None

    async def dispose(self) -> None:
        await self.engine.dispose()


def _shown(url: str) -> str:
    """The URL as it may be printed: without its password, and as given when it does not parse."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url if "@" not in url else "…@" + url.rsplit("@", 1)[1]
