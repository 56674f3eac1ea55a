"""Source health policy."""

from __future__ import annotations

import pytest

from scrapers.health import MAX_INTERVAL, is_down, next_interval, transition


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 600), (1, 1200), (2, 2400), (3, 4800), (7, 76800), (8, MAX_INTERVAL), (500, MAX_INTERVAL)],
)
def test_interval_doubles_up_to_a_day(failures: int, expected: int) -> None:
    assert next_interval(600, failures, 60) == expected


def test_interval_respects_minimum() -> None:
    assert next_interval(10, 0, 60) == 60
    assert next_interval(1, 0, 1) == 1


def test_down_after_threshold() -> None:
    assert not is_down(4)
    assert is_down(5)
    assert is_down(2, threshold=2)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [(4, 5, "down"), (5, 6, None), (7, 0, "recovered"), (0, 0, None), (3, 0, None), (0, 1, None)],
)
def test_transitions(old: int, new: int, expected: str | None) -> None:
    assert transition(old, new) == expected
