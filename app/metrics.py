"""Prometheus metrics of one App, on a registry of its own (tests run several Apps in one process).

Lower layers never import prometheus: the ingest step, the sender, search and the webhook report
through plain callbacks or are wrapped here, at the app layer. docs/operations.md says what each
metric means and what to alert on.
"""

from __future__ import annotations

import re
import time
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InlineKeyboardMarkup
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from app.ingest import IngestReport
from bot.sender import ChatBlocked, Sender

PREFIX = "coopnews"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_SCOPE = re.compile(r"^(?P<scope>list|article) \S+: (?P<error>.*)$", re.S)
# the fetcher's and the poller's error texts (scrapers/fetcher.py, scrapers/poller.py) by kind
_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^timeout"), "timeout"),
    (re.compile(r"^network error"), "network"),
    (re.compile(r"^HTTP 429"), "http_429"),
    (re.compile(r"^HTTP 4\d\d"), "http_4xx"),
    (re.compile(r"^HTTP 5\d\d"), "http_5xx"),
    (re.compile(r"^HTTP \d+"), "http_other"),
    (re.compile(r"^blocked by robots"), "robots"),
    (re.compile(r"^(not a text document|binary content)"), "not_html"),
    (re.compile(r"^(too many redirects|redirect loop)"), "redirects"),
    (re.compile(r"^truncated at"), "too_large"),
    (re.compile(r"^no (article text|usable title)"), "no_text"),
]


def error_kind(error: str) -> tuple[str, str]:
    """("list" | "article" | "other", kind) of one error line of an IngestReport."""
    scoped = _SCOPE.match(error.strip())
    scope, text = (scoped["scope"], scoped["error"]) if scoped else ("other", error.strip())
    kind = next((name for pattern, name in _KINDS if pattern.match(text)), "crash")
    return scope, kind


class Metrics:
    """Every counter, gauge and histogram the process exposes on /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.articles_fetched = Counter(f"{PREFIX}_articles_fetched", "Articles fetched from a source's list",
                                        ["source"], registry=r)
        self.articles_new = Counter(f"{PREFIX}_articles_new", "New articles stored", ["source"], registry=r)
        self.articles_duplicate = Counter(f"{PREFIX}_articles_duplicate", "Fetched articles that were duplicates",
                                          ["source"], registry=r)
        self.polls = Counter(f"{PREFIX}_polls", "Source polls by outcome (ok, failed)", ["outcome"], registry=r)
        self.fetch_errors = Counter(f"{PREFIX}_fetch_errors", "Errors met while polling, by scope and kind",
                                    ["scope", "kind"], registry=r)
        self.poll_seconds = Histogram(f"{PREFIX}_poll_duration_seconds", "One source's poll, fetch to match",
                                      buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300), registry=r)
        self.matching_seconds = Histogram(f"{PREFIX}_matching_seconds", "Matching one article to subscriptions",
                                          buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
                                          registry=r)
        self.deliveries = Counter(f"{PREFIX}_deliveries", "Messages to subscribers by outcome "
                                  "(sent, failed, blocked, retry)", ["outcome"], registry=r)
        self.send_seconds = Histogram(f"{PREFIX}_send_duration_seconds",
                                      "One message to a subscriber, rate-limit waits included",
                                      buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=r)
        self.telegram_seconds = Histogram(f"{PREFIX}_telegram_request_seconds", "One Bot API request",
                                          ["method"], buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
                                          registry=r)
        self.telegram_429 = Counter(f"{PREFIX}_telegram_429", "Bot API answers 429 Too Many Requests", registry=r)
        self.search_seconds = Histogram(f"{PREFIX}_search_seconds", "One full-text search query",
                                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5), registry=r)
        self.webhook_requests = Counter(f"{PREFIX}_webhook_requests", "Webhook requests by result "
                                        "(accepted, rejected, malformed)", ["result"], registry=r)
        self.pending = Gauge(f"{PREFIX}_deliveries_pending", "Deliveries due and not yet sent", registry=r)
        self.oldest_pending = Gauge(f"{PREFIX}_delivery_oldest_pending_seconds",
                                    "How long the oldest due delivery has waited", registry=r)
        self.sources_down = Gauge(f"{PREFIX}_sources_down", "Sources marked down", registry=r)
        self.database_up = Gauge(f"{PREFIX}_database_up", "1 when the last health check reached the database",
                                 registry=r)
        self.database_seconds = Gauge(f"{PREFIX}_database_check_seconds", "Latency of the last database check",
                                      registry=r)
        # every outcome shown from the start at 0, so rate() and "increase() > 0" alerts work from the first sample
        for outcome in ("sent", "failed", "blocked", "retry"):
            self.deliveries.labels(outcome)
        for outcome in ("ok", "failed"):
            self.polls.labels(outcome)
        for result in ("accepted", "rejected", "malformed"):
            self.webhook_requests.labels(result)

    # --- hooks the layers below call --------------------------------------------------------
    def polled(self, report: IngestReport, seconds: float) -> None:
        self.poll_seconds.observe(seconds)
        self.polls.labels("failed" if report.failed else "ok").inc()
        self.articles_fetched.labels(report.source_id).inc(report.fetched)
        self.articles_new.labels(report.source_id).inc(len(report.stored))
        self.articles_duplicate.labels(report.source_id).inc(report.duplicates)
        for error in report.errors:
            self.fetch_errors.labels(*error_kind(error)).inc()

    def matched(self, seconds: float) -> None:
        self.matching_seconds.observe(seconds)

    def searched(self, seconds: float) -> None:
        self.search_seconds.observe(seconds)

    def webhook(self, result: str) -> None:
        self.webhook_requests.labels(result).inc()

    def delivered(self, outcome: str, seconds: float | None = None) -> None:
        self.deliveries.labels(outcome).inc()
        if seconds is not None:
            self.send_seconds.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class TelegramMetrics(BaseRequestMiddleware):
    """On the bot's session inside the throttle: sees every attempt, so every 429 and each request's latency."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        started = time.perf_counter()
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.telegram_429.inc()
            raise
        finally:
            name = type(method).__name__
            self.metrics.telegram_seconds.labels(name[:1].lower() + name[1:]).observe(time.perf_counter() - started)


class MeteredSender(Sender):
    """The sender, counting each message to a subscriber by outcome and timing it (throttle waits included)."""

    def __init__(self, bot: Bot, db: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(bot, db, **kwargs)
        self.metrics = metrics

    async def send_to_subscriber(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        thread_id: int | None = None,
    ) -> int:
        started = time.perf_counter()
        try:
            sent_to = await super().send_to_subscriber(user_id, chat_id, text, markup, thread_id=thread_id)
        except ChatBlocked:
            self.metrics.delivered("blocked")
            raise
        except TelegramBadRequest:
            self.metrics.delivered("failed")
            raise
        except Exception:  # network trouble: the sender postpones the row and tries again later
            self.metrics.delivered("retry")
            raise
        self.metrics.delivered("sent", time.perf_counter() - started)
        return sent_to
