"""Polite, bounded, retrying HTTP fetcher over one shared aiohttp session; never raises for the network."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin

import aiohttp

from scrapers.charset import decode_body, looks_binary
from scrapers.render import DEFAULT_CHROMIUM, Renderer
from scrapers.retry import RETRYABLE_STATUSES, backoff_delay, retry_after_seconds
from scrapers.robots import RobotsCache
from scrapers.urls import host_of

# No public project page exists yet; an operator can put a contact address in FetchPolicy.user_agent.
USER_AGENT = "CoopnewsBot/0.1 (cooperation-news alerts for regional officials; polite, robots.txt-aware)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
Validators = dict[str, tuple[str | None, str | None]]


@dataclass
class FetchPolicy:
    """Every knob of politeness and patience; tests shrink the delays."""

    connect_timeout: float = 10.0
    # The whole fetch of one URL, retries and their waits included, ends within this: a host that
    # accepts the connection and never answers costs one deadline, not (retries + 1) of them.
    total_timeout: float = 30.0
    # After a host timed out, its other requests fail at once for this long instead of each
    # waiting out its own deadline (a poll's queued article pages would otherwise add up).
    stall_cooldown: float = 120.0
    max_concurrency: int = 16
    per_host_concurrency: int = 2
    min_host_delay: float = 1.0
    retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    retry_after_cap: float = 300.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    robots_ttl: float = 6 * 3600.0
    robots_timeout: float = 10.0
    respect_robots: bool = True
    user_agent: str = USER_AGENT
    chromium: str = DEFAULT_CHROMIUM  # for sources with render = true (scrapers/render.py)


@dataclass
class FetchResult:
    """What came back for one URL; `error` is set when there is no usable page."""

    url: str
    final_url: str
    status: int = 0
    text: str = ""
    content_type: str = ""
    error: str | None = None
    not_modified: bool = False
    truncated: bool = False
    elapsed: float = 0.0
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """A page (or a 304) arrived."""
        return self.error is None


class _Retryable(Exception):
    """A failure worth another attempt, with the server's requested wait if it gave one."""

    def __init__(self, reason: str, wait: float | None = None, *, final: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.final = final  # no further attempt (a timeout: the deadline is spent)


class _Budget:
    """The deadline of one fetch: starts with its first request, covers retries and backoff."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadline: float | None = None

    def start(self) -> None:
        if self._deadline is None:
            self._deadline = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.seconds if self._deadline is None else self._deadline - time.monotonic()


class _HostGate:
    """Per-host concurrency limit plus a minimum spacing between request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(concurrency)
        self._delay = delay
        self._next_start = 0.0

    async def wait_turn(self) -> None:
        now = time.monotonic()
        start = max(now, self._next_start)
        self._next_start = start + self._delay
        if start > now:
            await asyncio.sleep(start - now)


class Fetcher:
    """Owns the aiohttp session; use as `async with Fetcher(policy) as fetcher`."""

    def __init__(self, policy: FetchPolicy | None = None, validators: Validators | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._validators: Validators = dict(validators or {})  # url -> (ETag, Last-Modified)
        self._session: aiohttp.ClientSession | None = None
        self._global = asyncio.Semaphore(self.policy.max_concurrency)
        self._gates: dict[str, _HostGate] = {}
        self._stalled: dict[str, float] = {}  # host -> monotonic time its cool-down ends
        self._renderer: Renderer | None = None
        self._robots = RobotsCache(self._download_robots, self.policy.user_agent, self.policy.robots_ttl)

    async def __aenter__(self) -> Fetcher:
        timeout = aiohttp.ClientTimeout(total=self.policy.total_timeout, connect=self.policy.connect_timeout)
        connector = aiohttp.TCPConnector(limit=self.policy.max_concurrency, ttl_dns_cache=300)
        self._session = aiohttp.ClientSession(
            timeout=timeout, connector=connector, headers={"User-Agent": self.policy.user_agent}
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("Fetcher is not open: use `async with Fetcher(...)`")
        return self._session

    def _gate(self, url: str) -> _HostGate:
        host = host_of(url)
        if host not in self._gates:
            self._gates[host] = _HostGate(self.policy.per_host_concurrency, self.policy.min_host_delay)
        return self._gates[host]

    async def fetch(self, url: str, *, conditional: bool = True) -> FetchResult:
        """GET a URL with robots, politeness, retries and a size cap; problems land in `error`."""
        started = time.monotonic()
        result = await self._fetch_with_retries(url, conditional, _Budget(self.policy.total_timeout))
        result.elapsed = time.monotonic() - started
        return result

    async def render(self, url: str) -> FetchResult:
        """The page after its scripts ran (headless Chromium), with the same robots rules and cool-down."""
        started = time.monotonic()
        result = FetchResult(url, url)
        if (stalled := self._stall_error(url)) or (
            self.policy.respect_robots and not await self._robots.allowed(url)
        ):
            result.error = stalled or "blocked by robots.txt"
        else:
            if self._renderer is None:
                self._renderer = Renderer(self.policy.chromium, self.policy.total_timeout, self.policy.max_bytes,
                                          self.policy.user_agent)
            rendered = await self._renderer.render(url)
            result.status = 0 if rendered.error else 200
            result.error, result.text, result.truncated = rendered.error, rendered.html, rendered.truncated
            result.content, result.content_type = rendered.html.encode(), "text/html; charset=utf-8"
        result.elapsed = time.monotonic() - started
        return result

    def _stall_error(self, url: str) -> str | None:
        """Why a request to this URL's host is not sent now, if the host timed out a moment ago."""
        until = self._stalled.get(host_of(url))
        if until is None or time.monotonic() >= until:
            return None
        return "timeout (the host did not answer a moment ago; not asked again yet)"

    def _mark_stalled(self, url: str) -> None:
        self._stalled[host_of(url)] = time.monotonic() + self.policy.stall_cooldown

    async def _fetch_with_retries(self, url: str, conditional: bool, budget: _Budget) -> FetchResult:
        if stalled := self._stall_error(url):
            return FetchResult(url, url, error=stalled)
        if self.policy.respect_robots and not await self._robots.allowed(url):
            return FetchResult(url, url, error="blocked by robots.txt")
        if stalled := self._stall_error(url):  # robots.txt itself timed out
            return FetchResult(url, url, error=stalled)
        attempts = max(1, self.policy.retries + 1)
        reason = ""
        for attempt in range(attempts):
            try:
                return await self._attempt(url, conditional, budget)
            except _Retryable as failure:
                reason = failure.reason
                if failure.final:  # a timeout: the deadline is spent, the error says so by itself
                    return FetchResult(url, url, error=reason)
                if attempt + 1 == attempts:
                    break
                delay = backoff_delay(attempt, self.policy.backoff_base, self.policy.backoff_max, random.random())
                if failure.wait is not None:
                    delay = max(delay, min(failure.wait, self.policy.retry_after_cap))
                if delay >= budget.remaining():
                    return FetchResult(url, url, error=f"{reason} (gave up after {attempt + 1} attempts: "
                                       f"the next one would pass the {self.policy.total_timeout:g} s deadline)")
                await asyncio.sleep(delay)
        return FetchResult(url, url, error=f"{reason} (gave up after {attempts} attempts)")

    async def _attempt(self, url: str, conditional: bool, budget: _Budget) -> FetchResult:
        current = url
        seen = {url}
        for _ in range(self.policy.max_redirects + 1):
            result, location = await self._request_once(url, current, conditional, budget)
            if location is None:
                return result
            target = urljoin(current, location)
            if target in seen:
                return FetchResult(url, target, status=result.status, error=f"redirect loop at {target}")
            seen.add(target)
            if self.policy.respect_robots and not await self._robots.allowed(target):
                return FetchResult(url, target, error="blocked by robots.txt")
            current = target
        return FetchResult(url, current, error=f"too many redirects (more than {self.policy.max_redirects})")

    async def _request_once(
        self, url: str, current: str, conditional: bool, budget: _Budget
    ) -> tuple[FetchResult, str | None]:
        """One HTTP exchange; returns the result, or the Location to follow."""
        headers: dict[str, str] = {}
        etag, modified = self._validators.get(current, (None, None)) if conditional else (None, None)
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        gate = self._gate(current)
        async with gate.semaphore:
            if stalled := self._stall_error(current):  # before taking a politeness slot it would not use
                raise _Retryable(stalled, final=True)
            await gate.wait_turn()
            async with self._global:
                if stalled := self._stall_error(current):  # timed out while this one queued
                    raise _Retryable(stalled, final=True)
                budget.start()  # queueing for the host is politeness, not the site's slowness
                remaining = budget.remaining()
                if remaining <= 0:
                    raise _Retryable("timeout", final=True)
                timeout = aiohttp.ClientTimeout(total=remaining, connect=min(self.policy.connect_timeout, remaining))
                try:
                    return await self._exchange(url, current, headers, timeout)
                except TimeoutError as exc:
                    self._mark_stalled(current)
                    raise _Retryable("timeout", final=True) from exc
                except aiohttp.ClientError as exc:
                    raise _Retryable(f"network error: {type(exc).__name__}: {exc}") from exc

    async def _exchange(
        self, url: str, current: str, headers: dict[str, str], limits: aiohttp.ClientTimeout
    ) -> tuple[FetchResult, str | None]:
        async with self.session.get(current, headers=headers, allow_redirects=False, timeout=limits) as response:
            status = response.status
            if status in REDIRECT_STATUSES and "Location" in response.headers:
                return FetchResult(url, current, status=status), response.headers["Location"]
            if status == 304:
                return FetchResult(url, current, status=304, not_modified=True), None
            if status in RETRYABLE_STATUSES:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                raise _Retryable(f"HTTP {status}", wait)
            content_type = response.headers.get("Content-Type", "")
            result = FetchResult(url, str(response.url), status=status, content_type=content_type)
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            if status >= 400:
                result.error = f"HTTP {status}"
                return result, None
            data, result.truncated = await self._read_capped(response)
            self._remember_validators(current, response)
            self._decode(result, data, response.charset)
            return result, None

    async def _read_capped(self, response: aiohttp.ClientResponse) -> tuple[bytes, bool]:
        """Read at most max_bytes; the rest of an oversized body is never downloaded."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size >= self.policy.max_bytes:
                response.close()  # drop the connection instead of draining the remainder
                return b"".join(chunks)[: self.policy.max_bytes], True
        return b"".join(chunks), False

    def _remember_validators(self, url: str, response: aiohttp.ClientResponse) -> None:
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if etag or modified:
            self._validators[url] = (etag, modified)

    # -- conditional GET state: what the caller persists between runs ------------------------------
    def seed_validators(self, known: Validators) -> None:
        """Remember validators saved by an earlier run, so the first poll can already get a 304."""
        self._validators.update(known)

    def validator_of(self, url: str) -> tuple[str | None, str | None] | None:
        """(ETag, Last-Modified) last seen for the URL, or None."""
        return self._validators.get(url)

    def forget_validator(self, url: str) -> None:
        """The next fetch of the URL is unconditional (what it returned last time was not all kept)."""
        self._validators.pop(url, None)

    def validators(self) -> Validators:
        """A copy of every validator held."""
        return dict(self._validators)

    @staticmethod
    def _decode(result: FetchResult, data: bytes, header_charset: str | None) -> None:
        result.content = data
        kind = result.content_type.split(";")[0].strip().lower()
        if kind.startswith(("image/", "audio/", "video/")) or kind in ("application/octet-stream", "application/pdf"):
            result.error = f"not a text document ({kind})"
            return
        if looks_binary(data):
            result.error = "binary content"
            return
        result.text, _ = decode_body(data, header_charset)

    async def _download_robots(self, robots_url: str) -> tuple[int, str]:
        """robots.txt with a short timeout and no retries; any failure counts as unreachable."""
        timeout = aiohttp.ClientTimeout(total=min(self.policy.robots_timeout, self.policy.total_timeout))
        try:
            async with self._global, self.session.get(robots_url, timeout=timeout) as response:
                if response.status != 200:
                    return response.status, ""
                data = await response.content.read(512 * 1024)
                return 200, data.decode(response.charset or "utf-8", errors="replace")
        except TimeoutError:
            self._mark_stalled(robots_url)  # the pages of a host that leaves robots.txt unanswered fail fast
            return 0, ""
        except aiohttp.ClientError:
            return 0, ""
