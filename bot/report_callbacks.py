"""Callback data of /report: the period as a compact date range, the scope as a short wire code."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ReportStep(StrEnum):
    CUSTOM = "c"  # "custom dates": explain the typed form
    PERIOD = "p"  # a period was chosen: now the scope
    COUNTRIES = "cl"  # the country list of the place picker
    COUNTRY = "co"  # one country: the whole of it, or one of its regions
    BUILD = "b"  # period and scope known: make the report


class ReportCb(CallbackData, prefix="rp"):
    """period: 20260101-20260331; scope: s | r.RU-VLG | p.RU-VLG.KZ-75 (reports.scope.Scope.wire);
    pair: building a pair and its first side is `first`; country/page: where the place picker is."""

    step: ReportStep
    period: str = ""
    scope: str = ""
    country: str = ""
    page: int = 0
    first: str = ""
    pair: bool = False
