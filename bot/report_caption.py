"""The caption under a report's chart: the period's count, top partners and top topics (the /report command
and the weekly summary say it the same way)."""

from __future__ import annotations

from analysis.topics import topic_name
from bot.formatting import escape
from bot.i18n import t
from reports.build import ReportFiles
from reports.labels import place_name

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption
TOP = 5


def report_caption(files: ReportFiles, lang: str, *, heading: str | None = None) -> str:
    """`heading` (already HTML) goes above the counts when given, e.g. "Weekly summary"."""
    data = files.data
    counts = t("{scope}, {period}: {n} cooperation item", lang, plural="{scope}, {period}: {n} cooperation items",
               n=data.total, scope=data.scope.title(lang, t), period=data.period.label())
    partners = ", ".join(f"{place_name(code, lang)} {n}" for code, n in data.partner_totals[:TOP])
    topics = ", ".join(f"{topic_name(code, lang)} {n}" for code, n in data.topic_totals[:TOP])
    first = [heading] if heading else []
    lines = [*first, f"<b>{escape(counts)}</b>"]
    if partners:
        lines.append(escape(t("Partners: {list}", lang, list=partners)))
    if topics:
        lines.append(escape(t("Topics: {list}", lang, list=topics)))
    text = "\n".join(lines)
    return text if len(text) <= CAPTION_LIMIT else "\n".join([*first, f"<b>{escape(counts)}</b>"])
