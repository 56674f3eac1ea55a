"""/healthz on PostgreSQL: a server of the test's own is stopped (503) and started again (200) under a running App.

The shared test server (COOPNEWS_TEST_POSTGRES_URL) must not be stopped, so this test starts one of its
own with .ci/postgres.sh; it skips when PostgreSQL is not installed, except under CI=true, where it fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.runner import App
from sandbox.fake_api import FakeTelegram
from tests.app.test_health import _free_port, _get
from tests.e2e.conftest import e2e_settings

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres.sh"


def _have_postgres() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/postgres")) or shutil.which("pg_ctl") is not None


async def _run(*command: str, env: dict[str, str] | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
    )
    out, err = await process.communicate()
    assert process.returncode == 0, f"{command}: {err.decode(errors='replace')}"
    return out.decode()


class PrivateServer:
    """A PostgreSQL server from .ci/postgres.sh that the test may stop and start."""

    def __init__(self, exports: dict[str, str]) -> None:
        self.env = {**os.environ, **exports}
        self.url = exports["COOPNEWS_TEST_POSTGRES_URL"]
        self.dir, self.bindir = exports["COOPNEWS_PG_DIR"], exports["COOPNEWS_PG_BINDIR"]
        self.port = make_url(self.url).port

    def _as_owner(self, *command: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)

    async def stop(self) -> None:
        await _run(*self._as_owner(f"{self.bindir}/pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w",
                                   "stop"))

    async def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        await _run(*self._as_owner(f"{self.bindir}/pg_ctl", "-D", f"{self.dir}/data", "-l",
                                   f"{self.dir}/server.log", "-w", "-t", "60", "start", "-o", options))


@pytest.fixture
async def server() -> AsyncIterator[PrivateServer]:
    if not _have_postgres():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but PostgreSQL is not installed", pytrace=False)
        pytest.skip("PostgreSQL is not installed (.ci/postgres.sh installs it)")
    printed = await _run("bash", str(SCRIPT), "start")
    exports = dict(line.removeprefix("export ").split("=", 1) for line in printed.splitlines() if "=" in line)
    private = PrivateServer(exports)
    try:
        yield private
    finally:
        await _run("bash", str(SCRIPT), "stop", env=private.env)


async def test_healthz_fails_while_postgres_is_down_and_recovers(server: PrivateServer, tmp_path: Path) -> None:
    port = _free_port()
    db_url = make_url(server.url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    async with FakeTelegram() as tg:
        app = App(e2e_settings(tg, db_url, metrics_listen=f"127.0.0.1:{port}"), [])
        base = f"http://127.0.0.1:{port}"
        try:
            await app.start()
            status, body = await _get(f"{base}/healthz")
            assert status == 200 and body["database"]["reachable"] is True, body

            await server.stop()
            status, body = await _get(f"{base}/healthz")
            assert status == 503 and body["failed"] == ["database"], body
            assert body["database"]["latency_s"] < 4  # refused at once, or the check's own 3 s timeout

            await server.start()
            status, body = await _get(f"{base}/healthz")
            assert status == 200 and body["status"] == "ok", body  # the pool reconnects by itself
        finally:
            await app.stop()
