"""Database problems an operator must fix (a bad URL, a folder we cannot write, a server that is down).

They are raised instead of SQLAlchemy's own exceptions so the CLI can say what is wrong in one line,
in the operator's language, without a traceback. `reason` picks the message; `detail` is the driver's
own words, kept short.
"""

from __future__ import annotations

from typing import Literal

Reason = Literal["url", "driver", "unwritable", "unreachable"]


class DatabaseSetupError(Exception):
    def __init__(self, reason: Reason, url: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: Reason = reason
        self.url = url  # already rendered without a password
        self.detail = detail.strip().splitlines()[0][:200] if detail.strip() else ""
