"""Several processes on one PostgreSQL (issue 15): each delivery sent once, the rate shared, digests once,
each source polled by one scraper at a time.

"Processes" here are separate Database engines (own connection pools) and separate Bots in one
test: to the database they are as separate as two processes. bench/bench_delivery_two_senders.py
runs real sender processes.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from app.digests import DigestService
from app.ingest import IngestReport, spec_of
from app.leased_polls import LeasedPolls
from bot.sender import Sender
from bot.throttle import TelegramThrottle
from sandbox.fake_api import FakeTelegram
from scrapers.sources import SourceConfig
from storage import Database
from storage.models import Delivery, RateSlot
from storage.rate_slots import DatabaseRateSlots
from tests.e2e.conftest import add_article, add_users, match, statuses
from tests.e2e.test_crash_restart import _counter

TELEGRAM_LIMIT = 30
SHARED_RATE = 28.0  # at most 28 grants in any second, whichever process asks
USERS = 140


@pytest.fixture
def db_url(postgres_db_url: str) -> str:
    """Only PostgreSQL shares work between processes (on SQLite one process holds the instance lock)."""
    return postgres_db_url


@pytest.fixture
async def peer(db_url: str) -> AsyncIterator[Database]:
    """A second process's view of the same database: its own engine and connection pool."""
    other = Database(db_url)
    try:
        yield other
    finally:
        await other.dispose()


