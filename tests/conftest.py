"""Shared fixtures: where the seeds live, and a fresh SQLite database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.lazy_schemas import import_aiogram_lazily

# First, so aiogram is imported the way the product's entry point imports it (bot/lazy_schemas.py).
import_aiogram_lazily()

from storage import Database  # noqa: E402

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
