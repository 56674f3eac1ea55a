"""Sources and their health; HTTP validators for conditional GET."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import utcnow
from storage.models import HttpValidator, Source


@dataclass(frozen=True)
class SourceSpec:
    """The configured part of a source: from sources.toml, or added by an admin (`origin` bot|cli)."""

    id: str
    name: str
    url: str
    kind: str = "html"
    lang: str = "ru"
    home_region: str | None = None
    parser: str = "generic"
    interval: int = 600
    timezone: str | None = None
    selectors: dict[str, str] | None = None
    feed_url: str | None = None
    origin: str = "file"
    added_by: int | None = None


FILE_ORIGIN = "file"


def _configure(row: Source, spec: SourceSpec) -> None:
    """Copy how to poll the source onto its row; a new address resets what the old one taught."""
    row.name, row.kind, row.lang, row.home_region = spec.name, spec.kind, spec.lang, spec.home_region
    row.parser, row.interval, row.timezone = spec.parser, spec.interval, spec.timezone
    row.selectors = dict(spec.selectors) if spec.selectors else None
    row.feed_url = spec.feed_url
    if row.url != spec.url:  # pointed elsewhere: its history says nothing about the new URL
        row.url, row.baseline_done, row.consecutive_failures, row.is_down = spec.url, False, 0, False


def _new_row(spec: SourceSpec) -> Source:
    return Source(
        id=spec.id,
        name=spec.name,
        url=spec.url,
        kind=spec.kind,
        lang=spec.lang,
        home_region=spec.home_region,
        parser=spec.parser,
        interval=spec.interval,
        timezone=spec.timezone,
        selectors=dict(spec.selectors) if spec.selectors else None,
        feed_url=spec.feed_url,
        origin=spec.origin,
        added_by=spec.added_by,
        added_at=None if spec.origin == FILE_ORIGIN else utcnow(),
        paused=False,
        enabled=True,
        baseline_done=False,
        consecutive_failures=0,
        items_found_total=0,
        items_found_last=0,
        is_down=False,
    )


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, source_id: str) -> Source | None:
        return await self.session.get(Source, source_id)

    async def all(self) -> list[Source]:
        return list(await self.session.scalars(select(Source).order_by(Source.id)))

    async def names(self) -> dict[str, str]:
        """Source id -> the name shown to users."""
        return {source_id: name for source_id, name in await self.session.execute(select(Source.id, Source.name))}

    async def active(self) -> list[Source]:
        """What the poller polls: configured, not paused, not removed."""
        query = select(Source).where(Source.enabled, ~Source.paused, Source.removed_at.is_(None)).order_by(Source.id)
        return list(await self.session.scalars(query))

    async def listed(self) -> list[Source]:
        """Every source an admin manages (paused ones included), without the removed ones."""
        return list(await self.session.scalars(select(Source).where(Source.removed_at.is_(None)).order_by(Source.id)))

    async def sync(self, specs: list[SourceSpec]) -> None:
        """Seed from the sources file: insert new sources, update changed ones, switch off those the
        file no longer lists. Never touched: a pause, an admin's removal (a removed file source stays
        removed until an admin adds it again) and the sources admins added."""
        existing = {s.id: s for s in await self.all()}
        wanted = {spec.id for spec in specs}
        for spec in specs:
            row = existing.get(spec.id)
            if row is None:
                self.session.add(_new_row(spec))
                continue
            if row.removed_at is not None:
                continue
            _configure(row, spec)
            row.enabled = True
        for source_id, row in existing.items():
            if source_id not in wanted and row.origin == FILE_ORIGIN:
                row.enabled = False
        await self.session.flush()

    async def sync_one(self, spec: SourceSpec) -> None:
        """Make sure one source has a row, leaving the others alone."""
        if await self.session.get(Source, spec.id) is None:
            self.session.add(_new_row(spec))
            await self.session.flush()

    async def by_url(self, url: str) -> Source | None:
        """The source polling this address (its page or its feed), removed ones included."""
        query = select(Source).where((Source.url == url) | (Source.feed_url == url)).order_by(Source.id)
        return (await self.session.scalars(query)).first()

    async def add(self, spec: SourceSpec) -> Source:
        """An admin's new source; a removed one with the same id comes back with the new settings."""
        row = await self.session.get(Source, spec.id)
        if row is None:
            row = _new_row(spec)
            self.session.add(row)
        else:
            _configure(row, spec)
            row.removed_at, row.paused, row.enabled = None, False, True
            row.origin, row.added_by, row.added_at = spec.origin, spec.added_by, utcnow()
        await self.session.flush()
        return row

    async def set_paused(self, source_id: str, paused: bool) -> Source | None:
        """Pause or resume; resuming a removed source brings it back. None when there is no such source."""
        row = await self.session.get(Source, source_id)
        if row is None:
            return None
        row.paused = paused
        if not paused:
            row.removed_at = None
        return row

    async def remove(self, source_id: str) -> Source | None:
        """Stop polling and hide the source; the row (and its articles) stay, so a re-seed cannot revive it."""
        row = await self.session.get(Source, source_id)
        if row is None or row.removed_at is not None:
            return None
        row.removed_at = utcnow()
        return row

    async def mark_baseline(self, source_id: str) -> None:
        """The first poll is done: from now on new items are news, not history."""
        row = await self.session.get(Source, source_id)
        if row is not None:
            row.baseline_done = True

    async def _locked(self, source_id: str) -> Source | None:
        """The row, locked until commit: on PostgreSQL two processes adding to its counters must not
        lose an update. NO KEY UPDATE, because an article insert of the same source already holds the
        row's KEY SHARE lock (foreign key) and FOR UPDATE would deadlock with it. SQLite renders no
        lock clause; its BEGIN IMMEDIATE orders writers already."""
        return await self.session.get(Source, source_id, with_for_update={"key_share": True})

    async def record_success(self, source_id: str, items_found: int, at: datetime | None = None) -> bool:
        """Note a good poll; returns True when the source was down and has now recovered."""
        row = await self._locked(source_id)
        if row is None:
            return False
        at = at or utcnow()
        recovered = row.is_down
        row.last_polled_at = row.last_success_at = at
        row.consecutive_failures = 0
        row.items_found_last = items_found
        row.items_found_total += items_found
        row.is_down = False
        row.down_since = None
        return recovered

    async def record_failure(self, source_id: str, error: str, down_after: int, at: datetime | None = None) -> bool:
        """Note a failed poll; returns True when this failure takes the source down."""
        row = await self._locked(source_id)
        if row is None:
            return False
        at = at or utcnow()
        row.last_polled_at = row.last_error_at = at
        row.last_error = error[:1000]
        row.consecutive_failures += 1
        went_down = not row.is_down and row.consecutive_failures >= down_after
        if went_down:
            row.is_down, row.down_since = True, at
        return went_down

    async def validators(self, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
        if not urls:
            return {}
        rows = await self.session.scalars(select(HttpValidator).where(HttpValidator.url.in_(urls)))
        return {r.url: (r.etag, r.last_modified) for r in rows}

    async def save_validator(self, url: str, etag: str | None, last_modified: str | None) -> None:
        row = await self.session.get(HttpValidator, url)
        if row is None:
            self.session.add(HttpValidator(url=url, etag=etag, last_modified=last_modified))
        else:
            row.etag, row.last_modified, row.updated_at = etag, last_modified, utcnow()
