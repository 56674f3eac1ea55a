"""Report periods and scopes as people type them, and the short forms buttons carry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports.period import Period, ReportInputError, named_period, parse_period
from reports.scope import Scope, parse_scope, parse_wire


def test_named_periods_are_the_last_complete_ones() -> None:
    today = date(2026, 12, 3)  # a Thursday
    assert named_period("week", today, "UTC") == Period(date(2026, 11, 23), date(2026, 11, 29), "UTC")
    assert named_period("month", today, "UTC") == Period(date(2026, 11, 1), date(2026, 11, 30), "UTC")
    assert named_period("quarter", today, "UTC") == Period(date(2026, 7, 1), date(2026, 9, 30), "UTC")
    assert named_period("quarter", date(2026, 2, 10), "UTC") == Period(date(2025, 10, 1), date(2025, 12, 31), "UTC")
    assert named_period("month", date(2026, 1, 1), "UTC") == Period(date(2025, 12, 1), date(2025, 12, 31), "UTC")


def test_dates_are_local_days_in_the_readers_zone() -> None:
    period = parse_period("2026-07-01..2026-07-31", date(2026, 12, 3), "Asia/Almaty")  # UTC+5
    start, end = period.bounds()
    assert start == datetime(2026, 6, 30, 19, tzinfo=UTC) and end == datetime(2026, 7, 31, 19, tzinfo=UTC)
    assert parse_period(period.code(), date(2026, 12, 3), "Asia/Almaty") == period
    assert period.days == 31 and period.label() == "01.07.2026–31.07.2026"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("yesterday", "Unknown period"),
        ("2026-02-30..2026-03-01", "not a real date range"),
        ("2026-03-01..2026-02-01", "ends before it begins"),
        ("2020-01-01..2026-01-01", "at most"),
    ],
)
def test_bad_periods_say_why(text: str, why: str) -> None:
    with pytest.raises(ReportInputError) as caught:
        parse_period(text, date(2026, 12, 3), "UTC")
    assert why in caught.value.msgid


def test_scopes_from_the_command_line() -> None:
    assert parse_scope("subscriptions:42") == Scope("subscriptions", user_id=42)
    assert parse_scope("region:ru-vlg") == Scope("region", "RU-VLG")
    assert parse_scope("country:KZ") == Scope("country", "KZ")
    assert parse_scope("pair:RU-VLG-KZ-75") == Scope("pair", "RU-VLG", "KZ-75")
    assert parse_scope("pair:RU-KZ") == Scope("pair", "RU", "KZ")
    assert parse_scope("pair:RU-OMS~KZ") == Scope("pair", "RU-OMS", "KZ")
    for bad in ("region:KZ", "country:RU-VLG", "pair:RU-VLG-XX-99", "planet:Mars", "subscriptions:me", "region:"):
        with pytest.raises(ReportInputError):
            parse_scope(bad)


def test_wire_codes_round_trip_and_forged_ones_are_refused() -> None:
    for scope in (Scope("region", "RU-VLG"), Scope("country", "KG"), Scope("pair", "RU-VLG", "KZ-75")):
        assert parse_wire(scope.wire(), 7) == scope
    assert parse_wire("s", 7) == Scope("subscriptions", user_id=7)
    for forged in ("x.RU", "r.ZZ-ZZ", "p.RU-VLG.RU-VLG", "p.RU-VLG", ""):
        with pytest.raises(ReportInputError):
            parse_wire(forged, 7)
