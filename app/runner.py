"""The composition root: database, bot, dispatcher, sender, scrapers and scheduler, all or one role a process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramUnauthorizedError

from app.bot_config import bot_config
from app.config_errors import ConfigError
from app.digests import DigestService
from app.health import HealthCheck, OpsServer
from app.ingest import Ingestor, IngestReport
from app.leased_polls import LeasedPolls
from app.metrics import MeteredSender, Metrics, TelegramMetrics
from app.roles import Role, runs_bot, runs_scraper, runs_sender
from app.scheduler import PollScheduler
from app.scrape_command import load_configured_sources
from app.settings import Settings
from app.source_registry import active_sources, rendered_ids, seed_and_load
from app.surges import SurgeService
from app.webhook import WebhookServer
from app.weekly import WeeklySummaryService
from bot.factory import build_bot, build_dispatcher
from bot.i18n import N_, t
from bot.scrape_summary import ScrapeSummary
from bot.token_watch import TokenWatch
from scrapers.discover import Discoverer, Discovery
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.sources import SourceConfig
from storage import Database, locks
from storage.rate_slots import DatabaseRateSlots, RedisRateSlots

log = logging.getLogger(__name__)

# Ctrl+C must end the process within 10 s: polls in flight get a few seconds, then are cancelled
# (each article is stored in its own transaction, so a cancelled poll leaves nothing half-written),
# and in-flight sends get a few more.
JOB_GRACE_SECONDS = 3.0
TASK_GRACE_SECONDS = 3.0
TOKEN_CHECK_SECONDS = 20.0
SURGE_CHECK_SECONDS = 3600  # a surge is a day's story: hourly is soon enough, and each run reads 29 days
SOURCES_CHECK_SECONDS = 60
EXIT_FATAL = 1
# tasks the process cannot live without: when one ends on its own, the process stops
ESSENTIAL_TASKS = frozenset({"sender", "polling"})


class TokenRejected(ConfigError):
    """Telegram answered 401 to our token."""


class RoleNeedsPostgres(ConfigError):
    """A single role was asked for on SQLite."""


@dataclass
class App:
    """Everything `coopnews run` and the demo start and stop together."""

    settings: Settings
    sources: list[SourceConfig]
    fetch_policy: FetchPolicy = field(default_factory=FetchPolicy)
    poll_bot: bool = True
    role: Role = "all"

    def __post_init__(self) -> None:
        self.db = Database(self.settings.database_url)
        self.owner = locks.owner_name(os.getpid(), socket.gethostname())
        self.shared_rate = _shared_rate(self.settings, self.db)
        self.bot: Bot = build_bot(bot_config(self.settings), self.shared_rate)
        self.metrics = Metrics()  # a registry of this App's own (app/metrics.py)
        self.sender = MeteredSender(self.bot, self.db, self.metrics, holder=self.owner)
        self.digests = DigestService(self.db, self.sender, self.settings.digest_grace_hours)
        self.weekly = WeeklySummaryService(self.db, self.sender, self.settings.digest_grace_hours)
        # surge days are counted in the operator's zone: one calendar for every partner's history
        self.surges = SurgeService(self.db, self.settings.default_timezone, wake=self.sender.wake)
        self.fetcher = Fetcher(self.fetch_policy)
        self.ingestor = Ingestor(self.db, self.settings, self.fetcher, on_deliveries=self.sender.wake)
        self.ingestor.on_polled, self.ingestor.on_matched = self.metrics.polled, self.metrics.matched
        self.db.on_search = self.metrics.searched
        # several scrapers on one PostgreSQL poll each source in turn, never two at once
        self.leases: LeasedPolls | None = None
        poll = self.ingestor.poll
        if self.db.shared:
            self.leases = LeasedPolls(self.db, self.owner, self.ingestor.poll, self._interval_of)
            poll = self.leases.poll
        self.poll = poll
        self.scheduler = PollScheduler(poll, self.settings.min_poll_interval)
        self.webhook: WebhookServer | None = None  # WEBHOOK_URL set: updates come in here, not by polling
        self.ops: OpsServer | None = None  # METRICS_LISTEN set: /healthz and /metrics
        self.dp: Dispatcher = build_dispatcher(
            self.db, bot_config(self.settings), scrape_now=self.scrape_now, digest_now=self.digests.send_now,
            extra={"discover": self.discover_source, "sources_changed": self.sources_changed},
            fsm_storage=_fsm_storage(self.settings),
        )
        self.lock: str | None = None  # the instance lock this process holds, if any
        self.token_watch = TokenWatch(self._token_rejected)
        self.fatal: str | None = None  # why the process stopped on its own, worded for the operator
        self._stop = asyncio.Event()
        self._prepared = False
        self._rendered: frozenset[str] = frozenset()  # file sources with render = true
        self._tasks: list[asyncio.Task[object]] = []

    async def scrape_now(self) -> ScrapeSummary:
        """Admin `/scrape`: poll every source now and say what came of it."""
        reports: list[IngestReport] = await asyncio.gather(*(self.poll(s) for s in self.sources))
        new = sum(len(r.stored) for r in reports)
        return ScrapeSummary(len(reports), new, [r.source_id for r in reports if r.failed])

    async def discover_source(self, url: str) -> Discovery:
        """Admin `/addsource URL`: what the URL is as a source, through the process's own fetcher."""
        return await Discoverer(self.fetcher).discover(url)

    async def sources_changed(self) -> None:
        """An admin added, paused, resumed or removed a source: poll what the database now says."""
        self.sources = await active_sources(self.db, self._rendered)
        if self.scheduler.scheduler.running:
            self.scheduler.sync_sources(self.sources)

    def _interval_of(self, source: SourceConfig) -> int:
        return self.scheduler.interval_of(source.id) or self.scheduler.base_interval(source)

    def lock_name(self) -> str | None:
        """SQLite: the single-instance lock. PostgreSQL: only the long-polling bot locks (one getUpdates per token)."""
        if not self.db.shared:
            return locks.LOCK_NAME
        # webhook bots share the updates Telegram posts through the proxy: no lock among them
        long_polling = self.poll_bot and runs_bot(self.role) and not self.settings.webhook_mode
        return locks.POLLING_LOCK if long_polling else None

    def _check_role(self) -> None:
        if self.role != "all" and not self.db.shared:
            # SQLite admits one writer at a time and has no row locks to claim work with: split roles
            # would only queue on its write lock, and the outbox and polls assume one process. So the
            # single-instance lock stays, and with it the one role that does everything.
            raise RoleNeedsPostgres(t("--role {role} needs PostgreSQL (DATABASE_URL=postgresql://…); on SQLite "
                                      "run one process with --role all", self._lang(), role=self.role))

    async def prepare(self) -> None:
        """Schema, the instance lock, sources, HTTP session and in-memory indexes; no jobs yet."""
        if self._prepared:
            return
        self._check_role()
        await self.db.upgrade()
        if (name := self.lock_name()) is not None:
            await locks.acquire(self.db, self.owner, name)
            self.lock = name
        self._prepared = True
        if not (runs_bot(self.role) or runs_scraper(self.role)):
            return  # a sender needs no sources, fetcher or story index
        self._rendered = rendered_ids(self.sources)  # render = true lives in the file, not in a column
        self.sources = await seed_and_load(self.db, self.sources)  # the file seeds; the database decides
        await self.fetcher.__aenter__()
        await self.ingestor.load_stories()
        await self.ingestor.load_validators(self.sources)
        await self.ingestor.warm_up()

    async def _heartbeat(self) -> None:
        if self.lock is not None:
            await locks.heartbeat(self.db, self.owner, self.lock)

    def _lang(self) -> str:
        return self.settings.default_language

    def _token_rejected(self) -> None:
        self._fail(_token_message(self._lang()))

    def _fail(self, reason: str) -> None:
        if self.fatal is None and not self._stop.is_set():
            self.fatal = reason
            log.error("%s", reason)
        self._stop.set()

    def _on_task_done(self, task: asyncio.Task[object]) -> None:
        if self._stop.is_set() or task.cancelled():
            return
        error = task.exception()
        if error is None and task.get_name() not in ESSENTIAL_TASKS:
            return
        if isinstance(error, TelegramUnauthorizedError):
            self._token_rejected()
            return
        if error is not None and task.get_name() not in ESSENTIAL_TASKS:
            log.error(N_("task %s failed: %s: %s"), task.get_name(), type(error).__name__, error)
            return
        what = f"{type(error).__name__}: {error}" if error is not None else t("it ended on its own", self._lang())
        self._fail(t("the {task} task stopped ({what}); stopping coopnews", self._lang(), task=task.get_name(),
                     what=what))

    def _spawn(self, coro: Coroutine[Any, Any, object], name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(self._on_task_done)
        self._tasks.append(task)

    async def check_token(self) -> None:
        """Ask Telegram who we are: a rejected token stops the start with one line, before any lock is taken."""
        try:
            await asyncio.wait_for(self.bot.get_me(), TOKEN_CHECK_SECONDS)
        except TelegramUnauthorizedError:
            raise TokenRejected(_token_message(self._lang())) from None
        except (TelegramNetworkError, TimeoutError) as exc:  # polling keeps retrying; say so and go on
            log.warning("%s", t("Telegram is not reachable yet ({problem}); polling will keep trying",
                                self._lang(), problem=type(exc).__name__))

    async def start(self) -> None:
        self._check_role()  # before anything talks to Telegram
        if self.poll_bot:
            await self.check_token()
        self.bot.session.middleware(self.token_watch)  # from now on a 401 anywhere stops the process
        self.bot.session.middleware(TelegramMetrics(self.metrics))  # inside the throttle: sees each 429
        await self.prepare()
        if runs_scraper(self.role):
            self.scheduler.add_sources(self.sources)
            # digests and weekly summaries are claimed per user and period in the database, so two
            # scrapers never send one twice; a surge is unique per key and day, so of two scrapers
            # finding it at once the second's transaction (with its messages) fails and is logged
            self.scheduler.add_periodic("digests", self.digests.run_due, every_minute=True)
            self.scheduler.add_periodic("weekly summaries", self.weekly.run_due, every_minute=True)
            self.scheduler.add_periodic("surges", self.surges.run, seconds=SURGE_CHECK_SECONDS)
        if runs_scraper(self.role) or runs_bot(self.role):
            # the CLI (`coopnews sources pause …`) changes the same rows: a running bot follows within a minute
            self.scheduler.add_periodic("sources", self.sources_changed, seconds=SOURCES_CHECK_SECONDS)
        # every role runs the heartbeat job: it renews the instance lock where one is held, and /healthz
        # reads the scheduler's life from it
        self.scheduler.add_periodic("heartbeat", self._heartbeat, seconds=30)
        self.scheduler.start()
        await self.start_ops(scheduler=self.scheduler, sends=runs_sender(self.role))
        if runs_sender(self.role):
            self._spawn(self.sender.run(self._stop), "sender")
        if runs_scraper(self.role):
            # a digest missed while we were down goes out now if still within the grace window
            self._spawn(self.digests.run_due(), "catch-up digests")
            self._spawn(self.weekly.run_due(), "catch-up weekly summaries")
        if self.poll_bot and runs_bot(self.role) and self.settings.webhook_mode:
            await self.start_webhook()
        elif self.poll_bot and runs_bot(self.role):
            self._spawn(self.dp.start_polling(self.bot, handle_signals=False, close_bot_session=False), "polling")
        if self.role == "all":
            log.info(N_("coopnews is running: %s sources, sender and scheduler started"), len(self.sources))
        else:
            log.info(N_("coopnews is running as %s (%s sources)"), self.role, len(self.sources))

    def request_stop(self) -> None:
        self._stop.set()

    async def wait(self) -> None:
        await self._stop.wait()

    async def stop(self) -> None:
        """Stop taking work, let in-flight sends finish, then close everything."""
        self._stop.set()
        await self.scheduler.shutdown(grace=JOB_GRACE_SECONDS)
        if self.webhook is not None:
            await self.webhook.stop()
        elif self.poll_bot and runs_bot(self.role):
            with contextlib.suppress(RuntimeError):  # polling had not started
                await self.dp.stop_polling()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=TASK_GRACE_SECONDS)
            for task in pending:
                log.warning(N_("task %s did not finish in %s s; cancelling it"), task.get_name(), TASK_GRACE_SECONDS)
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        await self.fetcher.__aexit__(None, None, None)
        if self._prepared and self.leases is not None and runs_scraper(self.role):
            await _quietly(self.leases.release(), "source leases")
        if self.lock is not None:
            await locks.release(self.db, self.owner, self.lock)
        if self.shared_rate is not None:
            await _quietly(self.shared_rate.close(), "shared send rate")
        await self.bot.session.close()
        await self.dp.storage.close()
        if self.ops is not None:
            await self.ops.stop()
        await self.db.dispose()

    # --- webhook, health and metrics (app/webhook.py, app/health.py) --------------------------
    async def start_webhook(self) -> None:
        """Listen on WEBHOOK_LISTEN and setWebhook; a refusal or a busy port is a configuration error."""
        url, secret = self.settings.webhook_url, self.settings.webhook_secret
        assert url is not None and secret is not None  # webhook_mode says both are set
        self.webhook = WebhookServer(self.dp, self.bot, url=url, secret=secret.get_secret_value(),
                                     listen=self.settings.webhook_listen, observe=self.metrics.webhook)
        try:
            await self.webhook.start()
        except OSError as exc:
            raise ConfigError(t("cannot listen on {name}={listen}: {problem}", self._lang(), name="WEBHOOK_LISTEN",
                                listen=self.settings.webhook_listen, problem=exc.strerror or exc)) from None
        except TelegramBadRequest as exc:
            raise ConfigError(t("Telegram refused WEBHOOK_URL {url}: {problem}", self._lang(), url=url,
                                problem=exc.message)) from None

    async def start_ops(self, *, scheduler: PollScheduler | None, sends: bool) -> None:
        """/healthz and /metrics on METRICS_LISTEN, when it is set."""
        if self.settings.metrics_listen is None:
            return
        health = HealthCheck(self.db, scheduler=scheduler, sends=sends, metrics=self.metrics)
        self.ops = OpsServer(self.settings.metrics_listen, health, self.metrics)
        try:
            await self.ops.start()
        except OSError as exc:  # stop() still cleans up what start() set up
            raise ConfigError(t("cannot listen on {name}={listen}: {problem}", self._lang(), name="METRICS_LISTEN",
                                listen=self.settings.metrics_listen, problem=exc.strerror or exc)) from None


