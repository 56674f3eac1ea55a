"""REDIS_URL: the shared send rate and aiogram's FSM storage in a real redis-server on 127.0.0.1.

The server comes from COOPNEWS_TEST_REDIS_URL (`.ci/redis.sh start` prints it; `.ci/run` sets it) or,
without it, is started here from a local redis-server binary on a free port, saving nothing. With
neither, the tests skip saying so locally and fail under CI=true.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisStorage

from app.runner import _fsm_storage, _shared_rate
from app.settings import Settings
from storage import Database
from storage.rate_slots import RedisRateSlots
from tests.e2e.test_roles import most_in_window

REDIS_URL_ENV = "COOPNEWS_TEST_REDIS_URL"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    given = os.environ.get(REDIS_URL_ENV, "").strip()
    if given:
        yield given
        return
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server")
                                              else None)
    if binary is None:
        reason = f"{REDIS_URL_ENV} is not set and no redis-server is installed (run `eval \"$(.ci/redis.sh start)\"`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):  # until it accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
async def slots(redis_url: str) -> AsyncIterator[list[RedisRateSlots]]:
    made = [RedisRateSlots(redis_url, 40.0, name=f"test-{os.getpid()}-{id(redis_url)}") for _ in range(2)]
    await made[0].client.delete(made[0].key)
    try:
        yield made
    finally:
        for bucket in made:
            await bucket.close()


async def test_the_redis_rate_paces_two_processes_together(slots: list[RedisRateSlots]) -> None:
    rate, sends = 40.0, 100
    loop = asyncio.get_running_loop()
    granted: list[float] = []

    async def process(bucket: RedisRateSlots) -> None:  # each with its own connection, as two processes
        while len(granted) < sends:
            wait = await bucket.take()
            if wait > 0:
                await asyncio.sleep(wait)
            else:
                granted.append(loop.time())

    await asyncio.gather(*(process(bucket) for bucket in slots))
    assert most_in_window(granted, 0.95) <= rate  # Redis's second, seen from here (±a round trip)
    recent = [float(x) for x in await slots[0].client.lrange(slots[0].key, 0, -1)][::-1]  # Redis's clock
    assert len(recent) == rate and min(b - a for a, b in itertools.pairwise(recent)) >= 0.5 / rate
    assert (len(granted) - 1) / (max(granted) - min(granted)) == pytest.approx(rate, rel=0.1)


async def test_redis_url_puts_the_rate_and_the_fsm_in_redis(redis_url: str, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, redis_url=redis_url,
                        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    db = Database(settings.database_url)
    rate = _shared_rate(settings, db)
    storage = _fsm_storage(settings)
    try:
        assert isinstance(rate, RedisRateSlots)
        assert isinstance(storage, RedisStorage)
        key = StorageKey(bot_id=1, chat_id=2, user_id=3)
        await storage.set_state(key, "subscribe:choosing")
        await storage.set_data(key, {"region": "RU-VLG"})
        again = RedisStorage.from_url(redis_url)  # another bot process reads the same conversation
        try:
            assert await again.get_state(key) == "subscribe:choosing"
            assert await again.get_data(key) == {"region": "RU-VLG"}
        finally:
            await again.close()
    finally:
        await storage.close()
        assert rate is not None
        await rate.close()
        await db.dispose()


def test_without_redis_url_the_fsm_stays_in_memory(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    assert _fsm_storage(settings) is None
    assert _shared_rate(settings, Database(settings.database_url)) is None  # SQLite: the local limiter


def test_a_redis_url_that_is_not_one_is_refused() -> None:
    from app.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match=r"(?i)redis_url"):
        load_settings(_env_file=None, redis_url="localhost:6379")
