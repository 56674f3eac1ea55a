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
    """The configured part of a source (from sources.toml)."""

    id: str
    name: str
    url: str
    kind: str = "html"
    lang: str = "ru"
    home_region: str | None = None


def _new_row(spec: SourceSpec) -> Source:
    return Source(
        id=spec.id,
        name=spec.name,
        url=spec.url,
        kind=spec.kind,
        lang=spec.lang,
        home_region=spec.home_region,
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

    async def sync(self, specs: list[SourceSpec]) -> None:
        """Insert new sources, update changed ones, disable those no longer configured."""
        existing = {s.id: s for s in await self.all()}
        wanted = {spec.id for spec in specs}
        for spec in specs:
            row = existing.get(spec.id)
            if row is None:
                self.session.add(_new_row(spec))
                continue
            row.name, row.kind, row.lang, row.home_region = spec.name, spec.kind, spec.lang, spec.home_region
            row.enabled = True
            if row.url != spec.url:  # pointed elsewhere: its history says nothing about the new URL
                row.url, row.baseline_done, row.consecutive_failures, row.is_down = spec.url, False, 0, False
        for source_id, row in existing.items():
            if source_id not in wanted:
                row.enabled = False
        await self.session.flush()

    async def sync_one(self, spec: SourceSpec) -> None:
        """Make sure one source has a row, leaving the others alone."""
        if await self.session.get(Source, spec.id) is None:
            self.session.add(_new_row(spec))
            await self.session.flush()

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

    async def record_failure(
        self, source_id: str, error: str, down_after: int, at: datetime | None = None
    ) -> bool:
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
