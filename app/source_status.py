"""`coopnews sources [list|add|pause|resume|remove]`: sources with their health; added by URL; managed."""

from __future__ import annotations

import sys
from datetime import datetime

from app.scrape_command import load_configured_sources
from app.settings import Settings
from app.source_registry import seed_sources
from bot.fetch_errors import describe_fetch_error
from bot.i18n import N_, t
from bot.source_admin import add_discovered, preview_text
from scrapers.discover import Discoverer
from scrapers.fetcher import Fetcher
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
    if row is not None and row.paused:
        return t("paused", lang)
    if row is not None and not row.enabled:
        return t("off", lang)
    if row is None or row.last_polled_at is None:  # synced from the file but never polled yet
        return t("new", lang)
    if row.is_down:
        return t("DOWN", lang)
    return t("failing", lang) if row.consecutive_failures else t("ok", lang)


async def _listed(settings: Settings) -> list[Source]:
    """Every source not removed (the file's, seeded first, and the admins'), with its health."""
    file_sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await seed_sources(db, file_sources)
        async with db.read() as uow:
            return await uow.sources.listed()
    finally:
        await db.dispose()


async def print_sources(settings: Settings) -> int:
    from storage.clock import utcnow

    rows = await _listed(settings)
    now, lang = utcnow(), settings.default_language
    header = [t(label, lang) for label in COLUMNS]
    print(f"{'id':<24} {header[0]:<8} {header[1]:<14} {header[2]:>5} {header[3]:>6}  {t('url', lang)}")
    for row in rows:
        state = _state(row, lang)
        last_ok = _ago(row.last_success_at, now, lang)
        print(
            f"{row.id:<24} {state:<8} {last_ok:<14} {row.consecutive_failures:>5} {row.items_found_total:>6}  "
            f"{row.feed_url or row.url}"
        )
        if row.last_error and row.consecutive_failures:
            print(f"{'':<24} {t('last error:', lang)} {describe_fetch_error(row.last_error, lang)[:150]}")
    where = settings.sources_file
    from_file = sum(1 for row in rows if row.origin == "file")
    print(t("{n} source from {file}", lang, plural="{n} sources from {file}", n=from_file, file=where))
    if len(rows) > from_file:
        print(t("{n} source added by admins", lang, plural="{n} sources added by admins", n=len(rows) - from_file))
    return 0


def _confirmed(lang: str) -> bool:
    try:
        answer = input(t("Add this source? [y/N] ", lang))
    except EOFError:  # no terminal to ask: only --yes adds
        return False
    return answer.strip().lower() in ("y", "yes", "д", "да")


async def add_source_command(settings: Settings, url: str, *, yes: bool) -> int:
    """`coopnews sources add URL`: the bot's /addsource preview, then a confirmation on the terminal."""
    lang = settings.default_language
    file_sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await seed_sources(db, file_sources)
        print(t("Looking at {url}…", lang, url=url), flush=True)
        async with Fetcher() as fetcher:
            found = await Discoverer(fetcher).discover(url)
        print(preview_text(found, lang, settings.default_timezone, html=False))
        if not found.addable:
            return 1
        if not yes and not _confirmed(lang):
            print(t("Cancelled: nothing was added.", lang))
            return 1
        added = await add_discovered(db, found, origin="cli", added_by=None)
    finally:
        await db.dispose()
    row = added.row
    if added.created:
        print(t("added {id}: {name}", lang, id=row.id, name=row.name))
    else:
        print(t("already polled as {id}: {name}", lang, id=row.id, name=row.name))
    return 0


async def set_state_command(settings: Settings, action: str, source_id: str) -> int:
    """`coopnews sources pause|resume|remove ID`; a running bot follows within a minute (app.runner)."""
    lang = settings.default_language
    file_sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await seed_sources(db, file_sources)
        async with db.write() as uow:
            if action == "remove":
                row = await uow.sources.remove(source_id)
            else:
                row = await uow.sources.set_paused(source_id, action == "pause")
            await uow.commit()
    finally:
        await db.dispose()
    if row is None:
        message = t("no source with id {id} (see `coopnews sources`)", lang, id=repr(source_id))
        print(f"coopnews sources: {message}", file=sys.stderr)
        return 2
    done = {"pause": N_("paused {id}"), "resume": N_("resumed {id}"), "remove": N_("removed {id}")}[action]
    print(t(done, lang, id=source_id))
    return 0
