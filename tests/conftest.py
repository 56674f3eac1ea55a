"""Shared fixtures: where the seeds live, and a fresh database per test (SQLite, or both engines)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.lazy_schemas import import_aiogram_lazily

# First, so aiogram is imported the way the product's entry point imports it (bot/lazy_schemas.py).
import_aiogram_lazily()

from storage import Database  # noqa: E402
from tests.engines import ENGINES, drop_template, engine_url, fresh_postgres_database  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The real seed articles beside the checkout; tests using them skip where they are absent."""
    if not (SEEDS_DIR / "labels.json").is_file():
        pytest.skip(f"seed articles not found at {SEEDS_DIR} (../shared is absent beside the checkout)")
    return SEEDS_DIR


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A real SQLite file in the test's own folder."""
    return f"sqlite+aiosqlite:///{tmp_path / 'coopnews.sqlite3'}"


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """A migrated database, disposed after the test."""
    database = Database(db_url)
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture(params=ENGINES)
def any_engine_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The test runs once per engine. A folder's conftest makes `db_url` this to run its tests on both."""
    with engine_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def postgres_db_url() -> Iterator[str]:
    """A migrated PostgreSQL database of the test's own (skips locally without a server; fails in CI)."""
    with fresh_postgres_database() as url:
        yield url


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_template()
