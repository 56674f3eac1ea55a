"""What a URL an admin gives us is, as a source: a feed, a list page, one article, or a problem.

Fetches through the shared Fetcher (robots.txt, charset, size cap), looks for an RSS/Atom feed
(`<link rel="alternate">`, feed-looking links, then common paths), else a list page of same-pattern
article links, else a single article; then polls the proposed source once, exactly as the poller
will, and returns three items for the admin to judge. Problems are codes (`Problem`), worded by
the bot and the CLI in the reader's language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from analysis.language import detect_language
from analysis.mentions import find_mentions
from analysis.pipeline import analyze
from scrapers.cpu import run_cpu_bound
from scrapers.feeds import parse_feed
from scrapers.fetcher import Fetcher, FetchResult
from scrapers.js_shell import detect_js_shell
from scrapers.parsers import heuristics
from scrapers.poller import poll_source
from scrapers.sources import SOURCE_ID, SourceConfig

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml")
COMMON_FEED_PATHS = (
    "/rss",
    "/rss.xml",
    "/rss/",
    "/feed",
    "/feed/",
    "/news/rss",
    "/rss/news",
    "/feed.xml",
    "/atom.xml",
    "/news/rss.xml",
    "/ru/rss",
    "/en/rss",
)
FEED_HREF = re.compile(r"(?i)(rss|atom|feed)([./_-]|$)")
FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
MAX_LINKED_FEEDS = 3
MIN_LIST_LINKS = 4  # this many links of one pattern make a list page
MIN_ARTICLE_CHARS = 400
PREVIEW_ITEMS = 3
LEAD_CHARS = 220
ZONE_OF_COUNTRY = {"KZ": "Asia/Almaty", "KG": "Asia/Bishkek", "UZ": "Asia/Tashkent", "BY": "Europe/Minsk"}


class Kind(StrEnum):
    FEED = "feed"
    LIST = "list"
    ARTICLE = "article"


class Problem(StrEnum):
    BAD_URL = "bad_url"
    NOT_HTML = "not_html"
    ROBOTS = "robots"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    NOT_FOUND = "not_found"
    HTTP_ERROR = "http_error"
    JS_SHELL = "js_shell"
    NOTHING_FOUND = "nothing_found"


@dataclass(frozen=True)
class PreviewItem:
    """One item as the first poll would store it."""

    title: str
    url: str
    published: datetime | None
    lead: str
    parties: tuple[tuple[str, str], ...] = ()


@dataclass
class Discovery:
    """The answer for one URL: a proposed source with a preview, or a problem with the fetcher's words."""

    url: str
    kind: Kind | None = None
    problem: Problem | None = None
    detail: str = ""
    final_url: str = ""
    feed_url: str | None = None
    title: str = ""
    lang: str = "ru"
    home_region: str | None = None
    items: list[PreviewItem] = field(default_factory=list)
    links_found: int = 0

    @property
    def addable(self) -> bool:
        """A feed or a list page that gave items; one article is not something to poll."""
        return self.problem is None and self.kind in (Kind.FEED, Kind.LIST) and bool(self.items)

    def source(self, source_id: str) -> SourceConfig:
        """The source to poll: the feed when there is one, else the list page."""
        region = self.home_region
        return SourceConfig(
            id=source_id,
            name=(self.title or urlsplit(self.final_url or self.url).netloc)[:200],
            url=self.feed_url or self.final_url or self.url,
            kind="rss" if self.feed_url else "html",
            lang=self.lang if self.lang in ("ru", "en", "kk") else "ru",
            home_region=region,
            parser="generic",
            timezone=ZONE_OF_COUNTRY.get(region.split("-")[0]) if region else None,
        )


def normalize_url(raw: str) -> str | None:
    """An absolute http(s) URL from what an admin typed ("example.kz/news" gets https://), or None."""
    text = raw.strip().strip("<>")
    if not text or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    host = parts.hostname or ""
    named = "." in host.strip(".") or host == "localhost"
    if parts.scheme not in ("http", "https") or not named:
        return None
    return text


