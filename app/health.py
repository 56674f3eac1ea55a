"""`/healthz` and `/metrics` on METRICS_LISTEN: is this process well, and what has it been doing.

/healthz answers 200 with {"status": "ok"} or 503 with {"status": "fail"} and the same fields; it fails
when the database cannot be reached, when the scheduler is dead (no heartbeat job ran for
SCHEDULER_DEAD_AFTER seconds) or when a due delivery has waited longer than BACKLOG_FAIL_AFTER.
Sources that are down are listed but do not fail it: a broken site is not a broken process.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from aiohttp import web
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import STATE_RUNNING

from app.metrics import CONTENT_TYPE, Metrics
from app.scheduler import PollScheduler
from app.settings import split_listen
from bot.i18n import N_
from storage import Database
from storage.health import Backlog, check_database, outbox_backlog, sources_down

log = logging.getLogger(__name__)
HEARTBEAT_JOB = "heartbeat"  # App's 30-second job (app/runner.py)
SCHEDULER_DEAD_AFTER = 90.0  # three missed heartbeats, the same as the instance lock's lease
# A due alert this late means the sender is stuck or far behind (10,000 instant alerts at 25/s take
# under 7 minutes); quiet hours and digests are not "due", so they never count here.
BACKLOG_FAIL_AFTER = 900.0
DB_TIMEOUT = 3.0


class HealthCheck:
    """The state /healthz reports; `scheduler` None or `sends` False when this process does not run them."""

    def __init__(self, db: Database, *, scheduler: PollScheduler | None, sends: bool,
                 metrics: Metrics | None = None) -> None:
        self.db, self.scheduler, self.sends, self.metrics = db, scheduler, sends, metrics
        self._last_heartbeat = time.monotonic()  # counted from the start until the first one runs
        if scheduler is not None:
            scheduler.scheduler.add_listener(self._job_ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _job_ran(self, event: JobExecutionEvent) -> None:
        if event.job_id == HEARTBEAT_JOB:  # an error counts too: the scheduler ran it, the database failed it
            self._last_heartbeat = time.monotonic()

    def _scheduler_state(self) -> dict[str, Any] | None:
        if self.scheduler is None:
            return None
        age = time.monotonic() - self._last_heartbeat
        running = bool(self.scheduler.scheduler.running) and self.scheduler.scheduler.state == STATE_RUNNING
        return {"alive": running and age < SCHEDULER_DEAD_AFTER, "running": running,
                "last_heartbeat_age_s": round(age, 1), "dead_after_s": SCHEDULER_DEAD_AFTER}

    async def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body) of /healthz; also refreshes the gauges /metrics shows."""
        database = await check_database(self.db, DB_TIMEOUT)
        failed: list[str] = []
        body: dict[str, Any] = {
            "status": "ok",
            "database": {"reachable": database.reachable, "latency_s": round(database.latency_s, 4),
                         "error": database.error},
        }
        if not database.reachable:
            failed.append("database")
        scheduler = self._scheduler_state()
        if scheduler is not None:
            body["scheduler"] = scheduler
            if not scheduler["alive"]:
                failed.append("scheduler")
        backlog: Backlog | None = None
        down: list[str] | None = None
        if database.reachable:
            try:
                backlog, down = await outbox_backlog(self.db), await sources_down(self.db)
            except Exception as exc:  # the database went away between the two checks
                log.warning(N_("health check could not read the outbox: %s: %s"), type(exc).__name__, exc)
        age = backlog.oldest_pending_age_s if backlog else None
        body["sender"] = {"running": self.sends, "backlog": backlog.pending if backlog else None,
                          "oldest_pending_age_s": round(age, 1) if age is not None else None,
                          "fail_after_s": BACKLOG_FAIL_AFTER}
        if self.sends and age is not None and age > BACKLOG_FAIL_AFTER:
            failed.append("sender")
        body["sources_down"] = down
        body["failed"] = failed
        body["status"] = "fail" if failed else "ok"
        self._refresh_gauges(database.reachable, database.latency_s, backlog, down)
        return (503 if failed else 200), body

    def _refresh_gauges(self, up: bool, latency: float, backlog: Backlog | None, down: list[str] | None) -> None:
        if self.metrics is None:
            return
        self.metrics.database_up.set(1 if up else 0)
        self.metrics.database_seconds.set(latency)
        if backlog is not None:
            self.metrics.pending.set(backlog.pending)
            self.metrics.oldest_pending.set(backlog.oldest_pending_age_s or 0.0)
        if down is not None:
            self.metrics.sources_down.set(len(down))


class OpsServer:
    """The HTTP port of /healthz and /metrics; meant for the operator's network, not the internet."""

    def __init__(self, listen: str, health: HealthCheck, metrics: Metrics) -> None:
        self.host, self.port = split_listen(listen)
        self.health, self.metrics = health, metrics
        self._runner: web.AppRunner | None = None
        self.bound: tuple[str, int] | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(getattr(site, "_server", None), "sockets", None) or []
        self.bound = sockets[0].getsockname()[:2] if sockets else (self.host, self.port)
        log.info(N_("health and metrics on http://%s:%s/healthz and /metrics"), *self.bound)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        status, body = await self.health.report()
        return web.json_response(body, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False))

    async def _metrics(self, _request: web.Request) -> web.Response:
        await self.health.report()  # the gauges (backlog, sources down, database) as of now
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE})
