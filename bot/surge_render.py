"""A surge as a Telegram message: the partner, today's count against the usual level, a sparkline, top items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from bot.alert_render import Rendered
from bot.formatting import escape, place_label
from bot.i18n import t

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    """Unicode block characters scaled to the largest value: a chart that fits in a line of text."""
    top = max(values, default=0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in values)


def surge_title(key: str, lang: str) -> str:
    codes = key.split("|")
    return " ↔ ".join(place_label(code, lang) for code in codes)


def surge_line(key: str, count: int, usual: float, day: date, lang: str) -> str:
    """One line for the digest's head (HTML: the place names come escaped)."""
    return t("📈 Surge: {place}, {n} item on {day}, usually {usual} a day", lang,
             plural="📈 Surge: {place}, {n} items on {day}, usually {usual} a day", n=count,
             place=surge_title(key, lang), day=day.strftime("%d.%m"), usual=f"{usual:.1f}")


def surge_message(payload: str, lang: str) -> Rendered:
    try:
        data = json.loads(payload)
        key, count, usual = str(data["key"]), int(data["count"]), float(data["usual"])
        day = date.fromisoformat(str(data["day"])).strftime("%d.%m.%Y")
        series = [int(v) for v in data.get("series", [])]
        items = [(str(title), str(url)) for title, url in data.get("items", [])]
    except (TypeError, ValueError, KeyError):
        return Rendered(escape(str(payload)[:500]))
    lines = [
        "<b>" + t("📈 Surge of news: {place}", lang, place=surge_title(key, lang)) + "</b>",
        # the date, not "today": a message held through quiet hours arrives the next morning
        t("{day}: {n} cooperation item; usually {usual} a day over the 28 days before.", lang,
          plural="{day}: {n} cooperation items; usually {usual} a day over the 28 days before.", n=count,
          day=day, usual=f"{usual:.1f}"),
        f"<code>{sparkline(series)}</code>",
    ]
    for title, url in items:
        lines.append(f'• <a href="{escape(url)}">{escape(title[:200])}</a>')
    return Rendered("\n".join(lines))
