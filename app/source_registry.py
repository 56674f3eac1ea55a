"""Sources live in the database: the sources file seeds them at start, admins add, pause and remove.

What the poller polls is read back from the rows (`active_sources`), so a source added by URL is
polled like one from the file. Seeding never undoes an admin: a paused source stays paused, and a
removed file source stays removed (re-adding its URL, or `coopnews sources resume ID`, brings it back).
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from pydantic import ValidationError

from bot.i18n import N_
from scrapers.sources import SourceConfig
from storage import Database
from storage.models import Source
from storage.repositories.sources import SourceSpec

log = logging.getLogger(__name__)


def spec_of(
    source: SourceConfig, *, origin: str = "file", added_by: int | None = None, page_url: str | None = None
) -> SourceSpec:
    """The row's values for a source; with `page_url` the source is that page polled through its feed."""
    feed_url = source.url if page_url and source.kind == "rss" else None
    return SourceSpec(
        source.id,
        source.name,
        page_url or source.url,
        source.kind,
        source.lang,
        source.home_region,
        parser=source.parser,
        interval=source.interval,
        timezone=source.timezone,
        selectors=dict(source.selectors) or None,
        feed_url=feed_url,
        origin=origin,
        added_by=added_by,
    )


def config_of(row: Source, rendered: Collection[str] = ()) -> SourceConfig | None:
    """How to poll a stored source; None (and a log line) when the row no longer validates.

    `rendered`: ids the sources file marks `render = true`; the flag is the file's, not a column.
    """
    try:
        return SourceConfig(
            id=row.id,
            name=row.name,
            url=row.feed_url or row.url,
            kind="rss" if row.feed_url else row.kind,
            lang=row.lang,
            home_region=row.home_region,
            interval=row.interval,
            parser=row.parser,
            selectors=dict(row.selectors or {}),
            timezone=row.timezone,
            render=row.id in rendered,
        )
    except ValidationError as exc:
        log.warning(N_("source %s in the database is not usable: %s"), row.id, exc.errors()[0].get("msg", exc))
        return None


async def seed_sources(db: Database, file_sources: list[SourceConfig]) -> None:
    """Upsert the file's sources (see the module docstring for what seeding leaves alone)."""
    async with db.write() as uow:
        await uow.sources.sync([spec_of(s) for s in file_sources])
        await uow.commit()


async def active_sources(db: Database, rendered: Collection[str] = ()) -> list[SourceConfig]:
    """Every source to poll now: configured, not paused, not removed (`rendered`: see config_of)."""
    async with db.read() as uow:
        rows = await uow.sources.active()
    return [config for row in rows if (config := config_of(row, rendered)) is not None]


def rendered_ids(file_sources: list[SourceConfig]) -> frozenset[str]:
    """The file's sources read through headless Chromium (`render = true`)."""
    return frozenset(s.id for s in file_sources if s.render)


async def seed_and_load(db: Database, file_sources: list[SourceConfig]) -> list[SourceConfig]:
    await seed_sources(db, file_sources)
    return await active_sources(db, rendered_ids(file_sources))
