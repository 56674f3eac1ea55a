"""`coopnews run` as a real process: it answers users, stops cleanly on SIGTERM, and runs only once per database."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from sqlalchemy import select

from sandbox.fake_api import FakeTelegram
from sandbox.site_server import SiteServer, sources_for, write_sources_toml
from scrapers.sources import load_sources
from storage import Database
from storage.models import InstanceLock

COOPNEWS = Path(sys.executable).with_name("coopnews")


async def _spawn(env: dict[str, str], folder: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            str(COOPNEWS), "run", cwd=folder, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )


async def test_run_answers_stops_on_sigterm_and_refuses_a_second_instance(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}"
    async with SiteServer() as sites, FakeTelegram() as tg:
        sources_file = tmp_path / "sources.toml"
        vologda = [s for s in load_sources().sources if s.id == "vologda-ru"]
        write_sources_toml(sources_for(sites, vologda), sources_file)
        env = {
            **os.environ,
            "BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": tg.base_url,
            "DATABASE_URL": db_url,
            "SOURCES_FILE": str(sources_file),
            "ADMIN_IDS": "",
            "LOG_LEVEL": "WARNING",
        }
        first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
        first = await _spawn(env, tmp_path, first_log)
        try:
            await tg.wait_for_poller(timeout=60)  # the bot is up and long-polling
            second = await _spawn(env, tmp_path, second_log)
            user = tg.user(7_000_001, "Анна")
            user.send("/start")
            (welcome,) = await user.wait_for(1, timeout=20)
            assert "Здравствуйте, Анна" in welcome.text

            assert await asyncio.wait_for(second.wait(), timeout=60) != 0
            refused = second_log.read_text(errors="replace")
            assert "другой coopnews run" in refused and "с этой базой" in refused, refused

            first.send_signal(signal.SIGTERM)
            asked = time.monotonic()
            assert await asyncio.wait_for(first.wait(), timeout=15) == 0, first_log.read_text(errors="replace")
            print(f"stopped {time.monotonic() - asked:.2f} s after SIGTERM")
            assert time.monotonic() - asked < 5.0  # no hanging long poll or lingering job
        finally:
            if first.returncode is None:
                first.kill()
                await first.wait()
        assert sites.hits["/vologda-ru/list.html"] >= 1  # its scheduler polled the source on start

    db = Database(db_url)
    try:
        async with db.read() as uow:
            assert list(await uow.session.scalars(select(InstanceLock))) == []  # the lock was released
    finally:
        await db.dispose()
