"""Source health policy as pure functions over failure counters."""

from __future__ import annotations

from typing import Literal

MAX_INTERVAL = 24 * 3600  # a broken source is still retried daily
DOWN_THRESHOLD = 5

Transition = Literal["down", "recovered"]


def next_interval(base_interval: int, consecutive_failures: int, min_interval: int) -> int:
    """Poll interval after N failures in a row: doubles per failure, never below min nor above a day."""
    base = max(base_interval, min_interval)
    exponent = min(max(consecutive_failures, 0), 32)  # bounded so the power stays small
    return int(max(min_interval, min(MAX_INTERVAL, base * 2**exponent)))


def is_down(consecutive_failures: int, threshold: int = DOWN_THRESHOLD) -> bool:
    """A source is down once it has failed `threshold` polls in a row."""
    return consecutive_failures >= threshold


def transition(old_failures: int, new_failures: int, threshold: int = DOWN_THRESHOLD) -> Transition | None:
    """ "down" when a source crosses the threshold, "recovered" when a down source succeeds again."""
    was_down = is_down(old_failures, threshold)
    now_down = is_down(new_failures, threshold)
    if now_down and not was_down:
        return "down"
    if was_down and not now_down:
        return "recovered"
    return None
