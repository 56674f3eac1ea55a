"""`coopnews scrape --once` and `coopnews sources`: one poll of every source, and their health."""

from __future__ import annotations

import asyncio
import sys

from app.ingest import Ingestor, IngestReport, spec_of
from app.settings import Settings
from scrapers.fetcher import Fetcher
from scrapers.sources import SourceConfig, load_sources
from storage import Database


def load_configured_sources(settings: Settings) -> list[SourceConfig]:
    """The sources file's valid entries; each invalid one is reported on stderr and skipped."""
    loaded = load_sources(settings.sources_file)
    for error in loaded.errors:
        print(f"sources: {error}", file=sys.stderr)
    return loaded.sources


async def sync_sources(db: Database, sources: list[SourceConfig]) -> None:
    async with db.write() as uow:
        await uow.sources.sync([spec_of(s) for s in sources])
        await uow.commit()


def _print_report(report: IngestReport) -> None:
    state = "FAILED" if report.failed else "ok"
    extra = f", {report.duplicates} duplicate(s) skipped" if report.duplicates else ""
    print(f"[{report.source_id}] {state}: {len(report.stored)} new{extra}")
    for item in report.stored:
        pairs = ", ".join(f"{a}↔{b}" for a, b in item.parties)
        flag = f"cooperation {pairs}" if item.is_cooperation else "not cooperation"
        print(f"  + {item.title}\n    {item.url}\n    {flag}; alerts queued: {item.alerted_users}")
    for error in report.errors:
        print(f"  ! {error}")


async def scrape_once_command(settings: Settings, source_id: str | None) -> int:
    sources = load_configured_sources(settings)
    chosen = [s for s in sources if source_id is None or s.id == source_id]
    if not chosen:
        print(f"coopnews scrape: no source with id {source_id!r} (see `coopnews sources`)", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await sync_sources(db, sources)
        async with Fetcher() as fetcher:
            ingestor = Ingestor(db, settings, fetcher)
            await ingestor.load_stories()
            await ingestor.load_validators(chosen)
            reports = await asyncio.gather(*(ingestor.poll(s) for s in chosen))
    finally:
        await db.dispose()
    for report in reports:
        _print_report(report)
    return 1 if all(r.failed for r in reports) else 0
