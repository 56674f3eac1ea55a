"""The `coopnews` command: parses arguments, loads settings, hands over to one command module."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from app.logs import setup_logging
from app.settings import Settings, SettingsError, load_settings
from bot.lazy_schemas import import_aiogram_lazily

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopnews", description="Cooperation-news alerts for Telegram.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot, the scrapers' scheduler and the sender (needs BOT_TOKEN)")
    sub.add_parser("demo", help="offline demo: local sites, a fake Telegram, a temporary database")
    scrape = sub.add_parser("scrape", help="poll sources and print what is new")
    scrape.add_argument("--once", action="store_true", help="poll every source once and exit")
    scrape.add_argument("--source", metavar="ID", help="poll only this source")
    search = sub.add_parser("search", help="full-text search over stored articles")
    search.add_argument("query", nargs="+", help="words to find (any inflection)")
    search.add_argument("--limit", type=int, default=10)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations up to the newest schema")
    sub.add_parser("sources", help="list configured sources with their health")
    ev = sub.add_parser("eval", help="score the analysis on labelled articles (JSON lines)")
    ev.add_argument("files", nargs="+", type=Path, metavar="FILE.jsonl")
    ev.add_argument("--seeds", type=Path, help="also score the seed articles in this folder")
    ev.add_argument("--verbose", action="store_true", help="list every mistake")
    ev.add_argument("--json", action="store_true", help="print the report as JSON (per language, per error class)")
    _report_parser(sub)
    return parser


def _report_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coopnews report`: help in the operator's language (DEFAULT_LANGUAGE from the environment)."""
    from bot.i18n import normalize_language, t

    lang = normalize_language(os.environ.get("DEFAULT_LANGUAGE"))
    report = sub.add_parser("report", help=t("chart (PNG) and spreadsheet (XLSX) of cooperation news", lang))
    report.add_argument(
        "--period", default="month", metavar="week|month|quarter|FROM..TO",
        help=t("the last complete week, month or quarter, or dates like 2026-01-01..2026-03-31", lang),
    )
    report.add_argument(
        "--scope", required=True, metavar="SCOPE",
        help=t("subscriptions:USER_ID, region:CODE, country:CODE or pair:CODE-CODE (e.g. pair:RU-VLG-KZ-75)", lang),
    )
    report.add_argument("--xlsx", type=Path, metavar="FILE", help=t("write the spreadsheet here", lang))
    report.add_argument("--png", type=Path, metavar="FILE", help=t("write the chart here", lang))


def _run_async(factory: Callable[[], Coroutine[Any, Any, int]]) -> int:
    try:
        return asyncio.run(factory())
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from app import commands

    handlers: dict[str, Callable[[], int]] = {
        "run": lambda: _run_async(lambda: commands.run(settings)),
        "demo": lambda: _run_async(lambda: commands.demo(settings)),
        "scrape": lambda: _run_async(lambda: commands.scrape(settings, args.source, once=args.once)),
        "search": lambda: _run_async(lambda: commands.search(settings, " ".join(args.query), args.limit)),
        "db": lambda: _run_async(lambda: commands.db_upgrade(settings)),
        "sources": lambda: _run_async(lambda: commands.sources(settings)),
        "eval": lambda: commands.evaluate(args.files, args.seeds, args.verbose, args.json),
        "report": lambda: _run_async(lambda: commands.report(settings, args.period, args.scope, args.xlsx, args.png)),
    }
    return handlers[args.command]()


def main(argv: Sequence[str] | None = None) -> int:
    import_aiogram_lazily()  # before any command imports aiogram: its models then compile on first use
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"coopnews: {exc}", file=sys.stderr)
        return EXIT_USAGE
    secrets = [settings.bot_token.get_secret_value()] if settings.bot_token else []
    setup_logging(settings.log_level, settings.log_format, secrets)
    try:
        return dispatch(args, settings)
    except BrokenPipeError:  # output piped into `head` and cut off: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
