"""The composition root: database, bot, dispatcher, sender, scrapers and scheduler in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher

from app.bot_config import bot_config
from app.digests import DigestService
from app.ingest import Ingestor, IngestReport
from app.scheduler import PollScheduler
from app.scrape_command import load_configured_sources, sync_sources
from app.settings import Settings
from bot.factory import build_bot, build_dispatcher
from bot.sender import Sender
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.sources import SourceConfig
from storage import Database, locks

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything `coopnews run` and the demo start and stop together."""

    settings: Settings
    sources: list[SourceConfig]
    fetch_policy: FetchPolicy = field(default_factory=FetchPolicy)
    poll_bot: bool = True

    def __post_init__(self) -> None:
        self.db = Database(self.settings.database_url)
        self.bot: Bot = build_bot(bot_config(self.settings))
        self.sender = Sender(self.bot, self.db)
        self.digests = DigestService(self.db, self.sender, self.settings.digest_grace_hours)
        self.fetcher = Fetcher(self.fetch_policy)
        self.ingestor = Ingestor(self.db, self.settings, self.fetcher, on_deliveries=self.sender.wake)
        self.scheduler = PollScheduler(self.ingestor.poll, self.settings.min_poll_interval)
        self.dp: Dispatcher = build_dispatcher(
            self.db, bot_config(self.settings), scrape_now=self.scrape_now, digest_now=self.digests.send_now
        )
        self.owner = f"pid {os.getpid()} on {socket.gethostname()}"
        self._stop = asyncio.Event()
        self._prepared = False
        self._tasks: list[asyncio.Task[object]] = []

    async def scrape_now(self) -> str:
        """Admin `/scrape`: poll every source now and say what came of it."""
        reports: list[IngestReport] = await asyncio.gather(*(self.ingestor.poll(s) for s in self.sources))
        new = sum(len(r.stored) for r in reports)
        failed = [r.source_id for r in reports if r.failed]
        return f"{len(reports)} sources, {new} new" + (f", failed: {', '.join(failed)}" if failed else "")

    async def prepare(self) -> None:
        """Schema, the single-instance lock, sources, HTTP session and in-memory indexes; no jobs yet."""
        if self._prepared:
            return
        await self.db.upgrade()
        await locks.acquire(self.db, self.owner)
        self._prepared = True
        await sync_sources(self.db, self.sources)
        await self.fetcher.__aenter__()
        await self.ingestor.load_stories()
        await self.ingestor.load_validators(self.sources)
        await self.ingestor.warm_up()

    async def start(self) -> None:
        await self.prepare()
        self.scheduler.add_sources(self.sources)
        self.scheduler.add_periodic("digests", self.digests.run_due, every_minute=True)
        self.scheduler.add_periodic("heartbeat", lambda: locks.heartbeat(self.db, self.owner), seconds=30)
        self.scheduler.start()
        self._tasks.append(asyncio.create_task(self.sender.run(self._stop), name="sender"))
        # a digest missed while we were down goes out now if still within the grace window
        self._tasks.append(asyncio.create_task(self.digests.run_due(), name="catch-up digests"))
        if self.poll_bot:
            self._tasks.append(
                asyncio.create_task(
                    self.dp.start_polling(self.bot, handle_signals=False, close_bot_session=False), name="polling"
                )
            )
        log.info("coopnews is running: %s sources, sender and scheduler started", len(self.sources))

    def request_stop(self) -> None:
        self._stop.set()

    async def wait(self) -> None:
        await self._stop.wait()

    async def stop(self) -> None:
        """Stop taking work, let in-flight sends finish, then close everything."""
        self._stop.set()
        await self.scheduler.shutdown()
        if self.poll_bot:
            with contextlib.suppress(RuntimeError):  # polling had not started
                await self.dp.stop_polling()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)
        await self.fetcher.__aexit__(None, None, None)
        if self._prepared:
            await locks.release(self.db, self.owner)
        await self.bot.session.close()
        await self.db.dispose()


async def run_forever(settings: Settings) -> int:
    sources = load_configured_sources(settings)
    app = App(settings, sources)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, app.request_stop)
    try:
        await app.start()
    except locks.AlreadyRunning as exc:
        print(f"coopnews run: {exc}", flush=True)
        await app.bot.session.close()
        await app.db.dispose()
        return 1
    await app.wait()
    log.info("stopping: finishing in-flight messages")
    await app.stop()
    return 0
