"""Fifty concurrent async writers on one SQLite file: WAL + BEGIN IMMEDIATE + busy_timeout hold."""

from __future__ import annotations

import asyncio

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec


async def test_fifty_concurrent_writers_do_not_lock(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        await uow.commit()

    async def writer(n: int) -> None:
        # read-then-write in one transaction: the pattern that deadlocks with deferred BEGIN
        async with db.write() as uow:
            await uow.articles.known_urls([f"https://s.example/{n}"])
            await uow.articles.add(NewArticle(source_id="s", url=f"https://s.example/{n}", title=f"Новость {n}"))
            await uow.sources.record_success("s", 1)
            await uow.commit()

    await asyncio.gather(*(writer(n) for n in range(50)))
    async with db.read() as uow:
        assert await uow.articles.count() == 50
        source = await uow.sources.get("s")
        assert source is not None and source.items_found_total == 50
