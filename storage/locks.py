"""A database-held lock so only one `coopnews run` works on a database at a time.

On PostgreSQL, where roles share a database, the lock is named: POLLING_LOCK keeps a second
long-polling bot off the token (Telegram serves getUpdates to one consumer), while scrapers and
senders coordinate through leases and claims and take no lock.

A row with a heartbeat, not a file lock: it works the same on SQLite and PostgreSQL and across
hosts. A lock whose heartbeat is older than STALE_AFTER belongs to a process that died. On the
same host we need not wait for that: if the owner's pid is gone, the lock is taken over at once.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from storage.clock import utcnow
from storage.models import InstanceLock
from storage.uow import Database

STALE_AFTER = timedelta(seconds=90)
LOCK_NAME = "run"
POLLING_LOCK = "polling"
_OWNER = re.compile(r"^pid (?P<pid>\d+) on (?P<host>.+)$")


class AlreadyRunning(Exception):
    """Another live process holds the lock."""

    def __init__(self, holder: str, seen_seconds_ago: int) -> None:
        super().__init__(f"another coopnews run ({holder}) uses this database; last seen {seen_seconds_ago} s ago")
        self.holder = holder
        self.seen_seconds_ago = seen_seconds_ago


def owner_name(pid: int | None = None, host: str | None = None) -> str:
    """The lock owner's name: which process on which host, so a successor can tell if it still lives."""
    return f"pid {pid if pid is not None else os.getpid()} on {host or socket.gethostname()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def owner_is_dead(owner: str) -> bool:
    """True when the owner ran on this host and its process no longer exists."""
    parsed = _OWNER.match(owner)
    if parsed is None or parsed["host"] != socket.gethostname():
        return False  # another host (or an unknown shape): only the lease can tell
    return not _pid_alive(int(parsed["pid"]))


async def acquire(db: Database, owner: str, name: str = LOCK_NAME) -> None:
    try:
        await _take(db, owner, name)
    except IntegrityError:  # PostgreSQL: another process inserted the first row a moment before us
        await _take(db, owner, name)


async def _take(db: Database, owner: str, name: str) -> None:
    async with db.write() as uow:  # BEGIN IMMEDIATE: check and take in one step
        # on PostgreSQL FOR UPDATE orders two processes starting at once (a first take is a unique insert)
        row = await uow.session.get(InstanceLock, name, with_for_update=db.shared)
        now = utcnow()
        live = row is not None and now - row.heartbeat_at < STALE_AFTER and not owner_is_dead(row.owner)
        if row is not None and row.owner != owner and live:
            raise AlreadyRunning(row.owner, int((now - row.heartbeat_at).total_seconds()))
        if row is None:
            uow.session.add(InstanceLock(name=name, owner=owner, heartbeat_at=now))
        else:
            row.owner, row.heartbeat_at = owner, now
        await uow.commit()


async def heartbeat(db: Database, owner: str, name: str = LOCK_NAME) -> None:
    async with db.write() as uow:
        row = await uow.session.get(InstanceLock, name)
        if row is not None and row.owner == owner:
            row.heartbeat_at = utcnow()
            await uow.commit()


async def release(db: Database, owner: str, name: str = LOCK_NAME) -> None:
    async with db.write() as uow:
        row = await uow.session.get(InstanceLock, name)
        if row is not None and row.owner == owner:
            await uow.session.delete(row)
            await uow.commit()
