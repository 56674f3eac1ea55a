"""Process roles (`coopnews run --role …`): which parts of Coopnews one process runs.

- all: everything in one process (the only role on SQLite);
- bot: the dispatcher (long polling) and its replies, `/digest` and `/scrape` included;
- scraper: the poll scheduler, ingest and matching (deliveries go to the outbox), and the timed jobs
  that find what is owed: digests, weekly summaries, surges;
- sender: the outbox drain only.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["all", "bot", "scraper", "sender"]
ROLES: tuple[Role, ...] = ("all", "bot", "scraper", "sender")


def runs_bot(role: Role) -> bool:
    return role in ("all", "bot")


def runs_scraper(role: Role) -> bool:
    return role in ("all", "scraper")


def runs_sender(role: Role) -> bool:
    return role in ("all", "sender")
