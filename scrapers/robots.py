"""robots.txt rules per host, fetched once and cached for a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

# Fetches robots.txt: returns (status, text); status 0 means unreachable.
RobotsDownloader = Callable[[str], Awaitable[tuple[int, str]]]


class RobotsCache:
    """Answers "may this URL be fetched?"; missing, broken or unreachable robots.txt allows everything."""

    def __init__(self, download: RobotsDownloader, user_agent: str, ttl: float) -> None:
        self._download = download
        self._user_agent = user_agent
        self._ttl = ttl
        self._rules: dict[str, tuple[float, Protego | None]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """True when robots.txt of the URL's host does not disallow it for our User-Agent."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = await self._rules_for(origin)
        return True if rules is None else rules.can_fetch(url, self._user_agent)

    async def _rules_for(self, origin: str) -> Protego | None:
        cached = self._rules.get(origin)
        if cached and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        # One download per host even when many fetches for that host start together.
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._rules.get(origin)
            if cached and time.monotonic() - cached[0] < self._ttl:
                return cached[1]
            status, text = await self._download(origin + "/robots.txt")
            rules = Protego.parse(text) if 200 <= status < 300 else None
            self._rules[origin] = (time.monotonic(), rules)
            return rules
