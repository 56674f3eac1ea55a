"""Fixtures for scraper tests: a local SiteServer and a fetcher with test-sized delays."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.site_server import SiteServer
from scrapers.fetcher import Fetcher, FetchPolicy


def fast_policy(**overrides: float | int | bool) -> FetchPolicy:
    """Real behaviour, millisecond delays: backoff, politeness and timeouts shrunk for tests."""
    values: dict[str, float | int | bool] = {
        "connect_timeout": 2.0,
        "total_timeout": 3.0,
        "min_host_delay": 0.0,
        "per_host_concurrency": 8,
        "retries": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "retry_after_cap": 2.0,
    }
    values.update(overrides)
    return FetchPolicy(**values)  # type: ignore[arg-type]


@pytest.fixture
async def server() -> AsyncIterator[SiteServer]:
    async with SiteServer() as site:
        yield site


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(fast_policy()) as client:
        yield client
