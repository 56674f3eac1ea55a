"""Concurrent writers on one SQLite file: WAL + BEGIN IMMEDIATE + busy_timeout hold across handles,
and writers of one handle queue without tying up pooled connections."""

from __future__ import annotations

import asyncio

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec


async def test_fifty_concurrent_writers_do_not_lock(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        await uow.commit()
    # Two handles on one file, as with `coopnews run` and a CLI command: only SQLite orders them.
    other = Database(db.url)

    async def writer(n: int) -> None:
        # read-then-write in one transaction: the pattern that deadlocks with deferred BEGIN
        async with (db if n % 2 else other).write() as uow:
            await uow.articles.known_urls([f"https://s.example/{n}"])
            await uow.articles.add(NewArticle(source_id="s", url=f"https://s.example/{n}", title=f"Новость {n}"))
            await uow.sources.record_success("s", 1)
            await uow.commit()

    try:
        await asyncio.gather(*(writer(n) for n in range(50)))
    finally:
        await other.dispose()
    async with db.read() as uow:
        assert await uow.articles.count() == 50
        source = await uow.sources.get("s")
        assert source is not None and source.items_found_total == 50


async def test_waiting_writers_hold_no_connection_and_readers_go_on(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        await uow.commit()
    release = asyncio.Event()
    order: list[int] = []

    async def first_writer() -> None:
        async with db.write() as uow:
            await uow.articles.add(NewArticle(source_id="s", url="https://s.example/0", title="Новость 0"))
            await release.wait()
            await uow.commit()
        order.append(0)

    async def writer(n: int) -> None:
        async with db.write() as uow:
            await uow.articles.add(NewArticle(source_id="s", url=f"https://s.example/{n}", title=f"Новость {n}"))
            await uow.commit()
        order.append(n)

    holder = asyncio.create_task(first_writer())
    await asyncio.sleep(0.05)
    waiting = [asyncio.create_task(writer(n)) for n in range(1, 31)]
    await asyncio.sleep(0.2)
    assert db.engine.pool.checkedout() == 1  # thirty writers wait, none parks a pooled connection
    async with db.read() as uow:  # and readers are not starved meanwhile
        assert await uow.articles.count() == 0
    release.set()
    await asyncio.gather(holder, *waiting)
    assert order[0] == 0 and sorted(order) == list(range(31))
    async with db.read() as uow:
        assert await uow.articles.count() == 31
