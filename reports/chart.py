"""The report chart: items over time by partner and by topic, as a PNG legible on a phone.

matplotlib is imported inside the function (about 30 MB and 0.3 s): the bot pays for it only when
someone asks for a report. Figures are built with the object API and the Agg canvas, never pyplot,
whose global state is not safe in the CPU pool's threads.
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from analysis.topics import topic_name
from reports.data import ReportData, Series
from reports.labels import N_, OTHER, Translate, place_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX, HEIGHT_PX, DPI = 1280, 1440, 100
FONT = "DejaVu Sans"  # shipped inside matplotlib; has Cyrillic and the Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і)
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#9e9e9e")


PER_BUCKET = {1: N_("items a day"), 7: N_("items a week"), 0: N_("items a month")}


def _tick_label(data: ReportData, index: int) -> str:
    day = max(data.buckets[index], data.period.first)  # the first week may begin before the period
    return day.strftime("%m.%Y") if data.bucket_days == 0 else day.strftime("%d.%m")


def _series_name(series: Series, lang: str, t: Translate, *, topic: bool) -> str:
    if series.key == OTHER:
        return t("other", lang)
    return topic_name(series.key, lang) if topic else place_name(series.key, lang)


def _stacked(ax: Axes, data: ReportData, series: tuple[Series, ...], title: str, lang: str, t: Translate,
             *, topic: bool) -> None:
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(data.buckets)))
    bottom = [0] * len(positions)
    for i, one in enumerate(series):
        ax.bar(positions, one.counts, bottom=bottom, color=COLOURS[i % len(COLOURS)], width=0.8,
               label=_series_name(one, lang, t, topic=topic), gid=f"{'topic' if topic else 'partner'}:{one.key}")
        bottom = [b + c for b, c in zip(bottom, one.counts, strict=True)]
    ax.set_title(title, fontsize=24, loc="left", pad=12)
    ax.set_ylabel(t(PER_BUCKET[data.bucket_days], lang), fontsize=18)
    step = max(1, -(-len(positions) // 8))  # at most 8 labels, or they overlap on a phone
    ax.set_xticks(positions[::step], [_tick_label(data, p) for p in positions[::step]], fontsize=16)
    ax.tick_params(axis="y", labelsize=16)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of items: no 2.5 ticks
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if series:
        ax.legend(fontsize=16, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    else:
        ax.text(0.5, 0.5, t("no topics", lang) if topic else t("no partners", lang),
                transform=ax.transAxes, ha="center", fontsize=18, color="#777777")


def draw(data: ReportData, lang: str, t: Translate) -> Figure:
    """The figure: a heading, then stacked bars by partner (top) and by topic (bottom)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    with _font():
        heading = t("{scope}: {n} cooperation item", lang, plural="{scope}: {n} cooperation items",
                    n=data.total, scope=data.scope.title(lang, t))
        figure.suptitle(f"{heading}\n{data.period.label()}", fontsize=26, x=0.02, ha="left")
        top, bottom = figure.subplots(2, 1)
        _stacked(top, data, data.by_partner, t("By partner", lang), lang, t, topic=False)
        _stacked(bottom, data, data.by_topic, t("By topic", lang), lang, t, topic=True)
    return figure


def _font() -> AbstractContextManager[None]:
    from matplotlib import rc_context

    return rc_context({"font.family": FONT, "axes.titleweight": "bold"})


def render_png(data: ReportData, lang: str, t: Translate) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = draw(data, lang, t)
    buffer = io.BytesIO()
    with _font():
        FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
