"""`coopnews report`: the same chart and spreadsheet as the bot's /report, written to files."""

from __future__ import annotations

import sys
from pathlib import Path

from alerts.quiet import zone
from app.settings import Settings
from bot.i18n import t
from reports.build import make_report
from reports.period import ReportInputError, parse_period
from reports.scope import parse_scope
from storage import Database
from storage.clock import utcnow


async def report_command(
    settings: Settings, period_text: str, scope_text: str, xlsx: Path | None, png: Path | None
) -> int:
    lang, tz = settings.default_language, settings.default_timezone
    if xlsx is None and png is None:
        hint = t("give --xlsx FILE, --png FILE or both", lang)
        print(f"coopnews report: {hint}", file=sys.stderr)
        return 2
    try:
        period = parse_period(period_text, utcnow().astimezone(zone(tz)).date(), tz)
        scope = parse_scope(scope_text)
    except ReportInputError as exc:
        hint = exc.say(lang, t)
        print(f"coopnews report: {hint}", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        files = await make_report(db, scope, period, lang, t, png=png is not None, xlsx=xlsx is not None)
    finally:
        await db.dispose()
    title = scope.title(lang, t)
    if files.empty:
        print(t("{scope}, {period}: nothing in this period.", lang, scope=title, period=period.label()))
        return 0
    for path, content in ((xlsx, files.xlsx), (png, files.png)):
        if path is not None and content is not None:
            try:
                path.write_bytes(content)
            except OSError as exc:
                problem = f"{path}: {exc.strerror or exc}"
                print(f"coopnews report: {problem}", file=sys.stderr)
                return 1
            print(t("written: {path}", lang, path=str(path)))
    print(t("{scope}, {period}: {n} cooperation item", lang, plural="{scope}, {period}: {n} cooperation items",
            n=files.data.total, scope=title, period=period.label()))
    return 0
