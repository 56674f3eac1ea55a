"""Sources added by URL, shared by `/addsource` and `coopnews sources add`: the answer in words, the save.

Discovery (scrapers.discover) says what a URL is; this module words that answer for a reader
(HTML for Telegram, plain text for the terminal) and stores a confirmed source.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass

from bot.fetch_errors import describe_fetch_error
from bot.formatting import escape, local_time, party_line, place_label
from bot.i18n import N_, t
from bot.keyed_memory import KeyedMemory
from scrapers.discover import Discovery, Kind, Problem, suggest_id
from storage import Database
from storage.models import Source
from storage.repositories.sources import SourceSpec

MAX_PENDING = 200

_PROBLEMS = {
    Problem.BAD_URL: N_("This is not a web address: {url}. Send it like this: /addsource https://site.kz/news/"),
    Problem.NOT_HTML: N_("{url} is not a web page ({detail}): give the address of a news page or a feed."),
    Problem.ROBOTS: N_("The site's robots.txt does not allow reading {url}, so it cannot be a source."),
    Problem.UNREACHABLE: N_("Cannot reach {url}: {detail}."),
    Problem.TIMEOUT: N_("{url} did not answer in time. Try again later."),
    Problem.NOT_FOUND: N_("There is no such page: {url} (HTTP 404). Check the address."),
    Problem.HTTP_ERROR: N_("{url} answered with an error: {detail}."),
    Problem.JS_SHELL: N_(
        "{url} is built by JavaScript in the browser: the page the site sends is an empty shell, so there is "
        "nothing to read without running its scripts. Look for the site's RSS feed or a plain news page."
    ),
    Problem.NOTHING_FOUND: N_("Found no feed, no news list and no article at {url}."),
}
_KINDS = {Kind.FEED: N_("RSS/Atom feed"), Kind.LIST: N_("news list page"), Kind.ARTICLE: N_("single article")}
_LANGUAGES = {"ru": N_("Russian"), "en": N_("English"), "kk": N_("Kazakh")}


class PendingSources(KeyedMemory[Discovery]):
    """Previews waiting for the admin's Add or Cancel."""

    def __init__(self, capacity: int = MAX_PENDING) -> None:
        super().__init__(capacity)


def _plain(text: str) -> str:
    return html_lib.unescape(text.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", ""))


def problem_text(found: Discovery, lang: str) -> str:
    """Why the URL cannot become a source, in the reader's words (HTML-escaped)."""
    if found.problem is None:
        if found.kind == Kind.ARTICLE:
            return t(
                "{url} is a single article, not a list of news: give the address of the page that lists "
                "the news, or of its RSS feed.",
                lang,
                url=escape(found.url),
            )
        return ""
    detail = describe_fetch_error(found.detail, lang) if found.detail else "?"
    return t(_PROBLEMS[found.problem], lang, url=escape(found.url), detail=escape(detail))


def preview_text(found: Discovery, lang: str, tz: str, *, html: bool = True) -> str:
    """The proposed source and its first items (title, date, first lines, party line), or the problem."""
    blocks = [problem_text(found, lang)] if found.problem is not None else []
    if found.problem is None:
        kind = t(_KINDS[found.kind], lang) if found.kind else "?"
        region = place_label(found.home_region, lang) if found.home_region else t("not detected", lang)
        language = t(_LANGUAGES.get(found.lang, found.lang), lang)
        head = [
            f"<b>{escape(found.title or found.final_url)}</b>",
            f"{kind}: {escape(found.feed_url or found.final_url)}",
            t("Language: {language} · home region: {region}", lang, language=language, region=region),
        ]
        blocks.append("\n".join(head))
        for item in found.items:
            lines = [f"• <b>{escape(item.title)}</b>"]
            if item.published is not None:
                lines.append(local_time(item.published, tz))
            if item.lead:
                lines.append(f"<i>{escape(item.lead)}</i>")
            if item.parties:
                lines.append(party_line(item.parties, lang))
            blocks.append("\n".join(lines))
        if found.kind == Kind.ARTICLE:
            blocks.append(problem_text(found, lang))
    text = "\n\n".join(blocks)
    return text if html else _plain(text)


@dataclass(frozen=True)
class Added:
    row: Source
    created: bool  # False: that address was polled already


async def add_discovered(db: Database, found: Discovery, *, origin: str, added_by: int | None) -> Added:
    """Store the source a preview proposed; an address already polled is not added twice."""
    async with db.write() as uow:
        poll_url = found.feed_url or found.final_url or found.url
        existing = await uow.sources.by_url(poll_url) or await uow.sources.by_url(found.final_url or found.url)
        if existing is not None and existing.removed_at is None:
            if existing.paused:
                await uow.sources.set_paused(existing.id, False)
                await uow.commit()
            return Added(existing, created=False)
        taken = {row.id for row in await uow.sources.all()} - ({existing.id} if existing is not None else set())
        source_id = existing.id if existing is not None else suggest_id(found.final_url or found.url, taken)
        config = found.source(source_id)
        spec = SourceSpec(
            config.id,
            config.name,
            found.final_url or found.url,
            config.kind,
            config.lang,
            config.home_region,
            parser=config.parser,
            interval=config.interval,
            timezone=config.timezone,
            feed_url=found.feed_url,
            origin=origin,
            added_by=added_by,
        )
        row = await uow.sources.add(spec)
        await uow.commit()
        return Added(row, created=True)
