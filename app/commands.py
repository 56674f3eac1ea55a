"""What each `coopnews` sub-command does; the CLI only parses and calls these."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.roles import Role
from app.settings import Settings
from bot.i18n import t
from storage import Database


async def db_upgrade(settings: Settings) -> int:
    db = Database(settings.database_url)
    lang = settings.default_language

    def applied(revision: str) -> None:  # one line per migration: a long upgrade is visibly moving
        print(t("applied migration {revision}", lang, revision=revision), flush=True)

    try:
        await db.upgrade(on_step=applied)
    finally:
        await db.dispose()
    url = db.engine.url.render_as_string(hide_password=True)
    print(t("database is at the newest schema: {url}", settings.default_language, url=url))
    return 0


async def search(settings: Settings, text: str, limit: int) -> int:
    """The bot's /search on the command line: the same parser (places, topics, since:), the same filters."""
    from bot.query import parse_search
    from bot.results import count_text, is_searchable

    lang = settings.default_language
    query = parse_search(text)
    for part in query.not_understood:
        print(t("not understood, searched without it: {part}", lang, part=part), file=sys.stderr)
    if not is_searchable(query):
        print(t("nothing to search for in {query}", lang, query=repr(text)), file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        async with db.read() as uow:
            page = await uow.search.find(
                query.text, regions=query.regions, topics=query.topics, since=query.since, limit=limit
            )
    finally:
        await db.dispose()
    if not page.articles:
        print(t("nothing found for {query}", lang, query=repr(text)))
        return 0
    if page.total_is_lower_bound:  # the count stopped at its cap (storage.search.common.TOTAL_CAP)
        print(t("more than {count} found for {query}; showing {shown}:", lang, count=count_text(page.total),
                query=repr(text), shown=len(page.articles)))
    else:
        print(t("{n} found for {query}; showing {shown}:", lang, n=page.total, query=repr(text),
                shown=len(page.articles)))
    for article in page.articles:
        pairs = ", ".join(f"{p.ru_code}↔{p.partner_code}" for p in article.parties) if article.is_cooperation else ""
        print(f"- {article.shown_at:%Y-%m-%d} [{article.source_id}] {article.title}\n  {article.url}"
              + (f"\n  {pairs}" if pairs else ""))
    return 0


async def sources(settings: Settings, args: argparse.Namespace) -> int:
    from app import source_status

    action = getattr(args, "sources_command", None) or "list"
    if action == "add":
        return await source_status.add_source_command(settings, args.url, yes=args.yes)
    if action in ("pause", "resume", "remove"):
        return await source_status.set_state_command(settings, action, args.source_id)
    return await source_status.print_sources(settings)


async def scrape(settings: Settings, source_id: str | None, *, once: bool) -> int:
    if not once:
        hint = t("only --once is supported; `coopnews run` polls on schedule", settings.default_language)
        print(f"coopnews scrape: {hint}", file=sys.stderr)
        return 2
    from app.scrape_command import scrape_once_command

    return await scrape_once_command(settings, source_id)


async def run(settings: Settings, role: Role = "all") -> int:
    if settings.bot_token is None:
        hint = t(
            "BOT_TOKEN is not set. Put it in .env or the environment (see .env.example), "
            "or try the offline demo: coopnews demo",
            settings.default_language,
        )
        print(f"coopnews run: {hint}", file=sys.stderr)
        return 2
    from app.runner import run_forever

    return await run_forever(settings, role)


async def demo(settings: Settings) -> int:
    from app.demo import run_demo

    return await run_demo(settings)


def evaluate(files: list[Path], seeds: Path | None, verbose: bool, as_json: bool = False) -> int:
    from app.evaluate import run_eval

    return run_eval(files, seeds, verbose, as_json=as_json)


async def report(settings: Settings, period: str, scope: str, xlsx: Path | None, png: Path | None) -> int:
    from app.report_command import report_command

    return await report_command(settings, period, scope, xlsx, png)
