"""What /healthz asks the database: can it be reached, how long the outbox waits, which sources are down."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from storage.clock import utcnow
from storage.models import Delivery, Source
from storage.uow import Database


@dataclass(frozen=True)
class DatabaseCheck:
    reachable: bool
    latency_s: float
    error: str | None = None


@dataclass(frozen=True)
class Backlog:
    """Deliveries due now and not yet sent; the oldest one's wait counts from when it fell due."""

    pending: int
    oldest_pending_age_s: float | None


def _sqlite_file(url: str) -> str | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return parsed.database


def _probe_sqlite_file(path: str, timeout: float) -> None:
    # A fresh connection, never a pooled one: an open connection keeps reading a file that was moved,
    # deleted or made unreadable, so only a new open tells whether the next process could use it.
    # mode=rw: a missing file is an error, not a new empty database.
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


async def check_database(db: Database, timeout: float = 3.0) -> DatabaseCheck:  # noqa: ASYNC109
    """Reach the database with a trivial read; never raises, never waits longer than `timeout`."""
    started = time.perf_counter()
    try:
        path = _sqlite_file(db.url)
        if path is not None:
            await asyncio.wait_for(asyncio.to_thread(_probe_sqlite_file, path, timeout), timeout)
        else:
            async with asyncio.timeout(timeout), db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure is the answer, not an error of the check
        reason = str(getattr(exc, "orig", None) or exc) or type(exc).__name__
        return DatabaseCheck(False, time.perf_counter() - started, f"{type(exc).__name__}: {reason}"[:300])
    return DatabaseCheck(True, time.perf_counter() - started)


async def outbox_backlog(db: Database, now: datetime | None = None) -> Backlog:
    now = now or utcnow()
    due_since = func.coalesce(Delivery.not_before, Delivery.created_at)
    async with db.read() as uow:
        row = (
            await uow.session.execute(
                select(func.count(Delivery.id), func.min(due_since)).where(
                    Delivery.status == "pending", (Delivery.not_before.is_(None)) | (Delivery.not_before <= now)
                )
            )
        ).one()
    count, oldest = int(row[0] or 0), row[1]
    if oldest is None:
        return Backlog(count, None)
    if isinstance(oldest, str):  # SQLite's min() over a coalesce loses the column type
        oldest = datetime.fromisoformat(oldest)
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return Backlog(count, max(0.0, (now - oldest).total_seconds()))


async def sources_down(db: Database) -> list[str]:
    async with db.read() as uow:
        return list(await uow.session.scalars(select(Source.id).where(Source.is_down.is_(True)).order_by(Source.id)))