def shared_bot(tg: FakeTelegram, db: Database, rate: float = SHARED_RATE) -> Bot:
    """A Bot whose global rate is kept in the database, as `coopnews run` builds it on PostgreSQL."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(tg.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    bot.session.middleware(TelegramThrottle(rate, 1.0, shared=DatabaseRateSlots(db.engine, rate)))
    return bot


async def test_two_senders_send_each_delivery_once_and_together_keep_the_rate(db: Database, peer: Database) -> None:
    ids = await add_users(db, range(6_100_001, 6_100_001 + USERS), region="RU-VLG")
    assert len((await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))).instant) == USERS
    async with FakeTelegram(global_rate=TELEGRAM_LIMIT) as tg:
        for user_id in ids:
            tg.user(user_id)
        everything = _counter(tg, USERS)
        bots = [shared_bot(tg, db), shared_bot(tg, peer)]
        senders = [Sender(bots[0], db, holder="sender A"), Sender(bots[1], peer, holder="sender B")]
        stop = asyncio.Event()
        workers = [asyncio.create_task(s.run(stop)) for s in senders]
        try:
            await asyncio.wait_for(everything.wait(), timeout=60)
        finally:
            stop.set()
            for sender in senders:
                sender.wake()
            await asyncio.gather(*workers)
            for bot in bots:
                await bot.session.close()
        per_chat = Counter(record.chat_id for record in tg.send_log)
        assert sorted(per_chat) == ids and set(per_chat.values()) == {1}  # each alert once, none lost
        assert all(s.sent > USERS // 5 for s in senders), [s.sent for s in senders]  # both did their share
        assert tg.flood_violations == 0
        assert tg.max_sends_in_window(1.0) <= TELEGRAM_LIMIT
        steady = [record.at for record in tg.send_log][10:-10]  # without the start (imports, first claims)
        # shared, not halved: one loop here runs both senders and the fake; bench/ measures real processes
        assert (len(steady) - 1) / (steady[-1] - steady[0]) > SHARED_RATE * 0.75
    assert await statuses(db) == {"sent": USERS}


async def test_a_claim_is_exclusive_and_an_unfinished_one_returns_after_its_time(db: Database, peer: Database) -> None:
    ids = await add_users(db, range(6_200_001, 6_200_011), region="RU-VLG")
    await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))
    until = datetime.now(UTC) + timedelta(minutes=5)
    async with db.write() as first, peer.write() as second:  # both transactions open at once
        mine = await first.deliveries.claim_due(6, "A", until, per_chat=5)
        theirs = await second.deliveries.claim_due(100, "B", until, per_chat=5)  # skips A's locked rows
        await first.commit()
        await second.commit()
    assert len(mine) == 6 and len(theirs) == 4
    assert {d.id for d in mine}.isdisjoint(d.id for d in theirs)
    async with peer.write() as uow:
        assert await uow.deliveries.claim_due(100, "B", until, per_chat=5) == []  # all claimed, none due
    async with db.write() as uow:  # A died: its claim lapses
        await uow.session.execute(
            Delivery.__table__.update()
            .where(Delivery.claimed_by == "A")
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        await uow.commit()
    async with peer.write() as uow:
        again = await uow.deliveries.claim_due(100, "B", until, per_chat=5)
        await uow.commit()
    assert sorted(d.id for d in again) == sorted(d.id for d in mine)
    async with peer.write() as uow:
        assert await uow.deliveries.release_claims("B") == len(ids)
        await uow.commit()
    assert await statuses(db) == {"pending": len(ids)}


async def test_a_killed_sender_s_claims_go_back_at_once_on_the_same_host(db: Database) -> None:
    await add_users(db, range(6_300_001, 6_300_004), region="RU-VLG")
    await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))
    dead = await asyncio.create_subprocess_exec("true")
    await dead.wait()
    async with db.write() as uow:
        claimed = await uow.deliveries.claim_due(
            10, f"pid {dead.pid} on {socket.gethostname()}", datetime.now(UTC) + timedelta(hours=1),
            per_chat=5,
        )
        await uow.commit()
    assert len(claimed) == 3
    async with FakeTelegram(per_chat_rate=None) as tg:
        for user_id in range(6_300_001, 6_300_004):
            tg.user(user_id)
        bot = shared_bot(tg, db)
        try:
            assert await Sender(bot, db).drain_once() == 3  # not an hour later
        finally:
            await bot.session.close()
    assert await statuses(db) == {"sent": 3}


async def test_two_scrapers_send_one_digest_per_user_and_day(db: Database, peer: Database) -> None:
    ids = await add_users(db, range(6_400_001, 6_400_021), region="RU-VLG", mode="digest")
    await match(db, await add_article(db, "Вологда и Алматы подписали меморандум"))
    nine_in_moscow = datetime(2026, 12, 7, 6, 1, tzinfo=UTC)
    async with db.write() as uow:  # the alerts were matched this morning
        await uow.session.execute(Delivery.__table__.update().values(created_at=nine_in_moscow - timedelta(hours=2)))
        await uow.commit()
    async with FakeTelegram(per_chat_rate=None) as tg:
        for user_id in ids:
            tg.user(user_id)
        bots = [shared_bot(tg, db), shared_bot(tg, peer)]
        services = [DigestService(db, Sender(bots[0], db)), DigestService(peer, Sender(bots[1], peer))]
        try:
            sent = await asyncio.gather(*(s.run_due(nine_in_moscow) for s in services))
            sent_again = await asyncio.gather(*(s.run_due(nine_in_moscow + timedelta(minutes=1)) for s in services))
        finally:
            for bot in bots:
                await bot.session.close()
        assert sum(sent) == len(ids) and sum(sent_again) == 0
        assert Counter(record.chat_id for record in tg.send_log) == dict.fromkeys(ids, 1)
    assert await statuses(db) == {"digested": len(ids)}


def _sources(n: int) -> list[SourceConfig]:
    return [SourceConfig(id=f"site-{i}", name=f"Site {i}", url=f"http://127.0.0.1:9/{i}/") for i in range(n)]


async def test_two_scrapers_never_poll_one_source_at_once(db: Database, peer: Database) -> None:
    sources = _sources(6)
    async with db.write() as uow:
        for source in sources:
            await uow.sources.sync_one(spec_of(source))
        await uow.commit()
    running: Counter[str] = Counter()
    overlaps: list[str] = []
    polls: Counter[str] = Counter()

    async def slow_poll(source: SourceConfig) -> IngestReport:
        running[source.id] += 1
        if running[source.id] > 1:
            overlaps.append(source.id)
        polls[source.id] += 1
        await asyncio.sleep(0.05)
        running[source.id] -= 1
        return IngestReport(source.id)

    rounds = 8
    scrapers = [LeasedPolls(db, "scraper A", slow_poll, lambda s: 1), LeasedPolls(peer, "scraper B", slow_poll,
                                                                            lambda s: 1)]
    for _round in range(rounds):  # both timers fire for every source at the same moment, again and again
        await asyncio.gather(*(scraper.poll(s) for s in sources for scraper in scrapers))
        await asyncio.sleep(0.3)  # the 0.8 s cool-down lapses every third round or so: then both race for it
    assert overlaps == []
    # every round exactly one of the two polled each source, and the other stood aside
    assert polls == dict.fromkeys((s.id for s in sources), rounds)
    assert sum(scraper.skipped for scraper in scrapers) == len(sources) * rounds


async def test_a_crashed_scraper_s_lease_expires_and_another_takes_the_source(db: Database, peer: Database) -> None:
    async with db.write() as uow:
        assert await uow.leases.take("site-0", "scraper A", timedelta(seconds=1))
        await uow.commit()
    async with peer.write() as uow:
        assert not await uow.leases.take("site-0", "scraper B", timedelta(seconds=90))
        await uow.commit()
    await asyncio.sleep(1.2)  # A died without a word: its lease runs out
    async with peer.write() as uow:
        assert await uow.leases.take("site-0", "scraper B", timedelta(seconds=90))
        await uow.commit()
    async with db.read() as uow:
        assert await uow.leases.holders() == {"site-0": "scraper B"}


def most_in_window(times: list[float], window: float = 1.0) -> int:
    times, best, start = sorted(times), 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_shared_rate_slots_pace_two_processes_together(db: Database, peer: Database) -> None:
    rate, sends = 40.0, 100
    loop = asyncio.get_running_loop()
    granted: list[float] = []

    async def process(slots: DatabaseRateSlots) -> None:
        while len(granted) < sends:
            wait = await slots.take()
            if wait > 0:
                await asyncio.sleep(wait)
            else:
                granted.append(loop.time())

    await asyncio.gather(process(DatabaseRateSlots(db.engine, rate)), process(DatabaseRateSlots(peer.engine, rate)))
    # the window is the database's second; these times are ours, taken when each answer arrived (±a round trip)
    assert most_in_window(granted, 0.95) <= rate
    async with db.read() as uow:  # the latest grants on the database's own clock: never closer than half a step
        recent = (await uow.session.get(RateSlot, "telegram")).recent  # type: ignore[union-attr]
    assert len(recent) == rate and min(b - a for a, b in itertools.pairwise(recent)) >= 0.5 / rate
    assert (len(granted) - 1) / (max(granted) - min(granted)) == pytest.approx(rate, rel=0.1)


async def test_sqlite_keeps_the_local_limiter(tmp_path: Path) -> None:
    sqlite = Database(f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}")
    try:
        assert not sqlite.shared
        with pytest.raises(ValueError, match="PostgreSQL"):
            DatabaseRateSlots(sqlite.engine, 25.0)
    finally:
        await sqlite.dispose()

