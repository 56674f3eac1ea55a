"""A database-held lock so only one `coopnews run` works on a database at a time.

A row with a heartbeat, not a file lock: it works the same on SQLite and PostgreSQL and across
hosts. A lock whose heartbeat is older than STALE_AFTER belongs to a process that died.
"""

from __future__ import annotations

from datetime import timedelta

from storage.clock import utcnow
from storage.models import InstanceLock
from storage.uow import Database

STALE_AFTER = timedelta(seconds=90)
LOCK_NAME = "run"


class AlreadyRunning(Exception):
    """Another live process holds the lock."""


async def acquire(db: Database, owner: str) -> None:
    async with db.write() as uow:  # BEGIN IMMEDIATE: check and take in one step
        row = await uow.session.get(InstanceLock, LOCK_NAME)
        now = utcnow()
        if row is not None and row.owner != owner and now - row.heartbeat_at < STALE_AFTER:
            age = int((now - row.heartbeat_at).total_seconds())
            raise AlreadyRunning(f"another coopnews run ({row.owner}) uses this database; last seen {age} s ago")
        if row is None:
            uow.session.add(InstanceLock(name=LOCK_NAME, owner=owner, heartbeat_at=now))
        else:
            row.owner, row.heartbeat_at = owner, now
        await uow.commit()


async def heartbeat(db: Database, owner: str) -> None:
    async with db.write() as uow:
        row = await uow.session.get(InstanceLock, LOCK_NAME)
        if row is not None and row.owner == owner:
            row.heartbeat_at = utcnow()
            await uow.commit()


async def release(db: Database, owner: str) -> None:
    async with db.write() as uow:
        row = await uow.session.get(InstanceLock, LOCK_NAME)
        if row is not None and row.owner == owner:
            await uow.session.delete(row)
            await uow.commit()
