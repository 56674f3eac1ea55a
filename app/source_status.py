"""`coopnews sources`: every configured source with its health, as a plain table."""

from __future__ import annotations

from datetime import datetime

from app.scrape_command import load_configured_sources
from app.settings import Settings
from bot.fetch_errors import describe_fetch_error
from bot.i18n import N_, t
from storage import Database
from storage.models import Source

COLUMNS = (N_("state"), N_("last success"), N_("fails"), N_("items"))


def _ago(moment: datetime | None, now: datetime, lang: str) -> str:
    if moment is None:
        return t("never", lang)
    minutes = int((now - moment).total_seconds() // 60)
    if minutes <= 0:
        return t("just now", lang)
    if minutes < 60:
        return t("{n} min ago", lang, n=minutes)
    if minutes < 48 * 60:
        return t("{n} h ago", lang, n=minutes // 60)
    return t("{n} d ago", lang, n=minutes // 1440)


def _state(row: Source | None, lang: str) -> str:
    if row is None or row.last_polled_at is None:  # synced from the file but never polled yet
        return t("new", lang)
    if row.is_down:
        return t("DOWN", lang)
    return t("failing", lang) if row.consecutive_failures else t("ok", lang)


async def print_sources(settings: Settings) -> int:
    from storage.clock import utcnow

    sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        async with db.read() as uow:
            health = {row.id: row for row in await uow.sources.all()}
    finally:
        await db.dispose()
    now, lang = utcnow(), settings.default_language
    header = [t(label, lang) for label in COLUMNS]
    print(f"{'id':<24} {header[0]:<8} {header[1]:<14} {header[2]:>5} {header[3]:>6}  {t('url', lang)}")
    for source in sources:
        row = health.get(source.id)
        state = _state(row, lang)
        last_ok = _ago(row.last_success_at if row else None, now, lang)
        fails = row.consecutive_failures if row else 0
        items = row.items_found_total if row else 0
        print(f"{source.id:<24} {state:<8} {last_ok:<14} {fails:>5} {items:>6}  {source.url}")
        if row is not None and row.last_error and row.consecutive_failures:
            print(f"{'':<24} {t('last error:', lang)} {describe_fetch_error(row.last_error, lang)[:150]}")
    where = settings.sources_file
    print(t("{n} source from {file}", lang, plural="{n} sources from {file}", n=len(sources), file=where))
    return 0
