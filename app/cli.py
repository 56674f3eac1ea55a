"""The `coopnews` command: parses arguments, loads settings, hands over to one command module."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from app.config_errors import EXIT_CONFIG, ConfigError, describe_database_error
from app.logs import setup_logging
from app.settings import Settings, SettingsError, load_settings
from bot.lazy_schemas import import_aiogram_lazily
from storage import DatabaseSetupError

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
    return parser


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
    except ConfigError as exc:
        print(f"coopnews: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseSetupError as exc:
        print(f"coopnews: {describe_database_error(exc, settings.default_language)}", file=sys.stderr)
        return EXIT_CONFIG
    except BrokenPipeError:  # output piped into `head` and cut off: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
