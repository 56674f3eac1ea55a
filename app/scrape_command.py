"""`coopnews scrape --once` and `coopnews sources`: one poll of every source, and their health."""

from __future__ import annotations

import asyncio
import sys
import time

from app.config_errors import ConfigError
from app.ingest import Ingestor, IngestReport
from app.settings import Settings
from app.source_registry import active_sources, rendered_ids, seed_sources
from bot.i18n import t
from scrapers.fetcher import Fetcher
from scrapers.sources import SourceConfig, SourcesLoad, load_sources
from storage import Database


def load_configured_sources(settings: Settings) -> list[SourceConfig]:
    """The sources file's valid, enabled entries; each invalid one is reported on stderr and skipped."""
    return load_catalogue(settings).sources


def load_catalogue(settings: Settings) -> SourcesLoad:
    """The sources file, enabled and disabled entries; each invalid one is reported on stderr and skipped.

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
    return loaded


async def sync_sources(db: Database, sources: list[SourceConfig]) -> None:
    await seed_sources(db, sources)


def _print_report(report: IngestReport, source: SourceConfig, seconds: float, lang: str) -> None:
    state = t("FAILED", lang) if report.failed else t("ok", lang)
    line = t("[{source}] {state}: {n} new article", lang, plural="[{source}] {state}: {n} new articles",
             n=len(report.stored), source=report.source_id, state=state)
    if report.duplicates:
        line += t(", {n} duplicate skipped", lang, plural=", {n} duplicates skipped", n=report.duplicates)
    line += t("; items found: {items}; {seconds} s", lang, items=report.found, seconds=f"{seconds:.1f}")
    print(f"{line} — {source.name}")
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
        sources = await active_sources(db, rendered_ids(file_sources))  # file's and admins', not paused
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
            reports = await _poll_all(ingestor, chosen, settings.default_language)
    finally:
        await db.dispose()
    return 1 if all(r.failed for r in reports) else 0


async def _timed_poll(ingestor: Ingestor, source: SourceConfig) -> tuple[SourceConfig, IngestReport, float]:
    started = time.monotonic()
    report = await ingestor.poll(source)
    return source, report, time.monotonic() - started


async def _poll_all(ingestor: Ingestor, chosen: list[SourceConfig], lang: str) -> list[IngestReport]:
    """Poll every source at once; print each as it finishes, then the totals."""
    started = time.monotonic()
    reports: list[IngestReport] = []
    # each source's lines as soon as it is done: a slow or dead site does not hide the others
    for finished in asyncio.as_completed([_timed_poll(ingestor, s) for s in chosen]):
        source, report, seconds = await finished
        reports.append(report)
        print(f"[{len(reports)}/{len(chosen)}] ", end="")
        _print_report(report, source, seconds, lang)
        sys.stdout.flush()
    failed = sum(r.failed for r in reports)
    print(t("Sources: {ok} ok, {failed} failed; new articles: {n}; total time {seconds} s", lang,
            ok=len(reports) - failed, failed=failed, n=sum(len(r.stored) for r in reports),
            seconds=f"{time.monotonic() - started:.1f}"))
    return reports