def suggest_id(url: str, taken: set[str]) -> str:
    """A readable, unused source id from the host and first path part: "akorda-kz-press"."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").removeprefix("www.")
    first = next((p for p in parts.path.split("/") if p), "")
    raw = "-".join(x for x in (host, first) if x).lower()
    base = re.sub(r"[^a-z0-9_-]+", "-", raw).strip("-_")[:56] or "source"
    if not SOURCE_ID.match(base):
        base = "s-" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _problem_of(page: FetchResult) -> tuple[Problem, str]:
    error = page.error or ""
    if error.startswith("blocked by robots"):
        return Problem.ROBOTS, error
    if error.startswith("timeout"):
        return Problem.TIMEOUT, error
    if error.startswith(("network error", "redirect loop", "too many redirects")):
        return Problem.UNREACHABLE, error
    if page.status in (404, 410) or error.startswith(("HTTP 404", "HTTP 410")):
        return Problem.NOT_FOUND, error
    if error.startswith(("not a text document", "binary content")):
        return Problem.NOT_HTML, error
    return Problem.HTTP_ERROR, error


def _is_feed(page: FetchResult) -> bool:
    kind = page.content_type.split(";")[0].strip().lower()
    return kind in FEED_TYPES or kind.endswith(("/rss+xml", "/atom+xml")) or bool(FEED_START.match(page.content))


def _is_html(page: FetchResult) -> bool:
    kind = page.content_type.split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or (not kind and "<html" in page.text[:2000].lower())


def feed_candidates(html: str, base_url: str) -> list[str]:
    """Feed addresses a page names: `<link rel="alternate">` first, then feed-looking links, then common paths."""
    tree = LexborHTMLParser(html)
    found: list[str] = []
    for link in tree.css("link[rel]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES and link.attributes.get("href"):
            found.append(urljoin(base_url, link.attributes.get("href") or ""))
    linked = [
        urljoin(base_url, href)
        for anchor in tree.css("a[href]")
        if FEED_HREF.search(urlsplit(href := anchor.attributes.get("href") or "").path)
        and not href.startswith(("javascript:", "mailto:", "#"))
    ]
    found += list(dict.fromkeys(linked))[:MAX_LINKED_FEEDS]  # each probe costs a polite request
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    found += [origin + path for path in COMMON_FEED_PATHS]
    return list(dict.fromkeys(found))


def list_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """The biggest group of article links sharing one URL pattern (same folder), in page order."""
    links = heuristics.article_links(LexborHTMLParser(html), base_url)
    groups: dict[str, list[tuple[str, str]]] = {}
    for url, text in links:
        path = urlsplit(url).path.rstrip("/")
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        groups.setdefault(re.sub(r"\d+", "N", folder), []).append((url, text))
    best = max(groups.values(), key=len, default=[])
    return list(dict(best).items())


def declared_article(html: str) -> bool:
    """The page says it is one article (og:type, article:published_time)."""
    tree = LexborHTMLParser(html)
    og_type = tree.css_first('meta[property="og:type"]')
    if og_type is not None and (og_type.attributes.get("content") or "").lower() == "article":
        return True
    return tree.css_first('meta[property="article:published_time"]') is not None


def has_article_text(html: str) -> bool:
    """Long prose in the page's main block."""
    return sum(len(line) for line in heuristics.main_text(LexborHTMLParser(html))) >= MIN_ARTICLE_CHARS


def feed_title(data: bytes) -> str:
    import feedparser

    return " ".join(str(feedparser.parse(data).feed.get("title", "")).split())


def site_title(html: str) -> str:
    tree = LexborHTMLParser(html)
    for selector in ('meta[property="og:site_name"]', 'meta[name="application-name"]'):
        node = tree.css_first(selector)
        if node is not None and (node.attributes.get("content") or "").strip():
            return " ".join((node.attributes.get("content") or "").split())
    node = tree.css_first("title")
    return " ".join(node.text().split()) if node is not None else ""


