"""Alembic environment: runs on a connection we hand it, or opens the async engine itself."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import include_object
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _report_step(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    """Tell the caller (`coopnews db upgrade`) each revision as it is applied: a big upgrade shows progress."""
    on_step = config.attributes.get("on_step")
    if on_step is not None:
        revision = getattr(step, "up_revision", None)
        doc = (getattr(revision, "doc", "") or "").strip()
        on_step(f"{step.up_revision_id}" + (f" ({doc})" if doc else ""))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
        on_version_apply=_report_step,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_async())
