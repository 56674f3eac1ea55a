"""The ingest step: poll a source → analyse → store → match, one transaction per article."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.facts import ArticleFacts
from alerts.matcher import match_article
from analysis import pipeline
from analysis.fingerprint import StoryIndex
from analysis.normalize import printable, short_title
from analysis.pipeline import ArticleAnalysis, analyze
from app.settings import Settings
from app.source_registry import spec_of
from bot.i18n import N_
from scrapers import dates
from scrapers.cpu import run_cpu_bound
from scrapers.fetcher import Fetcher
from scrapers.health import DOWN_THRESHOLD
from scrapers.models import ParsedArticle
from scrapers.poller import PollResult, poll_source
from scrapers.sources import SourceConfig
from storage import Database, UnitOfWork
from storage.clock import utcnow
from storage.repositories import NewArticle

log = logging.getLogger(__name__)
STORY_WINDOW = timedelta(days=14)  # stories older than this are not joined by new articles
STALE_AFTER = timedelta(days=7)  # a "new" URL published long ago is an archive page resurfacing


@dataclass
class StoredItem:
    article_id: int
    title: str
    url: str
    is_cooperation: bool
    parties: list[tuple[str, str]]
    alerted_users: int

    @classmethod
    def of(cls, new: NewArticle, article_id: int, alerted_users: int) -> StoredItem:
        """What the report says about an article just stored, read from the value that was stored."""
        return cls(article_id, new.title, new.url, new.is_cooperation, list(new.parties), alerted_users)


@dataclass
class IngestReport:
    source_id: str
    stored: list[StoredItem] = field(default_factory=list)
    fetched: int = 0  # articles the poll fetched (new URLs on the list)
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    failed: bool = False
    transition: str | None = None  # "down" | "recovered"
    consecutive_failures: int = 0
    found: int = 0  # items on the list page or feed


def tidy(parsed: ParsedArticle) -> ParsedArticle | None:
    """The article with printable text only and a title of sane length; None when nothing usable is left."""
    title, body = short_title(parsed.title), printable(parsed.body)
    if not title or not body:
        return None
    return dataclasses.replace(parsed, title=title, body=body, lead=printable(parsed.lead))


class Ingestor:
    """Owns the story index and turns each poll into stored, matched articles."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        fetcher: Fetcher,
        *,
        on_deliveries: Callable[[], None] | None = None,
        down_after: int = DOWN_THRESHOLD,
    ) -> None:
        self.db, self.settings, self.fetcher = db, settings, fetcher
        self.on_deliveries = on_deliveries or (lambda: None)
        self.down_after = down_after
        self.stories = StoryIndex()
        # metrics hooks (app/metrics.py): a poll's report and its seconds, one match's seconds
        self.on_polled: Callable[[IngestReport, float], None] = lambda _report, _seconds: None
        self.on_matched: Callable[[float], None] = lambda _seconds: None
        self._store_lock = asyncio.Lock()  # story look-up + insert must not interleave between sources

    async def load_stories(self) -> int:
        """Rebuild the in-memory near-duplicate index from stored signatures (it lives in memory only)."""
        loaded = 0
        async with self.db.read() as uow:
            async for story_id, title, sig in uow.articles.story_signatures(utcnow() - STORY_WINDOW):
                self.stories.add(story_id, sig, title)
                loaded += 1
        self.stories.compact()
        return loaded

    async def warm_up(self) -> None:
        """Load what the first parse and the first analysis would otherwise load mid-poll."""
        await run_cpu_bound(_warm_up)

    async def load_validators(self, sources: list[SourceConfig]) -> None:
        """Seed conditional GET with the ETag / Last-Modified remembered from earlier runs."""
        async with self.db.read() as uow:
            self.fetcher.seed_validators(await uow.sources.validators([s.url for s in sources]))

    async def _known_among(self, urls: list[str]) -> set[str]:
        async with self.db.read() as uow:
            return await uow.articles.known_urls(urls)

    async def poll(self, source: SourceConfig) -> IngestReport:
        started = time.perf_counter()
        report = await self._poll(source)
        self.on_polled(report, time.perf_counter() - started)
        return report

    async def _poll(self, source: SourceConfig) -> IngestReport:
        report = IngestReport(source.id)
        async with self.db.write() as uow:
            await uow.sources.sync_one(spec_of(source))
            row = await uow.sources.get(source.id)
            baseline = row is None or not row.baseline_done
            await uow.commit()
        try:
            result = await poll_source(source, self.fetcher, self._known_among)
        except Exception as exc:  # a parser bug on one site counts against that site, never the others
            log.exception(N_("poll of %s crashed"), source.id)
            crash = f"list {source.url}: {type(exc).__name__}: {exc}"
            result = PollResult(source.id, errors=[crash], list_error=crash)
        report.errors.extend(result.errors)
        report.found = result.list_count
        report.fetched = len(result.articles)
        if result.failed:
            report.failed = True
            await self._record_health(source, report, ok=False, error=result.list_error or "failed")
            return report
        for found in result.articles:
            parsed = tidy(found)
            if parsed is None:
                report.errors.append(f"article {found.url}: no usable title or text")
                continue
            try:
                await self._ingest_article(source, parsed, baseline, report)
            except Exception as exc:  # one article's trouble is logged, never the whole poll's
                log.exception(N_("ingest of %s failed"), parsed.url)
                report.errors.append(f"article {parsed.url}: {type(exc).__name__}: {exc}")
        if report.errors:
            # Something on the list was not stored: forget the list's validator, or the next poll
            # gets a 304 and never retries it (until the list happens to change).
            self.fetcher.forget_validator(source.url)
        await self._record_health(source, report, ok=True, baseline_done=True)
        if any(item.alerted_users for item in report.stored):
            self.on_deliveries()
        return report

    def _alertable(self, parsed: ParsedArticle, baseline: bool, now: datetime) -> bool:
        if parsed.published is None:
            return not baseline  # undated items of a first poll are history, later ones are news
        age = now - parsed.published
        limit = timedelta(hours=self.settings.backfill_hours) if baseline else STALE_AFTER
        return age <= limit

    async def _ingest_article(
        self, source: SourceConfig, parsed: ParsedArticle, baseline: bool, report: IngestReport
    ) -> None:
        analysis: ArticleAnalysis = await run_cpu_bound(
            analyze, parsed.title, parsed.body, parsed.lang, home_region=source.home_region
        )
        now = utcnow()
        new = self._new_article(source, parsed, analysis)  # one value: checked for duplicates, then stored
        async with self._store_lock, self.db.write() as uow:
            if await uow.articles.is_duplicate(new):
                report.duplicates += 1
                return
            story_id = self.stories.find(analysis.signature, parsed.title)
            if story_id is None:
                story_id = (await uow.articles.new_story(parsed.title)).id
                new_story = True
            else:
                new_story = False
            article = await uow.articles.add(new)
            await uow.articles.join_story(article, story_id)
            alerted = 0
            if self._alertable(parsed, baseline, now):
                facts = ArticleFacts.of_analysis(
                    article.id, source.id, story_id, analysis, story_has_earlier=not new_story
                )
                matching = time.perf_counter()
                alerted = (await match_article(uow, facts, now)).total
                self.on_matched(time.perf_counter() - matching)
            await uow.commit()
        if new_story:
            self.stories.add(story_id, analysis.signature, parsed.title)
        report.stored.append(StoredItem.of(new, article.id, alerted))

    @staticmethod
    def _new_article(source: SourceConfig, parsed: ParsedArticle, analysis: ArticleAnalysis) -> NewArticle:
        coop = analysis.cooperation
        return NewArticle(
            source_id=source.id,
            url=parsed.url,
            title=parsed.title,
            body=analysis.main_text or parsed.body,  # the clean main text when analysis found one
            lead=parsed.lead,
            summary=analysis.summary,
            language=analysis.language,
            image_url=parsed.image_url,
            published_at=parsed.published,
            is_cooperation=coop.is_cooperation,
            event_type=coop.event,
            confidence=coop.confidence,
            mentioned=analysis.mentions,
            parties=coop.parties,
            topics=analysis.topics,
            signature=analysis.signature,
        )

    async def _record_health(
        self, source: SourceConfig, report: IngestReport, *, ok: bool, error: str = "", baseline_done: bool = False
    ) -> None:
        async with self.db.write() as uow:
            if ok:
                recovered = await uow.sources.record_success(source.id, len(report.stored))
                report.transition = "recovered" if recovered else None
                if baseline_done:
                    await uow.sources.mark_baseline(source.id)
                # saved only after the articles are stored: a 304 later must not hide unstored items
                if (validator := self.fetcher.validator_of(source.url)) is not None:
                    await uow.sources.save_validator(source.url, *validator)
            else:
                went_down = await uow.sources.record_failure(source.id, error, self.down_after)
                report.transition = "down" if went_down else None
            if report.transition:
                await self._notify_admins(uow, source, report.transition, error)
            row = await uow.sources.get(source.id)
            report.consecutive_failures = row.consecutive_failures if row else 0
            await uow.commit()
        if report.transition:
            log.warning(N_("source %s is %s%s"), source.id, report.transition, f": {error}" if error else "")
            self.on_deliveries()

    async def _notify_admins(self, uow: UnitOfWork, source: SourceConfig, transition: str, error: str) -> None:
        """Admin notices go through the same outbox, rendered in each admin's language at send time."""
        payload = json.dumps(
            {"type": f"source_{transition}", "source": source.id, "name": source.name, "error": error[:300]},
            ensure_ascii=False,
        )
        for admin_id in self.settings.admin_ids:
            user = await uow.users.get(admin_id)
            if user is not None and user.active:  # admins who never opened the bot cannot be messaged
                await uow.deliveries.enqueue_notice(admin_id, payload)


def _warm_up() -> None:
    # Both spend ~0.2–0.4 s on first use, much of it in C holding the GIL: done at start, that
    # stall is not felt by the event loop in the middle of a poll (measured in bench_poll).
    dates.warm_up()
    pipeline.warm_up()
