"""Retry policy pieces: which answers deserve another try, and how long to wait."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def backoff_delay(attempt: int, base: float, cap: float, jitter: float) -> float:
    """Exponential backoff with jitter: base·2^attempt scaled by 0.5–1.5 (jitter in [0, 1)), capped."""
    return min(cap, base * (2**attempt) * (0.5 + jitter))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
