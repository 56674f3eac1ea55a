"""`coopnews scrape --once` and `coopnews sources`: one poll of every source, and their health."""

from __future__ import annotations

import asyncio
import sys

from app.config_errors import ConfigError
from app.ingest import Ingestor, IngestReport
from app.settings import Settings
from app.source_registry import active_sources, seed_sources
from bot.i18n import t
from scrapers.fetcher import Fetcher
from scrapers.sources import SourceConfig, load_sources
from storage import Database


def load_configured_sources(settings: Settings) -> list[SourceConfig]:
    """The sources file's valid entries; each invalid one is reported on stderr and skipped.

    A file that cannot be read, is not TOML or has no valid entry at all is a configuration error:
    running with no sources would look alive and never fetch anything.
    """
    lang, path = settings.default_language, settings.sources_file
    if not path.is_file():
        raise ConfigError(t("SOURCES_FILE points to {path}, which is not a readable file", lang, path=path))
    loaded = load_sources(path)
    if not loaded.sources and loaded.errors:
        problem = loaded.errors[0].removeprefix(f"{path}: ")
        raise ConfigError(t("SOURCES_FILE {path} has no usable source: {problem}", lang, path=path, problem=problem))
    for error in loaded.errors:
        print(f"{t('sources file:', lang)} {error}", file=sys.stderr)
    return loaded.sources


async def sync_sources(db: Database, sources: list[SourceConfig]) -> None:
    await seed_sources(db, sources)


def _print_report(report: IngestReport, lang: str) -> None:
    state = t("FAILED", lang) if report.failed else t("ok", lang)
    line = t("[{source}] {state}: {n} new article", lang, plural="[{source}] {state}: {n} new articles",
             n=len(report.stored), source=report.source_id, state=state)
    if report.duplicates:
        line += t(", {n} duplicate skipped", lang, plural=", {n} duplicates skipped", n=report.duplicates)
    print(line)
    for item in report.stored:
        pairs = ", ".join(f"{a}↔{b}" for a, b in item.parties)
        flag = t("cooperation {pairs}", lang, pairs=pairs) if item.is_cooperation else t("not cooperation", lang)
        queued = t("alerts queued: {n}", lang, n=item.alerted_users)
        print(f"  + {item.title}\n    {item.url}\n    {flag}; {queued}")
    for error in report.errors:
        print(f"  ! {error}")


async def scrape_once_command(settings: Settings, source_id: str | None) -> int:
    file_sources = load_configured_sources(settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await sync_sources(db, file_sources)
        sources = await active_sources(db)  # the file's and the admins' sources, paused ones left out
        chosen = [s for s in sources if source_id is None or s.id == source_id]
        if not chosen:
            message = t("no source with id {id} (see `coopnews sources`)", settings.default_language,
                        id=repr(source_id))
            print(f"coopnews scrape: {message}", file=sys.stderr)
            return 2
        async with Fetcher() as fetcher:
            ingestor = Ingestor(db, settings, fetcher)
            await ingestor.load_stories()
            await ingestor.load_validators(chosen)
            reports = []
            # each source's lines as soon as it is done: a slow or dead site does not hide the others
            for finished in asyncio.as_completed([ingestor.poll(s) for s in chosen]):
                report = await finished
                reports.append(report)
                print(f"[{len(reports)}/{len(chosen)}] ", end="")
                _print_report(report, settings.default_language)
                sys.stdout.flush()
    finally:
        await db.dispose()
    return 1 if all(r.failed for r in reports) else 0
