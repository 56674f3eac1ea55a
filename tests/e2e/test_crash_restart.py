"""A sender process killed mid-broadcast and restarted: the rest is delivered, nothing is repeated.

The outbox is at-least-once (see bot/sender.py). A row stays `pending` until Telegram accepted the
message *and* we committed `sent`. The one window the design cannot close is between those two
moments: if the process dies there, that message goes out again after restart — a duplicate,
never a loss, and at most one per worker in flight. The first test kills the process where no
message is in that window (every worker waits on a send Telegram has not accepted) and proves
nothing is repeated; the second kills it inside the window and shows exactly which way it errs.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from sandbox.fake_api import FakeTelegram, TranscriptEvent
from storage import Database
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import add_article, add_users, match, statuses

USERS = 120
KILL_AFTER = 50
WORKERS = 4
RATE = 250.0


async def _spawn_sender(db_url: str, tg: FakeTelegram, log: Path) -> asyncio.subprocess.Process:
    """A sender process that imports now and drains when told to (see _go)."""
    with log.open("ab") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.e2e.drain_outbox", db_url, tg.base_url, tg.token, str(RATE), str(WORKERS),
            cwd=REPO_ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL, stderr=err,
        )


async def _go(process: asyncio.subprocess.Process) -> asyncio.subprocess.Process:
    assert process.stdin is not None
    process.stdin.write(b"go\n")
    await process.stdin.drain()
    return process


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def _finish(process: asyncio.subprocess.Process, log: Path) -> None:
    code = await asyncio.wait_for(process.wait(), timeout=60)
    assert code == 0, _tail(log)


async def _broadcast(db: Database, first_id: int) -> list[int]:
    ids = await add_users(db, range(first_id, first_id + USERS), region="RU-VLG")
    assert len((await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))).instant) == USERS
    return ids


def _counter(tg: FakeTelegram, target: int) -> asyncio.Event:
    """Set once the fake has delivered `target` messages."""
    reached = asyncio.Event()

    def on_event(event: TranscriptEvent) -> None:
        if event.direction == "out" and event.kind == "message" and len(tg.send_log) >= target:
            reached.set()

    tg.on_event(on_event)
    return reached


async def test_killed_between_messages_restart_delivers_the_rest_once(db: Database, tmp_path: Path) -> None:
    ids = await _broadcast(db, 3_000_001)
    log = tmp_path / "sender.log"
    async with FakeTelegram(global_rate=300) as tg:
        for user_id in ids:
            tg.user(user_id)
        tg.hold_sends_after(KILL_AFTER)
        first = await _go(await _spawn_sender(db.url, tg, log))
        restarted = await _spawn_sender(db.url, tg, log)  # importing while the first one works
        # Every worker is parked on a send Telegram has not accepted. A worker takes the next chat only
        # after recording the last one, so all KILL_AFTER accepted messages are committed `sent` by now.
        await tg.wait_held(WORKERS, timeout=60)  # two processes import side by side: slow on a busy host
        first.kill()
        await first.wait()
        assert len(tg.send_log) == KILL_AFTER
        owed = await statuses(db)
        assert owed.pop("sent") == KILL_AFTER
        # the rest waits: pending, or on PostgreSQL also claimed ("sending") by the dead process
        assert sum(owed.values()) == USERS - KILL_AFTER and set(owed) <= {"pending", "sending"}

        tg.abandon_held()  # the dead process's parked requests are never delivered
        await _finish(await _go(restarted), log)
        assert [len(tg.messages(user_id)) for user_id in ids] == [1] * USERS
        assert tg.flood_violations == 0
    assert await statuses(db) == {"sent": USERS}


@asynccontextmanager
async def _outbox_writes_blocked(db_url: str) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Another connection stops every write to the outbox until the returned `release` is awaited.

    SQLite: it holds the database's write lock. PostgreSQL: it holds a SHARE lock on `deliveries`,
    which lets the sender read its batch but not record `sent`.
    """
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        blocker = sqlite3.connect(url.database or "", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")

        async def release_sqlite() -> None:
            blocker.execute("ROLLBACK")

        try:
            yield release_sqlite
        finally:
            blocker.close()
        return
    import asyncpg

    connection = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    transaction = connection.transaction()
    await transaction.start()
    await connection.execute("LOCK TABLE deliveries IN SHARE MODE")

    async def release_postgres() -> None:
        await transaction.rollback()

    try:
        yield release_postgres
    finally:
        await connection.close()


async def test_killed_inside_the_window_errs_toward_a_duplicate_never_a_loss(db: Database, tmp_path: Path) -> None:
    ids = await _broadcast(db, 3_100_001)
    log = tmp_path / "sender.log"
    # PostgreSQL senders claim their rows (a write) before sending, so there the writes are blocked
    # only once every worker has claimed and is parked on a send the fake holds back.
    claims_first = make_url(db.url).get_backend_name() == "postgresql"
    # Another connection blocks writes to the outbox, so the sender cannot commit `sent` after Telegram
    # accepts: each worker sends one message and then waits — exactly the window, WORKERS messages wide.
    async with contextlib.AsyncExitStack() as stack:
        tg = await stack.enter_async_context(FakeTelegram(global_rate=300))
        for user_id in ids:
            tg.user(user_id)
        accepted = _counter(tg, WORKERS)
        if claims_first:
            tg.hold_sends_after(0)
        else:
            release = await stack.enter_async_context(_outbox_writes_blocked(db.url))
        first = await _go(await _spawn_sender(db.url, tg, log))
        restarted = await _spawn_sender(db.url, tg, log)
        if claims_first:
            await tg.wait_held(WORKERS, timeout=60)
            release = await stack.enter_async_context(_outbox_writes_blocked(db.url))
            tg.release_held()
        await asyncio.wait_for(accepted.wait(), timeout=60)
        first.kill()
        await first.wait()
        assert len(tg.send_log) == WORKERS
        await release()

        await _finish(await _go(restarted), log)
        counts = [len(tg.messages(user_id)) for user_id in ids]
        assert min(counts) == 1  # nobody missed the alert
        assert counts.count(2) == WORKERS and max(counts) == 2  # the window's messages, sent twice
    assert await statuses(db) == {"sent": USERS}
