"""The `coopnews` command: parses arguments, loads settings, hands over to one command module."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from app.cli_text import localize_argparse
from app.config_errors import EXIT_CONFIG, ConfigError, describe_database_error, operator_language
from app.logs import setup_logging
from app.roles import ROLES
from app.settings import Settings, SettingsError, load_settings
from bot.i18n import N_, t
from bot.lazy_schemas import import_aiogram_lazily
from storage import DatabaseSetupError

EXIT_USAGE = 2


def _parser(lang: str = "ru") -> argparse.ArgumentParser:
    """The command line, its help texts in `lang` (DEFAULT_LANGUAGE)."""
    localize_argparse(lang)
    parser = argparse.ArgumentParser(prog="coopnews", description=t("Cooperation-news alerts for Telegram.", lang))
    sub = parser.add_subparsers(dest="command", required=True, metavar=t("COMMAND", lang))
    run = sub.add_parser("run", help=t("run the bot, the scrapers' scheduler and the sender (needs BOT_TOKEN)", lang))
    run.add_argument(
        "--role", choices=ROLES, default="all",
        help=t("what this process does: all (default), bot (replies), scraper (polls, matches, digests) or "
               "sender (delivers the outbox); a single role needs PostgreSQL", lang),
    )
    sub.add_parser("demo", help=t("offline demo: local sites, a fake Telegram, a temporary database", lang))
    scrape = sub.add_parser("scrape", help=t("poll sources and print what is new", lang))
    scrape.add_argument("--once", action="store_true", help=t("poll every source once and exit", lang))
    scrape.add_argument("--source", metavar="ID", help=t("poll only this source", lang))
    search = sub.add_parser("search", help=t("full-text search over stored articles, as the bot's /search", lang))
    search.add_argument("query", nargs="+", help=t("words, places, topics and since:DATE (as in the bot)", lang))
    search.add_argument("--limit", type=int, default=10, help=t("how many results to show", lang))
    db = sub.add_parser("db", help=t("database maintenance", lang))
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar=t("ACTION", lang))
    db_sub.add_parser("upgrade", help=t("apply migrations up to the newest schema", lang))
    _sources_parser(sub, lang)
    ev = sub.add_parser("eval", help=t("score the analysis on labelled articles (JSON lines)", lang))
    ev.add_argument("files", nargs="+", type=Path, metavar="FILE.jsonl")
    ev.add_argument("--seeds", type=Path, help=t("also score the seed articles in this folder", lang))
    ev.add_argument("--verbose", action="store_true", help=t("list every mistake", lang))
    ev.add_argument("--json", action="store_true",
                    help=t("print the report as JSON (per language, per error class)", lang))
    _report_parser(sub, lang)
    return parser


def _sources_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], lang: str) -> None:
    """`coopnews sources`: the list (also with no action), add by URL, pause, resume, remove."""
    sources = sub.add_parser("sources", help=t("list sources with their health; add, pause, resume, remove", lang))
    actions = sources.add_subparsers(dest="sources_command", metavar=t("ACTION", lang))
    actions.add_parser("list", help=t("list sources with their health", lang))
    add = actions.add_parser("add", help=t("find the feed or news list at a URL, preview it, add it", lang))
    add.add_argument("url", metavar="URL")
    add.add_argument("--yes", action="store_true", help=t("add without asking", lang))
    for action, text in (
        ("pause", N_("stop polling a source for now")),
        ("resume", N_("poll a paused or removed source again")),
        ("remove", N_("stop polling a source and hide it (its articles stay)")),
    ):
        actions.add_parser(action, help=t(text, lang)).add_argument("source_id", metavar="ID")
    _sources_check_parser(actions, lang)


def _report_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], lang: str) -> None:
    """`coopnews report`: help in the operator's language, like every other command's."""
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


def _sources_check_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser], lang: str) -> None:
    """`coopnews sources check`: the live check of the catalogue (app/sources_check.py)."""
    about = t("poll every catalogue source live once: status, items, text length, time (stores nothing)", lang)
    check = actions.add_parser("check", help=about)
    check.add_argument("--source", metavar="ID", help=t("check only this source", lang))


def _sources(settings: Settings, args: argparse.Namespace) -> int:
    from app import commands

    if getattr(args, "sources_command", None) == "check":
        from app.sources_check import sources_check_command

        return _run_async(lambda: sources_check_command(settings, args.source))
    return _run_async(lambda: commands.sources(settings, args))


def _run_async(factory: Callable[[], Coroutine[Any, Any, int]]) -> int:
    try:
        return asyncio.run(factory())
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from app import commands

    handlers: dict[str, Callable[[], int]] = {
        "run": lambda: _run_async(lambda: commands.run(settings, args.role)),
        "demo": lambda: _run_async(lambda: commands.demo(settings)),
        "scrape": lambda: _run_async(lambda: commands.scrape(settings, args.source, once=args.once)),
        "search": lambda: _run_async(lambda: commands.search(settings, " ".join(args.query), args.limit)),
        "db": lambda: _run_async(lambda: commands.db_upgrade(settings)),
        "sources": lambda: _sources(settings, args),
        "eval": lambda: commands.evaluate(args.files, args.seeds, args.verbose, args.json),
        "report": lambda: _run_async(lambda: commands.report(settings, args.period, args.scope, args.xlsx, args.png)),
    }
    return handlers[args.command]()


def main(argv: Sequence[str] | None = None) -> int:
    import_aiogram_lazily()  # before any command imports aiogram: its models then compile on first use
    args = _parser(operator_language()).parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"coopnews: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(settings.log_level, settings.log_format, settings.secrets(), settings.default_language)
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
