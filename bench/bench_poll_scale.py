"""Polling at scale: 10,000 sources every 10 minutes on ONE core, through the product's scheduler, poller and fetcher.

Run: .venv/bin/python bench/bench_poll_scale.py [--sources 10000] [--hosts 100] [--interval 600] [--duration 660]

The sites: `--hosts` SiteServers (sandbox.site_server, the bundled snapshots) on 127.0.0.1 ports, each
with its own latency between 50 and 300 ms, in a child process on the other cores; a publisher there
puts `--new-per-minute` new articles on their list pages. The measured process is pinned to one core
(os.sched_setaffinity) and runs app.scheduler.PollScheduler (APScheduler, the product's triggers, grace
and jitter) with scrapers.poller.poll_source over one scrapers.fetcher.Fetcher with the default
FetchPolicy (16 connections, 2 per host, 1 s between requests to a host, conditional GET). Every source
starts due at once, as `coopnews run` starts them; the known-URL question is answered from memory
(storage is not part of this bench), pre-filled with the snapshot articles as a running deployment's
database would be, so a poll costs a list fetch (304 once the validator is known) and new articles are
fetched and parsed. A poll is on time when it finishes within 10 % of the interval after it was due.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, EVENT_JOB_SUBMITTED, JobEvent

from app.ingest import IngestReport
from app.scheduler import PollScheduler
from sandbox.site_server import SiteServer, sources_for
from scrapers import dates
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.poller import poll_source
from scrapers.sources import SourceConfig, load_sources

ARTICLE = (
    "<html><body><h1 class='article__title'>{title}</h1><span class='article__time'>{time}</span>"
    "<div class='article__body-text'><p>{title}. The delegations discussed supplies of timber, grain and "
    "dairy products and agreed to hold a business forum next spring.</p><p>The sides signed a roadmap.</p>"
    "</div></body></html>"
)
LIST_ITEM = (
    "<div class='allNewsCard'><a href='/en/{slug}'><div class='allNewsCard_time'>{time}</div>"
    "<div class='allNewsCard_title'>{title}</div></a></div>"
)


# --- the sites, in a child process -----------------------------------------------------------------

def serve(hosts: int, new_per_minute: float, core: int, pipe: Connection) -> None:
    """Run the SiteServers (latency 50–300 ms each) and the publisher until the parent says stop."""
    others = (os.sched_getaffinity(0) - {core}) or {core}  # called before the parent pins itself
    os.sched_setaffinity(0, others)
    asyncio.run(_serve(hosts, new_per_minute, pipe))


async def _serve(hosts: int, new_per_minute: float, pipe: Connection) -> None:
    rng = random.Random(7)
    servers = [SiteServer(latency=0.05 + 0.25 * i / max(1, hosts - 1)) for i in range(hosts)]
    for server in servers:
        await server.start()
    pipe.send([s.port for s in servers])
    published = 0
    loop = asyncio.get_running_loop()
    next_publish = loop.time()
    while not pipe.poll():
        if new_per_minute > 0 and loop.time() >= next_publish:
            server = servers[rng.randrange(hosts)]
            published += 1
            slug = f"bench-news-{published}_a{9_000_000 + published}"
            moment = datetime.now(UTC)
            title = f"Delegation visit number {published} ends with a memorandum"
            stamp = f"{moment:%H:%M}, {moment.day} {moment:%B %Y}"
            server.publish("kazinform-en", f"en/{slug}", ARTICLE.format(title=title, time=stamp),
                           LIST_ITEM.format(slug=slug, title=title, time=stamp))
            next_publish += 60.0 / new_per_minute
        await asyncio.sleep(0.05)
    pipe.send({"published": published, "requests": sum(sum(s.hits.values()) for s in servers)})
    for server in servers:
        await server.stop()


# --- the measured side -----------------------------------------------------------------------------

@dataclass
class Tally:
    due: dict[str, list[datetime]] = field(default_factory=dict)  # job id -> scheduled times not yet started
    start_lateness: list[float] = field(default_factory=list)
    finish_lateness: list[tuple[float, float]] = field(default_factory=list)  # (due offset, lateness) per poll
    missed: int = 0
    skipped_running: int = 0
    not_modified: int = 0
    changed: int = 0
    new_articles: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)


async def lag_ticker(stop: asyncio.Event, samples: list[float], period: float = 0.05) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + period
        await asyncio.sleep(period)
        samples.append(max(0.0, loop.time() - expected))


def make_sources(ports: list[int], count: int) -> list[SourceConfig]:
    """`count` sources spread evenly over the hosts; each one's list URL is its own (a query tells them apart)."""
    templates = load_sources().sources
    chosen: list[SourceConfig] = []
    for k in range(count):
        host, template = k % len(ports), templates[(k // len(ports)) % len(templates)]
        server = SiteServer()
        server.port = ports[host]
        (local,) = sources_for(server, [template])
        joiner = "&" if "?" in local.url else "?"
        chosen.append(local.model_copy(update={"id": f"{template.id}-h{host}-{k}", "url": f"{local.url}{joiner}s={k}"}))
    return chosen


async def prefill_known(sources: list[SourceConfig], known: set[str]) -> None:
    """Record every article the snapshot lists link to, as a deployment's database already holds them."""
    seen: set[tuple[str, str]] = set()
    firsts = []
    for source in sources:
        key = (source.url.split("/")[2], source.url.split("?")[0])
        if key not in seen:
            seen.add(key)
            firsts.append(source)

    async def remember(urls: list[str]) -> set[str]:
        known.update(urls)
        return set(urls)

    async with Fetcher(FetchPolicy(min_host_delay=0.0, per_host_concurrency=4, max_concurrency=64)) as fetcher:
        await asyncio.gather(*(poll_source(s, fetcher, remember) for s in firsts))


async def run(args: argparse.Namespace, ports: list[int]) -> tuple[Tally, list[float], float, datetime]:
    """Prefill, then schedule every source and measure for `--duration` s; returns (tally, lag, CPU s, start)."""
    sources = make_sources(ports, args.sources)
    known: set[str] = set()
    started = time.perf_counter()
    await prefill_known(sources, known)
    print(f"{len(sources):,} sources on {len(ports)} hosts; {len(known):,} known article URLs prefilled in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    dates.warm_up()
    tally = Tally()
    stack = contextlib.AsyncExitStack()
    fetcher = await stack.enter_async_context(Fetcher(FetchPolicy()))  # the product's default policy

    async def known_among(urls: list[str]) -> set[str]:
        return known.intersection(urls)

    async def poll(source: SourceConfig) -> IngestReport:
        result = await poll_source(source, fetcher, known_among)
        known.update(a.url for a in result.articles)
        due = tally.due.get(f"poll:{source.id}")
        if due:
            scheduled = due.pop(0)
            tally.finish_lateness.append(((scheduled - t0).total_seconds(),
                                          (datetime.now(UTC) - scheduled).total_seconds()))
        tally.not_modified += result.not_modified
        tally.changed += not result.not_modified and not result.failed
        tally.new_articles += len(result.articles)
        tally.errors += len(result.errors)
        for error in result.errors:
            kind = error.split(":", 2)[-1].strip()[:40]
            tally.error_kinds[kind] = tally.error_kinds.get(kind, 0) + 1
        return IngestReport(source.id, failed=result.failed, consecutive_failures=int(result.failed))

    scheduler = PollScheduler(poll, min_interval=args.interval)

    def on_event(event: JobEvent) -> None:
        if event.code == EVENT_JOB_SUBMITTED:
            times = event.scheduled_run_times  # type: ignore[attr-defined]
            tally.due.setdefault(event.job_id, []).append(times[-1])
            tally.start_lateness.append((datetime.now(UTC) - times[-1]).total_seconds())
            tally.missed += len(times) - 1  # coalesced into this run
        elif event.code == EVENT_JOB_MISSED:
            tally.missed += 1
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            tally.skipped_running += 1

    scheduler.scheduler.add_listener(on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    sources = [s.model_copy(update={"interval": args.interval}) for s in sources]
    stop, lag = asyncio.Event(), list[float]()
    ticker = asyncio.create_task(lag_ticker(stop, lag))
    t0 = datetime.now(UTC)
    cpu_before = cpu_seconds()
    scheduler.add_sources(sources, first_run=t0)
    scheduler.start()
    next_report = time.perf_counter() + 60
    end = time.perf_counter() + args.duration
    while time.perf_counter() < end:
        await asyncio.sleep(1)
        if time.perf_counter() >= next_report:
            next_report += 60
            print(f"  {(datetime.now(UTC) - t0).total_seconds():5.0f} s: {len(tally.finish_lateness):,} polls done, "
                  f"RSS peak {peak_rss_mb():.0f} MB", flush=True)
    await scheduler.shutdown(grace=60)
    stop.set()
    await ticker
    await stack.aclose()
    return tally, lag, cpu_seconds() - cpu_before, t0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _q(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(args: argparse.Namespace, tally: Tally, lag: list[float], served: dict[str, int], cpu: float) -> None:
    on_time_limit = args.interval * 0.1
    rounds = [("first round (all due at start)", [x for t, x in tally.finish_lateness if t < 1]),
              ("later polls", [x for t, x in tally.finish_lateness if t >= 1])]
    print(f"\n{args.sources:,} sources, {args.hosts} hosts (50–300 ms), every {args.interval} s, "
          f"{args.duration} s run, one core")
    print("| polls | due | done | on time (≤ 10 % of interval late) | lateness p50 s | p95 s | max s |")
    print("|---|---|---|---|---|---|---|")
    # later polls due = later runs started (finished or still running at the end) + runs dropped
    later_started = len(tally.start_lateness) - len(rounds[0][1])
    for name, late in rounds:
        due = len(late) if name.startswith("first") else later_started + tally.missed + tally.skipped_running
        on_time = sum(1 for x in late if x <= on_time_limit)
        print(f"| {name} | {due:,} | {len(late):,} | {on_time:,} | {_q(late, 50):.1f} | {_q(late, 95):.1f} "
              f"| {max(late, default=0):.1f} |")
    print("\n| metric | value |\n|---|---|")
    for name, value in [
        ("scheduler start lateness p95 / max, s",
         f"{_q(tally.start_lateness, 95):.2f} / {max(tally.start_lateness, default=0):.2f}"),
        ("runs missed or coalesced", f"{tally.missed}"),
        ("runs skipped (previous still running)", f"{tally.skipped_running}"),
        ("lists 304 Not Modified", f"{tally.not_modified:,}"),
        ("lists changed (200, parsed)", f"{tally.changed:,}"),
        ("new articles fetched and parsed", f"{tally.new_articles:,} (published {served.get('published', 0)})"),
        ("HTTP requests served", f"{served.get('requests', 0):,}"),
        ("errors", f"{tally.errors}" + (f" {dict(sorted(tally.error_kinds.items())[:4])}" if tally.errors else "")),
        ("RSS peak, MB (target < 300)", f"{peak_rss_mb():.0f}"),
        ("CPU time of the measured process, s", f"{cpu:.0f} ({cpu / args.duration * 100:.0f} % of one core)"),
        ("event-loop lag p50 / p99 / max, ms",
         f"{_q(lag, 50) * 1000:.1f} / {_q(lag, 99) * 1000:.1f} / {max(lag, default=0) * 1000:.0f}"),
    ]:
        print(f"| {name} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--interval", type=int, default=600, help="poll interval, s (default 600)")
    parser.add_argument("--duration", type=int, default=660, help="measured run, s (default 660)")
    parser.add_argument("--new-per-minute", type=float, default=20.0, help="new articles published per minute")
    parser.add_argument("--core", type=int, default=0, help="the one core the measured process runs on")
    args = parser.parse_args()
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # skipped/missed runs are counted, not logged
    parent, child = mp.Pipe()
    sites = mp.get_context("fork").Process(target=serve, args=(args.hosts, args.new_per_minute, args.core, child))
    sites.start()
    ports = parent.recv()
    os.sched_setaffinity(0, {args.core})
    try:
        tally, lag, cpu, _ = asyncio.run(run(args, ports))
    finally:
        parent.send("stop")
        served = parent.recv() if parent.poll(30) else {}
        sites.join(30)
    report(args, tally, lag, served, cpu)


if __name__ == "__main__":
    main()
