"""Running a test on both database engines: SQLite (a file in the test's folder) and PostgreSQL.

PostgreSQL comes from COOPNEWS_TEST_POSTGRES_URL (`.ci/postgres.sh start` prints it; `.ci/run` sets
it): each test gets a database of its own, created from a migrated template and dropped afterwards.
Without the variable the PostgreSQL half skips with the reason, except under CI=true, where it fails:
CI must never pass on one engine silently.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "COOPNEWS_TEST_POSTGRES_URL"
ENGINES = ("sqlite", "postgresql")
_TEMPLATE = f"coopnews_template_{os.getpid()}"
_template_ready = False


def postgres_server_url() -> str:
    """The test server's URL, or skip (locally) / fail (CI=true) saying why it is missing."""
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if url:
        return url
    reason = f"{POSTGRES_URL_ENV} is not set (run `eval \"$(.ci/postgres.sh start)\"` first)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}: the PostgreSQL half of the suite must run in CI", pytrace=False)
    pytest.skip(reason)


def database_url(server: str, name: str) -> str:
    """The asyncpg URL of database `name` on the test server."""
    url = make_url(server).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def _admin(server: str, *statements: str) -> None:
    import asyncpg

    plain = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _build_template(server: str) -> None:
    from storage import Database

    await _admin(server, f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)', f'CREATE DATABASE "{_TEMPLATE}"')
    db = Database(database_url(server, _TEMPLATE))
    try:
        await db.upgrade()
    finally:
        await db.dispose()


def _ensure_template(server: str) -> None:
    # Migrating once and copying the result is ~10× faster than migrating a database per test.
    global _template_ready
    if not _template_ready:
        asyncio.run(_build_template(server))
        _template_ready = True


@contextmanager
def fresh_postgres_database(*, migrated: bool = True) -> Iterator[str]:
    """A new, empty (or freshly migrated) database on the test server; dropped on the way out."""
    server = postgres_server_url()
    name = f"coopnews_test_{uuid.uuid4().hex[:16]}"
    if migrated:
        _ensure_template(server)
    template = f' TEMPLATE "{_TEMPLATE}"' if migrated else ""
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"{template}'))
    try:
        yield database_url(server, name)
    finally:
        # FORCE: a test that forgot to dispose its engine must not leave the database behind.
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def drop_template() -> None:
    server = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if server and _template_ready:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))


@contextmanager
def engine_url(engine: str, tmp_path: Path) -> Iterator[str]:
    """The database URL of one engine for one test."""
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'coopnews.sqlite3'}"
        return
    with fresh_postgres_database() as url:
        yield url
