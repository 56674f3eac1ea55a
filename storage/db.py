"""Engine creation: SQLite tuned for concurrent async writers (with the FTS lemmatiser hook), or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage.text import search_lemmas

BUSY_TIMEOUT_MS = 30_000
# Execution option read by the "begin" hook: write transactions take the write lock up front.
BEGIN_MODE = "coopnews_begin"


def normalise_url(url: str) -> str:
    """The async-driver form of a database URL: `postgresql://` and `postgres://` mean asyncpg."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a file-based SQLite database so a fresh checkout just works."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook below issue BEGIN itself; pysqlite's own implicit
    # transactions would otherwise start deferred ones we cannot upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    # a 16 MB page cache per connection keeps the subscription and article indexes hot (default: 2 MB)
    cursor.execute("PRAGMA cache_size = -4000")
    cursor.close()
    # FTS triggers call this to index lemmatised text (SQLite has no Russian stemmer).
    dbapi_connection.create_function("coopnews_lemmas", 1, _lemmas_or_empty, deterministic=True)


def _lemmas_or_empty(text: str | None) -> str:
    return search_lemmas(text or "")


def _on_sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(BEGIN_MODE, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Build the async engine; for SQLite install WAL, busy_timeout and the lemmatiser."""
    url = normalise_url(url)
    ensure_sqlite_dir(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        # Writers queue in-process (storage.uow), so connections serve readers plus one writer.
        kwargs["pool_size"] = 4
        kwargs["max_overflow"] = 4
        kwargs["pool_timeout"] = 60
    else:
        # A server may drop idle connections (restart, failover): test each one as it leaves the pool.
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
    return engine


def writer_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, but transactions open with BEGIN IMMEDIATE (SQLite) so writers queue, not fail."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    if engine.dialect.name == "postgresql":
        # Its after-flush hook writes the lemmatised tsvector that SQLite's FTS triggers write there.
        from storage.search.postgres import PostgresSession

        return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=PostgresSession)
    return async_sessionmaker(engine, expire_on_commit=False)


__all__ = [
    "create_engine",
    "ensure_sqlite_dir",
    "is_sqlite",
    "normalise_url",
    "session_factory",
    "writer_engine",
]