async def _quietly(work: Coroutine[Any, Any, object], what: str) -> None:
    """A clean-up step on the way out: its failure is logged, the rest of the stop goes on."""
    try:
        await work
    except Exception as exc:
        log.warning(N_("could not close %s: %s"), what, type(exc).__name__)


def _shared_rate(settings: Settings, db: Database) -> DatabaseRateSlots | RedisRateSlots | None:
    """Telegram's global rate shared by every process on this token: in Redis when REDIS_URL is set,
    else in PostgreSQL; on SQLite (one process) the throttle's own limiter keeps it."""
    if settings.redis_url:
        return RedisRateSlots(settings.redis_url, settings.send_rate_global)
    if db.shared:
        return DatabaseRateSlots(db.engine, settings.send_rate_global)
    return None


def _fsm_storage(settings: Settings) -> Any:
    """aiogram's conversation state in Redis when REDIS_URL is set (several bot processes), else in memory."""
    if not settings.redis_url:
        return None
    from aiogram.fsm.storage.redis import RedisStorage

    return RedisStorage.from_url(settings.redis_url)


def _token_message(lang: str) -> str:
    return t("Telegram rejected BOT_TOKEN (401 Unauthorized): it is wrong or was revoked. "
             "Get the current one from @BotFather and put it in .env", lang)


