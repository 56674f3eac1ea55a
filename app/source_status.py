"""`coopnews sources`: every configured source with its health, as a plain table."""

from __future__ import annotations

from datetime import datetime

from app.scrape_command import load_configured_sources
from app.settings import Settings
from storage import Database
from storage.models import Source


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} d ago"


def _state(row: Source | None) -> str:
    if row is None or row.last_polled_at is None:  # synced from the file but never polled yet
        return "new"
    if row.is_down:
        return "DOWN"
    return "failing" if row.consecutive_failures else "ok"


async def print_sources(settings: Settings) -> int:
    from storage.models import utcnow

    sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        async with db.read() as uow:
            health = {row.id: row for row in await uow.sources.all()}
    finally:
        await db.dispose()
    now = utcnow()
    print(f"{'id':<24} {'state':<8} {'last success':<14} {'fails':>5} {'items':>6}  url")
    for source in sources:
        row = health.get(source.id)
        state = _state(row)
        last_ok = _ago(row.last_success_at if row else None, now)
        fails = row.consecutive_failures if row else 0
        items = row.items_found_total if row else 0
        print(f"{source.id:<24} {state:<8} {last_ok:<14} {fails:>5} {items:>6}  {source.url}")
        if row is not None and row.last_error and row.consecutive_failures:
            print(f"{'':<24} last error: {row.last_error[:150]}")
    print(f"{len(sources)} source(s) from {settings.sources_file}")
    return 0
