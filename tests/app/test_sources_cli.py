"""`coopnews sources add|list|pause|resume|remove` as real processes against composed local sites."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.source_registry import active_sources
from storage import Database
from tests.composed_sites import JAMBYL_ITEMS, chuy_site, jambyl_site, with_base
from tests.conftest import REPO_ROOT

FILE_SOURCES = """
[[sources]]
id = "chuy-file"
name = "Chuy from the file"
url = "http://127.0.0.1:9/ru/news/"
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(FILE_SOURCES, encoding="utf-8")
    return path


async def coopnews(*args: str, sources: Path, db_url: str, cwd: Path, answer: str | None = None) -> Run:
    """The CLI in a child process (the loop keeps serving the sites it reads); `answer` is typed on stdin."""
    env = {
        **os.environ,
        "SOURCES_FILE": str(sources),
        "DATABASE_URL": db_url,
        "PYTHONPATH": str(REPO_ROOT),
        "DEFAULT_LANGUAGE": "en",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "sources",
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdin = None if answer is None else answer.encode()
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=90)
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


async def test_add_previews_asks_and_adds_only_when_confirmed(tmp_path: Path, sources_file: Path, db_url: str) -> None:
    async with jambyl_site() as site:
        with_base(site)
        declined = await coopnews(
            "add", site.url("/kk/"), sources=sources_file, db_url=db_url, cwd=tmp_path, answer="n\n"
        )
        assert declined.code == 1 and "Cancelled: nothing was added." in declined.out
        assert "RSS/Atom feed" in declined.out and JAMBYL_ITEMS[0][1] in declined.out
        assert "<b>" not in declined.out  # plain text on a terminal
        added = await coopnews("add", site.url("/kk/"), "--yes", sources=sources_file, db_url=db_url, cwd=tmp_path)
        assert added.code == 0, added.err
        assert "added 127-0-0-1-kk: Жамбыл облысының әкімдігі" in added.out
    db = Database(db_url)
    try:
        polled = {s.id: s for s in await active_sources(db)}
        async with db.read() as uow:
            row = await uow.sources.get("127-0-0-1-kk")
    finally:
        await db.dispose()
    assert set(polled) == {"chuy-file", "127-0-0-1-kk"} and polled["127-0-0-1-kk"].kind == "rss"
    assert row is not None and (row.origin, row.added_by, row.home_region) == ("cli", None, "KZ-31")


async def test_list_pause_resume_remove(tmp_path: Path, sources_file: Path, db_url: str) -> None:
    def run(*args: str) -> asyncio.Future[Run]:
        return asyncio.ensure_future(coopnews(*args, sources=sources_file, db_url=db_url, cwd=tmp_path))

    listed = await run()  # `coopnews sources` alone is the list
    assert listed.code == 0 and "chuy-file" in listed.out and "1 source from" in listed.out
    paused = await run("pause", "chuy-file")
    assert paused.code == 0 and "paused chuy-file" in paused.out
    row = next(line for line in (await run("list")).out.splitlines() if line.startswith("chuy-file"))
    assert row.split()[1] == "paused"
    assert "removed chuy-file" in (await run("remove", "chuy-file")).out
    # resume brings back even a removed source; the file's next seed would not have
    assert "resumed chuy-file" in (await run("resume", "chuy-file")).out
    db = Database(db_url)
    try:
        assert [s.id for s in await active_sources(db)] == ["chuy-file"]
    finally:
        await db.dispose()
    missing = await run("remove", "no-such")
    assert missing.code == 2 and "no source with id 'no-such'" in missing.err


async def test_bad_addresses_get_a_clear_answer_and_exit_1(tmp_path: Path, sources_file: Path, db_url: str) -> None:
    async with chuy_site() as site:
        missing = await coopnews(
            "add", site.url("/ru/gone/"), "--yes", sources=sources_file, db_url=db_url, cwd=tmp_path
        )
    assert missing.code == 1 and "There is no such page" in missing.out
    bad = await coopnews("add", "not a url", "--yes", sources=sources_file, db_url=db_url, cwd=tmp_path)
    assert bad.code == 1 and "This is not a web address" in bad.out


async def test_the_scheduler_follows_the_database_list() -> None:
    from app.scheduler import PollScheduler
    from scrapers.sources import SourceConfig

    async def never(source: SourceConfig) -> Any:
        raise AssertionError("not started")

    def config(source_id: str, interval: int = 600) -> SourceConfig:
        return SourceConfig(id=source_id, name=source_id, url=f"http://127.0.0.1:9/{source_id}/", interval=interval)

    scheduler = PollScheduler(never, min_interval=60)
    scheduler.add_sources([config("kept"), config("paused"), config("changed")])
    scheduler.sync_sources([config("kept"), config("changed", interval=1800), config("added")])
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert set(jobs) == {"poll:kept", "poll:changed", "poll:added"}
    assert jobs["poll:changed"].args[0].interval == 1800 and scheduler.interval_of("changed") == 1800
    assert scheduler.interval_of("paused") is None
