"""Discovery of a source from a URL, against composed sites on 127.0.0.1, and the JS-shell verdict."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.site_server import Fault, SiteServer
from scrapers.discover import Discoverer, Kind, Problem, normalize_url, suggest_id
from scrapers.fetcher import Fetcher
from scrapers.js_shell import detect_js_shell
from scrapers.poller import poll_source
from tests.composed_sites import (
    CHUY_ITEMS,
    HTML,
    JAMBYL_ITEMS,
    JS_SHELL_PAGE,
    LocalSite,
    chuy_site,
    jambyl_site,
    js_site,
    robots_site,
    with_base,
)
from tests.scrapers.conftest import fast_policy


@pytest.fixture
async def discoverer() -> AsyncIterator[Discoverer]:
    async with Fetcher(fast_policy(retries=0)) as fetcher:
        yield Discoverer(fetcher)


async def test_a_feed_named_in_link_alternate_is_found_with_language_region_and_party_line(
    discoverer: Discoverer,
) -> None:
    async with jambyl_site() as site:
        with_base(site)
        found = await discoverer.discover(site.url("/kk/"))
    assert found.problem is None and found.kind is Kind.FEED and found.addable
    assert found.feed_url == site.url("/rss/kk/news.xml")
    assert found.lang == "kk" and found.home_region == "KZ-31"
    assert [item.title for item in found.items] == [title for _, title, _, _ in JAMBYL_ITEMS[:3]]
    first = found.items[0]
    assert first.published is not None and first.published.day == 4
    assert "Тараз қаласында" in first.lead
    assert ("RU-OMS", "KZ-31") in first.parties or ("KZ-31", "RU-OMS") in first.parties
    assert found.items[1].parties == ()  # road repairs are nobody's cooperation
    source = found.source("jambyl")
    assert (source.kind, source.url, source.timezone) == ("rss", found.feed_url, "Asia/Almaty")


async def test_a_list_page_without_feed_is_recognised_and_polled_once(discoverer: Discoverer) -> None:
    async with chuy_site() as site:
        found = await discoverer.discover(site.url("/ru/news/"))
        probed = [hit for hit in site.hits if "rss" in hit or "feed" in hit]
    assert found.problem is None and found.kind is Kind.LIST and found.feed_url is None
    assert found.links_found == len(CHUY_ITEMS)
    assert found.lang == "ru" and found.home_region == "KG-C"
    assert [item.title for item in found.items] == [title for _, title, _, _ in CHUY_ITEMS[:3]]
    assert found.items[0].parties and found.items[0].published is not None
    assert "/rss" in probed and "/feed" in probed  # common feed paths were tried before settling on the list
    assert found.source("chuy").kind == "html"


async def test_discovery_leaves_no_validator_behind_so_the_first_real_poll_reads_everything(
    discoverer: Discoverer,
) -> None:
    async with chuy_site() as site:
        site.pages["/ru/news/"] = (site.pages["/ru/news/"][0], HTML)
        found = await discoverer.discover(site.url("/ru/news/"))

        async def none_known(urls: list[str]) -> set[str]:
            return set()

        result = await poll_source(found.source("chuy"), discoverer.fetcher, none_known)
    assert not result.not_modified and len(result.articles) == len(CHUY_ITEMS)


async def test_a_js_built_page_is_reported_as_needing_javascript(discoverer: Discoverer) -> None:
    async with js_site() as site:
        found = await discoverer.discover(site.url("/memleket/entities/shell/press/news"))
    assert found.problem is Problem.JS_SHELL and not found.addable
    assert found.detail.startswith("needs JavaScript") and 'id="app"' in found.detail


@pytest.mark.parametrize(
    ("path", "problem"),
    [("/ru/nowhere/", Problem.NOT_FOUND), ("/doc.pdf", Problem.NOT_HTML), ("/data.json", Problem.NOT_HTML)],
)
async def test_missing_and_non_html_addresses_get_their_own_answer(
    discoverer: Discoverer, path: str, problem: Problem
) -> None:
    site = chuy_site()
    site.pages["/doc.pdf"] = (b"%PDF-1.4 binary", "application/pdf")
    site.pages["/data.json"] = ('{"news": []}', "application/json")
    async with site:
        found = await discoverer.discover(site.url(path))
    assert found.problem is problem and not found.addable


async def test_robots_disallowed_unreachable_and_bad_urls(discoverer: Discoverer) -> None:
    async with robots_site() as site:
        blocked = await discoverer.discover(site.url("/ru/news/"))
        assert blocked.problem is Problem.ROBOTS
        assert "/ru/news/" not in site.hits  # not even the page was read
    async with LocalSite() as gone:
        dead_url = gone.url("/news/")
    unreachable = await discoverer.discover(dead_url)
    assert unreachable.problem is Problem.UNREACHABLE and "network error" in unreachable.detail
    for typed in ("новости акимата", "ftp://example.kz/", "http://", "https://nodot/"):
        assert (await discoverer.discover(typed)).problem is Problem.BAD_URL, typed


async def test_a_single_article_is_recognised_and_not_offered_as_a_source(discoverer: Discoverer) -> None:
    async with chuy_site() as site:
        found = await discoverer.discover(site.url(CHUY_ITEMS[0][0]))
    assert found.kind is Kind.ARTICLE and found.problem is None and not found.addable
    assert found.items and found.items[0].title == CHUY_ITEMS[0][1]


async def test_a_page_with_nothing_to_read_says_so(discoverer: Discoverer) -> None:
    site = LocalSite()
    site.pages["/"] = ("<html><head><title>Сайт</title></head><body><p>Сайт на реконструкции.</p></body></html>", HTML)
    async with site:
        found = await discoverer.discover(site.url("/"))
    assert found.problem is Problem.NOTHING_FOUND


def test_js_shell_verdicts() -> None:
    shell = detect_js_shell(JS_SHELL_PAGE)
    assert shell.needs_javascript and shell.text_chars < 100
    assert any("noscript" in sign for sign in shell.signs) and any("bundle" in sign for sign in shell.signs)
    next_shell = '<html><body><div id="__next"></div><script id="__NEXT_DATA__">{"props":{}}</script></body></html>'
    assert detect_js_shell(next_shell).needs_javascript
    # server-rendered Next.js: the same blob, but the article is in the HTML
    rendered = next_shell.replace(
        '<div id="__next"></div>', "<div id='__next'><p>" + "Текст статьи. " * 60 + "</p></div>"
    )
    assert not detect_js_shell(rendered).needs_javascript
    # short but plain: a stub page is not a shell
    assert not detect_js_shell("<html><body><p>Страница на реконструкции</p></body></html>").needs_javascript
    assert not detect_js_shell("").needs_javascript


def test_typed_addresses_and_suggested_ids() -> None:
    assert normalize_url("  gov.kg/ru/news ") == "https://gov.kg/ru/news"
    assert normalize_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"
    assert normalize_url("http://host:port/") is None
    assert suggest_id("https://www.gov.kg/ru/news/", set()) == "gov-kg-ru"
    assert suggest_id("https://www.gov.kg/ru/news/", {"gov-kg-ru"}) == "gov-kg-ru-2"
    assert suggest_id("http://127.0.0.1:5000/", set()) == "127-0-0-1"


async def test_a_site_that_never_answers_is_a_timeout() -> None:
    async with SiteServer() as hanging, Fetcher(fast_policy(retries=0, total_timeout=0.5)) as fetcher:
        hanging.set_fault("/news/", Fault(hang=True))
        found = await Discoverer(fetcher).discover(hanging.url("/news/"))
    assert found.problem is Problem.TIMEOUT and found.detail.startswith("timeout")


async def test_a_feed_linked_from_the_page_wins_over_its_list(discoverer: Discoverer) -> None:
    site = chuy_site()
    page, kind = site.pages["/ru/news/"]
    site.pages["/ru/news/"] = (page.replace("</main>", "<a href='/ru/news/rss.xml'>RSS</a></main>"), kind)
    entries = "".join(
        f"<item><title>{title}</title><link>{path}</link><pubDate>{date}</pubDate></item>"
        for path, title, date, _ in CHUY_ITEMS
    )
    site.pages["/ru/news/rss.xml"] = (
        f"<rss version='2.0'><channel><title>Новости</title>{entries}</channel></rss>",
        "text/xml",
    )
    async with site:
        found = await discoverer.discover(site.url("/ru/news/"))
        probed_common_paths = "/rss" in site.hits
    assert found.kind is Kind.FEED and found.feed_url == site.url("/ru/news/rss.xml")
    assert not probed_common_paths  # the page named its feed: no guessing
    assert [item.title for item in found.items] == [title for _, title, _, _ in CHUY_ITEMS[:3]]
