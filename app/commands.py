"""What each `coopnews` sub-command does; the CLI only parses and calls these."""

from __future__ import annotations

import sys
from pathlib import Path

from app.settings import Settings
from bot.i18n import t
from storage import Database


async def db_upgrade(settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()
    url = db.engine.url.render_as_string(hide_password=True)
    print(t("database is at the newest schema: {url}", settings.default_language, url=url))
    return 0


async def search(settings: Settings, query: str, limit: int) -> int:
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        async with db.read() as uow:
            page = await uow.search.find(query, limit=limit)
    finally:
        await db.dispose()
    lang = settings.default_language
    if not page.articles:
        print(t("nothing found for {query}", lang, query=repr(query)))
        return 0
    print(t("{n} found for {query}; showing {shown}:", lang, n=page.total, query=repr(query), shown=len(page.articles)))
    for article in page.articles:
        print(f"- {article.shown_at:%Y-%m-%d} [{article.source_id}] {article.title}\n  {article.url}")
    return 0


async def sources(settings: Settings) -> int:
    from app.source_status import print_sources

    return await print_sources(settings)


async def scrape(settings: Settings, source_id: str | None, *, once: bool) -> int:
    if not once:
        hint = t("only --once is supported; `coopnews run` polls on schedule", settings.default_language)
        print(f"coopnews scrape: {hint}", file=sys.stderr)
        return 2
    from app.scrape_command import scrape_once_command

    return await scrape_once_command(settings, source_id)


async def run(settings: Settings) -> int:
    if settings.bot_token is None:
        hint = t(
            "BOT_TOKEN is not set. Put it in .env or the environment (see .env.example), "
            "or try the offline demo: coopnews demo",
            settings.default_language,
        )
        print(f"coopnews run: {hint}", file=sys.stderr)
        return 2
    from app.runner import run_forever

    return await run_forever(settings)


async def demo(settings: Settings) -> int:
    from app.demo import run_demo

    return await run_demo(settings)


def evaluate(files: list[Path], seeds: Path | None, verbose: bool, as_json: bool = False) -> int:
    from app.evaluate import run_eval

    return run_eval(files, seeds, verbose, as_json=as_json)


async def report(settings: Settings, period: str, scope: str, xlsx: Path | None, png: Path | None) -> int:
    from app.report_command import report_command

    return await report_command(settings, period, scope, xlsx, png)
