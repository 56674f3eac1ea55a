"""This folder's tests run on both engines: SQLite and PostgreSQL (see tests/engines.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def db_url(any_engine_db_url: str) -> str:
    return any_engine_db_url
