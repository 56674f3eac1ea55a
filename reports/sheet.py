"""The report spreadsheet: one row per item, then a sheet of counts by partner and by topic.

Written by reports.xlsx: rows stream into the file as they are formatted, so 20,000 items cost little
time and memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from analysis.normalize import CONTROL_CHARS
from analysis.topics import topic_name
from reports.data import ReportData
from reports.labels import N_, Translate, event_name, place_name
from reports.xlsx import Sheet, Value, write_xlsx

CELL_LIMIT = 32_000  # Excel holds at most 32,767 characters in a cell
SHEET_NAME_LIMIT = 31
ITEM_COLUMNS = (  # msgid, width in characters
    (N_("Date"), 17),
    (N_("Source"), 24),
    (N_("Title"), 60),
    (N_("Parties (codes)"), 22),
    (N_("Parties"), 44),
    (N_("Event type"), 22),
    (N_("Topics"), 34),
    (N_("Summary"), 80),
    (N_("Link"), 40),
)
COUNT_WIDTHS = (12, 36, 10, 3, 16, 36, 10)  # partners in A–C, a gap, topics in E–G
DATE_FORMAT = {"ru": "DD.MM.YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"}


class _Memo(dict[Any, Any]):
    """A function's results by argument, computed once each: memo[key] (a plain dict lookup once known)."""

    def __init__(self, compute: Any) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._compute(key)
        return value


def _text(value: str) -> str:
    """No control characters or zero-width marks, and no more than a cell holds."""
    if CONTROL_CHARS.search(value):
        value = CONTROL_CHARS.sub(" ", value)
    return value[:CELL_LIMIT]


def _item_rows(data: ReportData, lang: str, t: Translate) -> Iterator[list[Value]]:
    zone = ZoneInfo(data.period.tz)
    # Labels repeat from row to row: word each distinct one once (20,000 rows, a few dozen labels).
    parties_of = _Memo(lambda pairs: (
        "; ".join(f"{a} ↔ {b}" for a, b in pairs),
        _text("; ".join(f"{place_name(a, lang)} ↔ {place_name(b, lang)}" for a, b in pairs)),
    ))
    topics_of = _Memo(lambda topics: "; ".join(topic_name(x, lang) for x in topics))
    event_of = _Memo(lambda event: event_name(event, lang, t))
    source_of = _Memo(_text)
    for row in data.rows:
        codes, names = parties_of[row.parties]
        yield [
            row.moment.astimezone(zone).replace(tzinfo=None),  # Excel has no time zones: local time
            source_of[row.source_name], _text(row.title), codes, names, event_of[row.event_type],
            topics_of[row.topics], _text(row.summary), _text(row.url),
        ]


def _count_rows(data: ReportData, lang: str) -> Iterator[list[Value]]:
    """Partners and topics side by side, most items first."""
    partners, topics = list(data.partner_totals), list(data.topic_totals)
    for i in range(max(len(partners), len(topics))):
        left: list[Value] = [None, None, None]
        right: list[Value] = [None, None, None]
        if i < len(partners):
            left = [partners[i][0], place_name(partners[i][0], lang), partners[i][1]]
        if i < len(topics):
            right = [topics[i][0], topic_name(topics[i][0], lang), topics[i][1]]
        yield [*left, None, *right]


def render_xlsx(data: ReportData, lang: str, t: Translate) -> bytes:
    code, item_count = t("Code", lang), t("Count", lang)
    items = Sheet(
        t("Items", lang)[:SHEET_NAME_LIMIT],
        [width for _msgid, width in ITEM_COLUMNS],
        [t(msgid, lang) for msgid, _width in ITEM_COLUMNS],
        _item_rows(data, lang, t),
        auto_filter=True,
    )
    counts = Sheet(
        t("Counts", lang)[:SHEET_NAME_LIMIT],
        COUNT_WIDTHS,
        [code, t("Partner", lang), item_count, None, code, t("Topic", lang), item_count],
        _count_rows(data, lang),
    )
    return write_xlsx([items, counts], date_format=DATE_FORMAT.get(lang, DATE_FORMAT["en"]))