async def run_forever(settings: Settings, role: Role = "all") -> int:
    """`coopnews run`: start, wait for a signal or a fatal task, stop; the exit code says which."""
    sources = load_configured_sources(settings)
    app = App(settings, sources, role=role)
    lang = settings.default_language
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, app.request_stop)
    try:
        await app.start()
    except locks.AlreadyRunning as exc:
        if app.lock_name() == locks.POLLING_LOCK:
            print("coopnews run: " + t("another bot process ({owner}) already receives this bot's updates; last "
                                       "seen {age} s ago. Run other processes with --role scraper or sender",
                                       lang, owner=exc.holder, age=exc.seen_seconds_ago), flush=True)
        else:
            print("coopnews run: " + t("another coopnews run ({owner}) uses this database; last seen {age} s ago",
                                       lang, owner=exc.holder, age=exc.seen_seconds_ago), flush=True)
        await app.stop()
        return EXIT_FATAL
    except BaseException:
        await app.stop()  # release the lock and close what prepare() opened, then let the CLI explain
        raise
    await app.wait()
    log.info("%s", t("stopping: finishing in-flight messages", lang))
    await app.stop()
    if app.fatal is not None:
        print(f"coopnews run: {app.fatal}", file=sys.stderr, flush=True)
        return EXIT_FATAL
    return 0
