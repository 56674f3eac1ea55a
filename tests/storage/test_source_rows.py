"""Sources in the database on both engines: the file's seed, an admin's add, pause, removal, and a re-seed."""

from __future__ import annotations

from storage import Database
from storage.repositories.sources import SourceSpec

FILE = [
    SourceSpec("vologda-ru", "Vologda", "https://vologda-oblast.ru/novosti/", parser="bitrix", interval=600),
    SourceSpec("lenobl", "Lenobl", "https://lenobl.ru/rss/", kind="rss", selectors={"body": "div.text"}),
]
ADDED = SourceSpec(
    "gov-kg-ru",
    "Gov KG",
    "https://gov.kg/ru/news/",
    kind="rss",
    feed_url="https://gov.kg/ru/rss",
    home_region="KG-GB",
    timezone="Asia/Bishkek",
    origin="bot",
    added_by=999,
)


async def _active(db: Database) -> list[str]:
    async with db.read() as uow:
        return [row.id for row in await uow.sources.active()]


async def test_seed_add_pause_remove_and_reseed(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync(FILE)
        added = await uow.sources.add(ADDED)
        assert added.added_at is not None and added.origin == "bot"
        await uow.commit()
    assert await _active(db) == ["gov-kg-ru", "lenobl", "vologda-ru"]
    async with db.write() as uow:
        assert (await uow.sources.by_url("https://gov.kg/ru/rss")).id == "gov-kg-ru"  # type: ignore[union-attr]
        await uow.sources.set_paused("vologda-ru", True)
        await uow.sources.remove("lenobl")
        assert await uow.sources.remove("lenobl") is None  # removed once
        await uow.commit()
    # the next start seeds the file again, with a changed selector and without one entry
    changed = [FILE[0], SourceSpec("lenobl", "Lenobl", "https://lenobl.ru/rss/", kind="rss", selectors={"body": "x"})]
    async with db.write() as uow:
        await uow.sources.sync(changed[:1])
        await uow.commit()
    assert await _active(db) == ["gov-kg-ru"]  # paused stays paused, removed stays removed, added untouched
    async with db.read() as uow:
        rows = {row.id: row for row in await uow.sources.all()}
        listed = [row.id for row in await uow.sources.listed()]
    assert rows["vologda-ru"].paused and rows["vologda-ru"].parser == "bitrix"
    assert rows["lenobl"].removed_at is not None and rows["lenobl"].selectors == {"body": "div.text"}
    assert rows["gov-kg-ru"].enabled and rows["gov-kg-ru"].added_by == 999
    assert listed == ["gov-kg-ru", "vologda-ru"]
    async with db.write() as uow:
        await uow.sources.set_paused("lenobl", False)  # resume brings a removed source back
        await uow.sources.sync(changed)
        await uow.commit()
    async with db.read() as uow:
        lenobl = await uow.sources.get("lenobl")
    assert lenobl is not None and lenobl.removed_at is None and lenobl.selectors == {"body": "x"}
    assert await _active(db) == ["gov-kg-ru", "lenobl"]
