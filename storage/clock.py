"""The one clock every package reads: timezone-aware UTC now (stored as naive UTC by storage's column type)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
