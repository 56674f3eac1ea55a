"""Poll-cycle benchmark: 200 sources on 20 local hosts with 100 ms latency; wall time and event-loop lag.

Run: .venv/bin/python bench/bench_poll.py [--delay 0.25]
Each "host" is a SiteServer on its own 127.0.0.1 port (the fetcher's politeness is per host:port).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox.site_server import SiteServer, sources_for
from scrapers import dates
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.poller import PollResult, poll_source
from scrapers.sources import SourceConfig, load_sources

HOSTS = 20
SOURCES = 200
LATENCY = 0.1


async def lag_ticker(stop: asyncio.Event, samples: list[float], period: float = 0.01) -> None:
    """Sleeps `period` repeatedly and records how late it wakes: the event loop's responsiveness."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + period
        await asyncio.sleep(period)
        samples.append(max(0.0, loop.time() - expected))


def spread_sources(servers: list[SiteServer]) -> list[SourceConfig]:
    """200 sources: each host serves each snapshot site at most once, so every URL is distinct."""
    defaults = load_sources().sources
    chosen: list[SourceConfig] = []
    for round_number in range(len(defaults)):
        for host_number, server in enumerate(servers):
            if len(chosen) == SOURCES:
                return chosen
            template = defaults[(round_number + host_number) % len(defaults)]
            (local,) = sources_for(server, [template])
            chosen.append(local.model_copy(update={"id": f"{template.id}-h{host_number}"}))
    return chosen


async def run(delay: float) -> None:
    servers = [SiteServer(latency=LATENCY) for _ in range(HOSTS)]
    for server in servers:
        await server.start()
    try:
        sources = spread_sources(servers)
        known: set[str] = set()

        async def known_among(urls: list[str]) -> set[str]:
            return known.intersection(urls)

        policy = FetchPolicy(min_host_delay=delay, per_host_concurrency=2, max_concurrency=32, retries=1)
        dates.warm_up()  # as the App does at start (Ingestor.warm_up), before its first poll
        stop, samples = asyncio.Event(), list[float]()
        ticker = asyncio.create_task(lag_ticker(stop, samples))
        started = time.perf_counter()
        async with Fetcher(policy) as fetcher:
            results: list[PollResult] = await asyncio.gather(*(poll_source(s, fetcher, known_among) for s in sources))
        wall = time.perf_counter() - started
        stop.set()
        await ticker
    finally:
        for server in servers:
            await server.stop()
    requests = sum(sum(server.hits.values()) for server in servers)
    busiest = max(sum(server.hits.values()) for server in servers)
    articles = sum(len(r.articles) for r in results)
    errors = sum(len(r.errors) for r in results)
    # Requests to one host start `delay` apart (robots.txt is not spaced), so the busiest host bounds the cycle.
    bound = (busiest - 2) * delay + LATENCY
    print(f"sources {len(sources)} on {HOSTS} hosts, latency {LATENCY * 1000:.0f} ms, host delay {delay:.2f} s")
    print(f"{'metric':<34}{'value':>12}")
    for name, value in [
        ("requests (incl. robots.txt)", f"{requests}"),
        ("busiest host requests", f"{busiest}"),
        ("articles parsed", f"{articles}"),
        ("errors", f"{errors}"),
        ("wall time, s", f"{wall:.2f}"),
        ("politeness bound, s", f"{bound:.2f}"),
        ("event-loop lag max, ms", f"{max(samples) * 1000:.1f}"),
        ("event-loop lag p99, ms", f"{statistics.quantiles(samples, n=100)[98] * 1000:.1f}"),
        ("event-loop lag median, ms", f"{statistics.median(samples) * 1000:.1f}"),
    ]:
        print(f"{name:<34}{value:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=0.25, help="minimum seconds between requests to a host")
    asyncio.run(run(parser.parse_args().delay))


if __name__ == "__main__":
    main()
