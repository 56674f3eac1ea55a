"""Migrations: from empty to head, idempotent, and the `db upgrade` command on an empty folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from storage import Database
from storage.migrate import current_revision

EXPECTED_TABLES = {
    "sources", "articles", "article_regions", "article_topics", "article_parties", "stories",
    "users", "subscriptions", "muted_sources", "deliveries", "digests_sent", "http_validators",
    "article_search", "alembic_version",
}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}


async def test_upgrade_from_empty_creates_schema_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await db.upgrade()
        first = await current_revision(db.engine)
        await db.upgrade()
        assert await current_revision(db.engine) == first is not None
    finally:
        await db.dispose()
    assert _tables(path) >= EXPECTED_TABLES
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_db_upgrade_command_creates_database_in_empty_directory(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dir" / "coopnews.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        env={"DATABASE_URL": f"sqlite:///{target}", "PATH": "", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert target.is_file()
    assert _tables(target) >= EXPECTED_TABLES


async def test_models_and_migrations_agree(db) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate against the migrated database finds nothing to do: no drift, FTS left alone."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.migrate import include_object  # the same filter the migrations use
    from storage.models import Base

    def _diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import HEAD_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() == HEAD_REVISION


def test_a_current_database_is_opened_without_loading_alembic(tmp_path: Path) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path / 'current.sqlite3'}"

    async def migrate() -> None:
        db = Database(url)
        await db.upgrade()
        await db.dispose()

    asyncio.run(migrate())
    code = (
        "import asyncio, sys\n"
        "from storage import Database\n"
        f"db = Database({url!r})\n"
        "asyncio.run(db.upgrade())\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"
