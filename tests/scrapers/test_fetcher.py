"""Fetcher behaviour against a real local server: caching, retries, timeouts, limits, charsets, robots."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from sandbox.site_server import Fault, SiteServer
from scrapers.fetcher import Fetcher
from scrapers.retry import retry_after_seconds
from tests.scrapers.conftest import fast_policy

LIST = "/vologda-ru/list.html"


async def test_conditional_get_gives_304(server: SiteServer, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(server.url(LIST))
    assert first.status == 200 and first.error is None and "news-list" in first.text
    assert server.url(LIST) in fetcher.validators()
    second = await fetcher.fetch(server.url(LIST))
    assert second.status == 304 and second.not_modified and second.ok and second.text == ""


async def test_validators_can_be_seeded_and_exported(server: SiteServer) -> None:
    async with Fetcher(fast_policy()) as first:
        await first.fetch(server.url(LIST))
        exported = dict(first.validators())
    async with Fetcher(fast_policy(), validators=exported) as second:
        assert (await second.fetch(server.url(LIST))).not_modified
        assert not (await second.fetch(server.url(LIST), conditional=False)).not_modified


async def test_two_503_then_200(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault(LIST, Fault(statuses=[503, 503]))
    result = await fetcher.fetch(server.url(LIST))
    assert result.status == 200 and result.error is None
    assert server.hits[LIST] == 3


async def test_persistent_5xx_gives_up_with_error(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault(LIST, Fault(statuses=[502] * 10))
    result = await fetcher.fetch(server.url(LIST))
    assert result.error is not None and "HTTP 502" in result.error and "3 attempts" in result.error
    assert server.hits[LIST] == 3


async def test_404_is_not_retried(server: SiteServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(server.url("/vologda-ru/missing/"))
    assert result.status == 404 and result.error == "HTTP 404"
    assert server.hits["/vologda-ru/missing/"] == 1


async def test_429_honours_retry_after(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault(LIST, Fault(statuses=[429], retry_after="1"))
    started = time.monotonic()
    result = await fetcher.fetch(server.url(LIST))
    waited = time.monotonic() - started
    assert result.status == 200 and server.hits[LIST] == 2
    assert waited >= 0.95  # backoff alone would be ~0.01 s


def test_retry_after_parses_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2025, 11, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Sat, 01 Nov 2025 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sat, 01 Nov 2025 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


async def test_retry_after_is_capped(server: SiteServer) -> None:
    server.set_fault(LIST, Fault(statuses=[429], retry_after="3600"))
    async with Fetcher(fast_policy(retry_after_cap=0.2)) as capped:
        started = time.monotonic()
        result = await capped.fetch(server.url(LIST))
    assert result.ok and time.monotonic() - started < 2


async def test_hanging_response_times_out_and_the_run_goes_on(server: SiteServer) -> None:
    server.set_fault("/stuck/page", Fault(hang=True))
    async with Fetcher(fast_policy(total_timeout=0.3, retries=3, stall_cooldown=0.0)) as impatient:
        started = time.monotonic()
        stuck = await impatient.fetch(server.url("/stuck/page"))
        assert stuck.error is not None and "timeout" in stuck.error
        assert time.monotonic() - started < 1  # one deadline, not one per attempt
        assert server.hits["/stuck/page"] == 1  # a spent deadline is not retried
        healthy = await impatient.fetch(server.url(LIST))
    assert healthy.ok and healthy.status == 200


async def test_requests_queued_behind_a_timeout_fail_at_once(server: SiteServer) -> None:
    for number in range(6):
        server.set_fault(f"/stuck/{number}", Fault(hang=True))
    async with Fetcher(fast_policy(total_timeout=0.5, per_host_concurrency=2, min_host_delay=0.3)) as client:
        started = time.monotonic()
        results = await asyncio.gather(*(client.fetch(server.url(f"/stuck/{n}")) for n in range(6)))
        waited = time.monotonic() - started
        # 0.3 s spacing + one 0.5 s deadline; not 6 / 2 * 0.5 s, nor 5 * 0.3 s of politeness slots unused
        assert waited < 1.2
        assert all(r.error and "timeout" in r.error for r in results)
        assert sum(server.hits[f"/stuck/{n}"] for n in range(6)) == 2
        assert "not asked again yet" in str((await client.fetch(server.url(LIST))).error)  # the host cools down


async def test_a_host_whose_robots_txt_never_answers_costs_the_robots_timeout_once(server: SiteServer) -> None:
    server.set_fault("/robots.txt", Fault(latency=60))  # the whole host accepts and never answers
    async with Fetcher(fast_policy(robots_timeout=0.3, total_timeout=2.0)) as client:
        started = time.monotonic()
        pages = await asyncio.gather(client.fetch(server.url(LIST)), client.fetch(server.url("/vologda-ru/other")))
        assert time.monotonic() - started < 1.0  # not 0.3 s of robots.txt plus a 2 s deadline per page
    assert all("timeout" in str(page.error) for page in pages)
    assert server.hits["/robots.txt"] == 1 and server.hits[LIST] == 0


async def test_retries_and_their_waits_stay_within_the_deadline(server: SiteServer) -> None:
    server.set_fault(LIST, Fault(statuses=[503] * 10))
    async with Fetcher(fast_policy(total_timeout=1.0, retries=10, backoff_base=0.2, backoff_max=5.0)) as client:
        started = time.monotonic()
        result = await client.fetch(server.url(LIST))
    assert time.monotonic() - started < 1.0
    assert result.error is not None and "HTTP 503" in result.error and "deadline" in result.error
    assert 2 <= server.hits[LIST] < 10


async def test_cp1251_declared_only_by_meta(server: SiteServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(server.url("/akipress/news:2210455"))
    assert "charset" not in result.content_type
    assert "Иссык-Кульская область и Санкт-Петербург" in result.text
    assert "\ufffd" not in result.text


async def test_robots_txt_disallow(server: SiteServer, fetcher: Fetcher) -> None:
    server.robots_txt = "User-agent: *\nDisallow: /vologda-ru/novosti/\n"
    blocked = await fetcher.fetch(
        server.url("/vologda-ru/novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon/")
    )
    assert blocked.error == "blocked by robots.txt"
    assert not any(path.startswith("/vologda-ru/novosti/") for path in server.hits)
    assert (await fetcher.fetch(server.url(LIST))).ok
    assert server.hits["/robots.txt"] == 1  # fetched once, then cached


async def test_missing_robots_allows_everything(server: SiteServer, fetcher: Fetcher) -> None:
    assert (await fetcher.fetch(server.url(LIST))).ok  # robots.txt answers 404


async def test_redirect_loop_ends_with_clear_error(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault("/loop/page", Fault(redirect_loop=True))
    result = await fetcher.fetch(server.url("/loop/page"))
    assert result.error is not None and "redirect loop" in result.error
    assert server.hits["/loop/page"] <= 3


async def test_huge_response_is_cut_off(server: SiteServer) -> None:
    server.set_fault("/huge/page", Fault(huge_bytes=20 * 1024 * 1024))
    async with Fetcher(fast_policy(max_bytes=1024 * 1024)) as capped:
        started = time.monotonic()
        result = await capped.fetch(server.url("/huge/page"))
    assert result.truncated and result.error is None
    assert len(result.content) == 1024 * 1024
    assert time.monotonic() - started < 5


async def test_binary_junk_and_malformed_html_do_not_crash(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault("/junk/page", Fault(junk=True))
    server.set_fault("/broken/page", Fault(malformed=True))
    junk = await fetcher.fetch(server.url("/junk/page"))
    assert junk.error == "binary content" and junk.text == ""
    broken = await fetcher.fetch(server.url("/broken/page"))
    assert broken.ok and "Broken" in broken.text


async def test_unreachable_host_is_an_error_not_an_exception() -> None:
    async with Fetcher(fast_policy(retries=1, connect_timeout=0.5)) as client:
        result = await client.fetch("http://127.0.0.1:9/nothing")  # discard port: refused
    assert result.error is not None and "network error" in result.error


async def test_sites_see_a_descriptive_user_agent() -> None:
    async def echo_agent(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("User-Agent", ""), content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", echo_agent)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with Fetcher(fast_policy()) as client:
            seen = (await client.fetch(f"http://127.0.0.1:{port}/page")).text
    finally:
        await runner.cleanup()
    assert seen.startswith("CoopnewsBot/0.1 (") and "robots.txt" in seen
