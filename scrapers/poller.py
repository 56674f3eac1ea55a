"""One poll of one source: list page or feed → unseen article URLs → parsed articles."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from scrapers.cpu import run_cpu_bound
from scrapers.feeds import feed_entries
from scrapers.fetcher import Fetcher
from scrapers.js_shell import detect_js_shell
from scrapers.models import ListItem, ParsedArticle
from scrapers.parsers import Profile
from scrapers.sources import SourceConfig

RENDER_HINT = "set render = true for this source to read it through headless Chromium"
# Which of these URLs are stored already: asked once per list, so a poll costs one query, not one per item.
KnownAmong = Callable[[list[str]], Awaitable[set[str]]]


@dataclass
class PollResult:
    """What a poll found; `list_error` set means the source itself failed (counts for health)."""

    source_id: str
    articles: list[ParsedArticle] = field(default_factory=list)
    list_count: int = 0
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False
    list_error: str | None = None

    @property
    def failed(self) -> bool:
        return self.list_error is not None


async def _list_items(
    source: SourceConfig, profile: Profile, fetcher: Fetcher, result: PollResult
) -> tuple[list[ListItem], dict[str, str]]:
    page = await (fetcher.render(source.url) if source.render else fetcher.fetch(source.url))
    if page.not_modified:
        result.not_modified = True
        return [], {}
    if page.error:
        result.list_error = f"list {source.url}: {page.error}"
        result.errors.append(result.list_error)
        return [], {}
    if page.truncated:
        result.errors.append(f"list {source.url}: truncated at {fetcher.policy.max_bytes} bytes")
    tz = source.timezone or profile.timezone
    if source.kind == "rss":
        return await run_cpu_bound(feed_entries, page.content, page.final_url, tz, page.headers)
    items = await run_cpu_bound(profile.parse_list, page.text, page.final_url, tz)
    if not items and not source.render:  # an empty list may be a page its scripts would fill: a failure to see
        shell = await run_cpu_bound(detect_js_shell, page.text)
        if shell.needs_javascript:
            result.list_error = f"list {source.url}: {shell.describe()}; {RENDER_HINT}"
            result.errors.append(result.list_error)
    return items, {}


async def _article(
    item: ListItem, source: SourceConfig, profile: Profile, fetcher: Fetcher, summary: str | None
) -> ParsedArticle | str:
    """A parsed article, or an error message."""
    page = await (fetcher.render(item.url) if source.render else fetcher.fetch(item.url, conditional=False))
    if page.error:
        return f"article {item.url}: {page.error}"
    # Parsing and cleaning take milliseconds of CPU each: off the loop, in the small CPU pool.
    article = await run_cpu_bound(profile.parse_article, page.text, item.url, source)
    if article is None and summary and item.title:
        article = ParsedArticle(item.url, item.title, summary, summary, None, None, source.lang, source.id)
    if article is None:
        return f"article {item.url}: no article text found"
    if article.published is None and item.published is not None:
        article = dataclasses.replace(article, published=item.published)
    return dataclasses.replace(article, url=item.url, title=article.title or item.title)


async def _safe_article(
    item: ListItem, source: SourceConfig, profile: Profile, fetcher: Fetcher, summary: str | None
) -> ParsedArticle | str:
    try:
        return await _article(item, source, profile, fetcher, summary)
    except Exception as exc:  # one bad page must not sink the whole poll
        return f"article {item.url}: {type(exc).__name__}: {exc}"


async def poll_source(
    source: SourceConfig, fetcher: Fetcher, known_among: KnownAmong, *, max_articles: int = 30
) -> PollResult:
    """Fetch the list or feed, then fetch and parse only the articles `known_among` has not seen."""
    result = PollResult(source_id=source.id)
    profile = source.profile()
    items, summaries = await _list_items(source, profile, fetcher, result)
    result.list_count = len(items)
    known = await known_among([item.url for item in items]) if items else set()
    fresh = [item for item in items if item.url not in known][:max_articles]
    outcomes = await asyncio.gather(
        *(_safe_article(item, source, profile, fetcher, summaries.get(item.url)) for item in fresh)
    )
    for outcome in outcomes:
        if isinstance(outcome, ParsedArticle):
            result.articles.append(outcome)
        else:
            result.errors.append(outcome)
    return result