def home_region_of(site: str, titles: list[str]) -> str | None:
    """The region the site speaks for: named in its title, or in most of its headlines (countries do not count)."""
    in_title = [m.code for m in find_mentions(site) if "-" in m.code]
    if in_title:
        return Counter(in_title).most_common(1)[0][0]
    per_item = Counter(code for title in titles for code in {m.code for m in find_mentions(title) if "-" in m.code})
    if not per_item:
        return None
    code, count = per_item.most_common(1)[0]
    return code if count >= max(2, (len(titles) + 1) // 2) else None


def _lead(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= LEAD_CHARS else text[:LEAD_CHARS].rsplit(" ", 1)[0] + "…"


def _previews(items: list[tuple[str, str, datetime | None, str]], lang: str, region: str | None) -> list[PreviewItem]:
    previews = []
    for title, url, published, body in items:
        analysis = analyze(title, body, lang, home_region=region)
        parties = tuple(analysis.cooperation.parties) if analysis.cooperation.is_cooperation else ()
        previews.append(PreviewItem(title, url, published, _lead(analysis.main_text or body), parties))
    return previews


class Discoverer:
    """Runs discovery over an open Fetcher."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    async def discover(self, raw_url: str) -> Discovery:
        url = normalize_url(raw_url)
        if url is None:
            return Discovery(raw_url.strip(), problem=Problem.BAD_URL)
        found = Discovery(url)
        try:
            await self._discover(found)
        finally:  # what discovery fetched must not turn the first real poll into a 304 with nothing
            for fetched in {found.url, found.final_url, found.feed_url}:
                if fetched:
                    self.fetcher.forget_validator(fetched)
        return found

    async def _discover(self, found: Discovery) -> None:
        page = await self.fetcher.fetch(found.url, conditional=False)
        found.final_url = page.final_url or found.url
        if page.error:
            found.problem, found.detail = _problem_of(page)
            return
        if _is_feed(page):
            found.kind, found.feed_url = Kind.FEED, found.final_url
            found.title = await run_cpu_bound(feed_title, page.content)
        elif not _is_html(page):
            found.problem, found.detail = Problem.NOT_HTML, page.content_type.split(";")[0] or "?"
            return
        else:
            await self._classify_page(found, page)
            if found.problem is not None:
                return
        await self._poll_once(found, page.text)

    async def _classify_page(self, found: Discovery, page: FetchResult) -> None:
        found.title = site_title(page.text)
        feed = await self._first_feed(await run_cpu_bound(feed_candidates, page.text, found.final_url))
        if feed is not None:
            found.kind, found.feed_url = Kind.FEED, feed
            return
        links = await run_cpu_bound(list_links, page.text, found.final_url)
        found.links_found = len(links)
        declared = await run_cpu_bound(declared_article, page.text)
        if len(links) >= MIN_LIST_LINKS and not declared:
            found.kind = Kind.LIST
            return
        shell = await run_cpu_bound(detect_js_shell, page.text)
        if shell.needs_javascript:
            found.problem, found.detail = Problem.JS_SHELL, shell.describe()
        elif declared or await run_cpu_bound(has_article_text, page.text):
            found.kind = Kind.ARTICLE
        else:
            found.problem = Problem.NOTHING_FOUND

    async def _first_feed(self, candidates: list[str]) -> str | None:
        """The first candidate, in order, that is a feed with entries (one at a time: most sites have one)."""
        for candidate in candidates:
            page = await self.fetcher.fetch(candidate, conditional=False)
            if page.error or not page.content or not _is_feed(page):
                continue
            if await run_cpu_bound(parse_feed, page.content, page.final_url, "UTC", page.headers):
                return page.final_url
        return None

    async def _poll_once(self, found: Discovery, html: str) -> None:
        """Poll the proposed source as the poller will (three articles), and judge language and region."""
        # a region named in the site's title gives the zone the first poll reads its dates in
        found.home_region = await run_cpu_bound(home_region_of, found.title, [])
        if found.kind == Kind.ARTICLE:
            source = found.source("preview").model_copy(update={"url": found.final_url})
            article = await run_cpu_bound(source.profile().parse_article, html, found.final_url, source)
            raw = [(article.title, article.url, article.published, article.body)] if article else []
        else:
            source = found.source("preview")

            async def nothing_known(urls: list[str]) -> set[str]:
                return set()

            result = await poll_source(source, self.fetcher, nothing_known, max_articles=PREVIEW_ITEMS)
            found.links_found = max(found.links_found, result.list_count)
            if result.failed:
                found.problem, found.detail = Problem.NOTHING_FOUND, result.list_error or ""
                return
            raw = [(a.title, a.url, a.published, a.body) for a in result.articles]
        if not raw:
            found.problem = Problem.NOTHING_FOUND
            return
        titles = [title for title, *_ in raw]
        sample = " ".join([found.title, *titles, *(body[:500] for *_, body in raw)])
        found.lang = detect_language(sample)
        found.home_region = await run_cpu_bound(home_region_of, found.title, titles)
        found.items = await run_cpu_bound(_previews, raw[:PREVIEW_ITEMS], found.lang, found.home_region)
