"""Apply Alembic migrations from code: at start-up and from `coopnews db upgrade`.

Alembic itself (about 35 MB resident once imported) is loaded only when the database is behind:
a long-running `coopnews run` on a current schema never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions; a test checks it against Alembic's own view.
HEAD_REVISION = "0007"

# Search structures made by hand in migrations (SQLite's FTS5 tables, PostgreSQL's vector and its
# index), outside the models: autogenerate must neither drop them nor call them drift.
_HAND_MADE = {("column", "search_vector"), ("index", "ix_articles_search_vector")}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Autogenerate filter: leave the hand-made full-text search structures alone."""
    if type_ == "table" and name is not None and name.startswith("article_search"):
        return False
    return (type_, name) not in _HAND_MADE


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_stored_revision)


async def upgrade_to_head(engine: AsyncEngine, on_step: Callable[[str], None] | None = None) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there. `on_step` hears each revision."""
    if await current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))

    def _upgrade(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        cfg.attributes["on_step"] = on_step
        command.upgrade(cfg, "head")

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
