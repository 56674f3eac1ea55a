"""Polling: only unseen articles, no duplicates, isolation of failures."""

from __future__ import annotations

import asyncio
import time

from sandbox.site_server import Fault, SiteServer, sources_for
from scrapers.fetcher import Fetcher
from scrapers.models import ParsedArticle
from scrapers.poller import PollResult, poll_source
from scrapers.sources import SourceConfig
from tests.scrapers.conftest import fast_policy


class MemoryStore:
    """Stands in for storage: remembers article URLs."""

    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.asked: list[str] = []

    async def known_among(self, urls: list[str]) -> set[str]:
        self.asked.extend(urls)
        return self.urls.intersection(urls)

    def keep(self, articles: list[ParsedArticle]) -> None:
        self.urls.update(article.url for article in articles)


def _source(server: SiteServer, source_id: str) -> SourceConfig:
    return next(s for s in sources_for(server) if s.id == source_id)


async def test_polling_twice_yields_no_duplicates(server: SiteServer, fetcher: Fetcher) -> None:
    server.etags = False  # force a full list both times: the store alone must prevent duplicates
    store = MemoryStore()
    source = _source(server, "vologda-ru")
    first = await poll_source(source, fetcher, store.known_among)
    store.keep(first.articles)
    second = await poll_source(source, fetcher, store.known_among)
    assert len(first.articles) == 2 and second.articles == [] and second.list_count == 2
    assert server.hits["/vologda-ru/novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon/"] == 1


async def test_unchanged_list_is_not_modified(server: SiteServer, fetcher: Fetcher) -> None:
    store = MemoryStore()
    source = _source(server, "lenobl")
    store.keep((await poll_source(source, fetcher, store.known_among)).articles)
    again = await poll_source(source, fetcher, store.known_among)
    assert again.not_modified and again.articles == [] and not again.failed


async def test_published_article_is_picked_up(server: SiteServer, fetcher: Fetcher) -> None:
    store = MemoryStore()
    source = _source(server, "kazinform-en")
    store.keep((await poll_source(source, fetcher, store.known_among)).articles)
    url = server.publish(
        "kazinform-en",
        "en/vologda-timber-arrives-in-almaty_a4210999",
        "<html><body><h1 class='article__title'>Vologda timber arrives in Almaty</h1>"
        "<span class='article__time'>10:00, 9 December 2025</span><div class='article__body-text'>"
        "<p>The first train with Vologda timber for the Almaty region wood-processing cluster arrived today.</p>"
        "<p>Read also: Weather in Astana</p></div></body></html>",
        "<div class='allNewsCard'><a href='/en/vologda-timber-arrives-in-almaty_a4210999'>"
        "<div class='allNewsCard_time'>10:00, 9 December 2025</div>"
        "<div class='allNewsCard_title'>Vologda timber arrives in Almaty</div></a></div>",
    )
    fresh = await poll_source(source, fetcher, store.known_among)
    assert [a.url for a in fresh.articles] == [url]
    assert fresh.articles[0].body == (
        "The first train with Vologda timber for the Almaty region wood-processing cluster arrived today."
    )
    assert fresh.articles[0].published is not None and fresh.articles[0].published.isoformat() == (
        "2025-12-09T10:00:00+05:00"
    )


async def test_one_bad_article_does_not_sink_the_poll(server: SiteServer, fetcher: Fetcher) -> None:
    bad = "/vologda-en/en/news/first_snow_expected_in_vologda/"
    server.set_fault(bad, Fault(junk=True))
    result = await poll_source(_source(server, "vologda-en"), fetcher, MemoryStore().known_among)
    assert [a.title for a in result.articles] == ["Vologda and Almaty regions to hold a joint forestry workshop"]
    assert len(result.errors) == 1 and "binary content" in result.errors[0] and not result.failed


async def test_malformed_article_does_not_crash(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault("/kg24-en/english/352004_Bishkek_heating_season_extended/", Fault(malformed=True))
    result = await poll_source(_source(server, "kg24-en"), fetcher, MemoryStore().known_among)
    assert len(result.articles) + len(result.errors) == 2 and not result.failed


async def test_failed_list_is_reported(server: SiteServer, fetcher: Fetcher) -> None:
    server.set_fault("/akipress/list.html", Fault(statuses=[500] * 5))
    result = await poll_source(_source(server, "akipress"), fetcher, MemoryStore().known_among)
    assert result.failed and result.articles == [] and "HTTP 500" in (result.list_error or "")


async def test_max_articles_bounds_the_fetches(server: SiteServer, fetcher: Fetcher) -> None:
    result = await poll_source(_source(server, "vologda-ru"), fetcher, MemoryStore().known_among, max_articles=1)
    assert result.list_count == 2 and len(result.articles) == 1


async def test_failing_source_does_not_delay_the_others(server: SiteServer) -> None:
    server.set_fault("/spb-governor/list.html", Fault(hang=True))
    sources = sources_for(server)
    finished: dict[str, float] = {}
    started = time.monotonic()

    async def timed(source: SourceConfig, fetcher: Fetcher) -> PollResult:
        result = await poll_source(source, fetcher, MemoryStore().known_among)
        finished[source.id] = time.monotonic() - started
        return result

    async with Fetcher(fast_policy(total_timeout=2.0, retries=0)) as fetcher:
        results = await asyncio.gather(*(timed(source, fetcher) for source in sources))
    by_id = {result.source_id: result for result in results}
    assert by_id["spb-governor"].failed and "timeout" in (by_id["spb-governor"].list_error or "")
    assert finished["spb-governor"] >= 2.0
    healthy = [sid for sid in finished if sid != "spb-governor"]
    assert all(by_id[sid].articles and not by_id[sid].errors for sid in healthy)
    assert max(finished[sid] for sid in healthy) < 1.5
