"""An operator's first hour: a rejected token, Ctrl+C, broken settings and missing files each end in one clear line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from sandbox.fake_api import FakeTelegram
from sandbox.site_server import SiteServer, sources_for, write_sources_toml
from scrapers.sources import load_sources
from storage import Database, locks
from storage.models import InstanceLock
from tests.conftest import REPO_ROOT

COOPNEWS = Path(sys.executable).with_name("coopnews")
WRONG_TOKEN = "123456789:AAwrongwrongwrongwrongwrongwrongwr"


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "XDG_CACHE_HOME", "SYSTEMROOT"}}
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'op.sqlite3'}", "ADMIN_IDS": "", **keep, **values}


def _cli(tmp_path: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COOPNEWS), *args], cwd=tmp_path, env=_env(tmp_path, **env), capture_output=True, text=True,
        timeout=timeout,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, result.stderr
    return " ".join(lines)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DATABASE_URL": "foo"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql+nodriver://x/y"}, "DATABASE_URL"),
        ({"SOURCES_FILE": "/nonexistent/sources.toml"}, "SOURCES_FILE"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
    ],
)
def test_configuration_errors_are_one_line_in_russian_naming_the_variable(
    tmp_path: Path, env: dict[str, str], names: str
) -> None:
    line = _one_clear_line(_cli(tmp_path, "scrape", "--once", **env))
    assert names in line
    assert any("а" <= ch <= "я" for ch in line.lower()), f"not Russian: {line}"


def test_configuration_errors_follow_default_language(tmp_path: Path) -> None:
    line = _one_clear_line(_cli(tmp_path, "scrape", "--once", SOURCES_FILE="/nonexistent.toml", DEFAULT_LANGUAGE="en"))
    assert "SOURCES_FILE" in line and "not a readable file" in line
    from_dotenv = tmp_path / ".env"
    from_dotenv.write_text("DEFAULT_LANGUAGE=en\nLOG_LEVEL=loud\n", encoding="utf-8")
    line = _one_clear_line(_cli(tmp_path, "sources"))
    assert "LOG_LEVEL" in line and "must be one of" in line


def test_unwritable_database_path_and_broken_sources_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    line = _one_clear_line(_cli(tmp_path, "db", "upgrade", DATABASE_URL=f"sqlite:///{blocker}/coop.sqlite3"))
    assert "DATABASE_URL" in line and "not-a-folder" in line
    broken = tmp_path / "sources.toml"
    broken.write_text("[[sources]\nid = ", encoding="utf-8")
    line = _one_clear_line(_cli(tmp_path, "scrape", "--once", SOURCES_FILE=str(broken)))
    assert "SOURCES_FILE" in line and "TOML" in line


def test_unreachable_postgres_is_one_line_without_the_password(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = _one_clear_line(_cli(tmp_path, "db", "upgrade", DATABASE_URL=f"postgresql://coop:hunter2@127.0.0.1:{port}/x"))
    assert "DATABASE_URL" in line or "127.0.0.1" in line
    assert "hunter2" not in line


async def test_a_rejected_token_stops_run_within_30_s_with_one_line(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            str(COOPNEWS), "run", cwd=tmp_path, env=_env(tmp_path, BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_URL=tg.base_url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        elapsed = time.monotonic() - started
    text = (out + err).decode()
    assert proc.returncode not in (0, None), text
    assert elapsed < 30
    assert "BOT_TOKEN" in text and "401" in text
    assert "Traceback" not in text and WRONG_TOKEN not in text and WRONG_TOKEN.split(":")[1] not in text
    assert len([line for line in err.decode().splitlines() if "BOT_TOKEN" in line]) == 1


async def test_a_token_revoked_while_running_stops_the_process(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        sources_file = tmp_path / "sources.toml"
        write_sources_toml([], sources_file)
        env = _env(tmp_path, BOT_TOKEN=tg.token, TELEGRAM_API_URL=tg.base_url, LOG_LEVEL="WARNING")
        proc = await asyncio.create_subprocess_exec(
            str(COOPNEWS), "run", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            await tg.wait_for_poller(timeout=60)
            tg.token = "999:revoked-revoked-revoked-revoked"  # Telegram now answers 401 to the old token
            out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    text = (out + err).decode()
    assert proc.returncode not in (0, None), text
    assert "BOT_TOKEN" in text and "Traceback" not in text


async def _start_run(
    tmp_path: Path, tg: FakeTelegram, sites: SiteServer, argv: list[str]
) -> asyncio.subprocess.Process:
    sources_file = tmp_path / "sources.toml"
    vologda = [s for s in load_sources().sources if s.id == "vologda-ru"]
    write_sources_toml(sources_for(sites, vologda), sources_file)
    env = _env(tmp_path, BOT_TOKEN=tg.token, TELEGRAM_API_URL=tg.base_url, SOURCES_FILE=str(sources_file),
               LOG_LEVEL="INFO")
    return await asyncio.create_subprocess_exec(
        *argv, cwd=REPO_ROOT if argv[0] == sys.executable else tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True,
    )


async def _lock_rows(tmp_path: Path) -> list[InstanceLock]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'op.sqlite3'}")
    try:
        async with db.read() as uow:
            return list(await uow.session.scalars(select(InstanceLock)))
    finally:
        await db.dispose()


@pytest.mark.parametrize("wrapper", ["coopnews", "tasks.py"])
async def test_ctrl_c_stops_within_10_s_without_traceback_and_frees_the_lock(tmp_path: Path, wrapper: str) -> None:
    argv = [str(COOPNEWS), "run"]
    if wrapper == "tasks.py":  # the README's `python3 tasks.py run`: its forwarding, with this venv's coopnews
        argv = [sys.executable, "-c", f"import sys, tasks; sys.exit(tasks._run_forwarding({str(COOPNEWS)!r}, 'run'))"]
    async with SiteServer() as sites, FakeTelegram() as tg:
        proc = await _start_run(tmp_path, tg, sites, argv)
        try:
            await tg.wait_for_poller(timeout=60)
            await asyncio.sleep(0.5)
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl+C does: the whole foreground group
            asked = time.monotonic()
            out, err = await asyncio.wait_for(proc.communicate(), timeout=15)
            took = time.monotonic() - asked
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    text = (out + err).decode()
    assert proc.returncode == 0, text
    assert took < 10.0, f"took {took:.1f} s"
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert await _lock_rows(tmp_path) == []


async def test_a_lock_left_by_a_dead_process_is_taken_over_at_once(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'op.sqlite3'}")
    try:
        await db.upgrade()
        dead = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
        await dead.wait()
        await locks.acquire(db, locks.owner_name(dead.pid))  # a run that was killed -9 a moment ago
        await locks.acquire(db, locks.owner_name())  # no 90 s wait: that pid is gone
        assert [r.owner for r in await _lock_rows(tmp_path)] == [locks.owner_name()]
        with pytest.raises(locks.AlreadyRunning) as refused:  # while a live process on this host holds it
            await locks.acquire(db, locks.owner_name(os.getppid()))
        assert str(os.getpid()) in refused.value.holder
    finally:
        await db.dispose()


async def test_a_lock_from_another_host_waits_for_its_lease(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'op.sqlite3'}")
    try:
        await db.upgrade()
        await locks.acquire(db, locks.owner_name(1, "other-host"))
        with pytest.raises(locks.AlreadyRunning):
            await locks.acquire(db, locks.owner_name())
        later = locks.utcnow() + locks.STALE_AFTER
        monkeypatch.setattr(locks, "utcnow", lambda: later)
        await locks.acquire(db, locks.owner_name())  # its heartbeat is older than the lease
        assert [r.owner for r in await _lock_rows(tmp_path)] == [locks.owner_name()]
    finally:
        await db.dispose()


async def test_a_crashed_sender_stops_the_process_with_a_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.runner import run_forever
    from bot.sender import Sender
    from tests.e2e.conftest import e2e_settings

    async def broken_run(self: Sender, stop: asyncio.Event) -> None:
        await asyncio.sleep(0.2)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Sender, "run", broken_run)
    async with FakeTelegram() as tg:
        sources_file = tmp_path / "sources.toml"
        write_sources_toml([], sources_file)
        settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'op.sqlite3'}", sources_file=sources_file)
        code = await asyncio.wait_for(run_forever(settings), timeout=20)
    assert code == 1
    err = capsys.readouterr().err
    assert "sender" in err and "disk on fire" in err and "coopnews" in err
    assert await _lock_rows(tmp_path) == []  # stopped properly, not half-alive
