"""`coopnews scrape --once` and `coopnews sources` as real processes against local sites."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.ingest import Ingestor
from app.scrape_command import load_configured_sources, sync_sources
from app.settings import Settings
from sandbox.site_server import Fault, SiteServer, write_sources_toml
from scrapers.fetcher import Fetcher
from storage import Database
from tests.conftest import REPO_ROOT
from tests.ingest.conftest import source
from tests.scrapers.conftest import fast_policy

POLLED = ("vologda-ru", "kazinform-en", "lenobl")
BROKEN_ENTRY = """
[[sources]]
id = "Broken Source"
name = "Not a source"
url = "vologda-oblast.ru/novosti/"
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
async def sites() -> AsyncIterator[dict[str, SiteServer]]:
    """One local server (host:port) per site: the CLI's polite per-host delay then spaces only its own requests."""
    async with AsyncExitStack() as stack:
        yield {source_id: await stack.enter_async_context(SiteServer()) for source_id in POLLED}


@pytest.fixture
def sources_file(tmp_path: Path, sites: dict[str, SiteServer]) -> Path:
    path = tmp_path / "sources.toml"
    write_sources_toml([source(server, source_id) for source_id, server in sites.items()], path)
    path.write_text(path.read_text(encoding="utf-8") + BROKEN_ENTRY, encoding="utf-8")
    return path


async def coopnews(*args: str, sources: Path, db_url: str, cwd: Path) -> Run:
    """Run the CLI without blocking the loop that serves the sites it polls."""
    env = {**os.environ, "SOURCES_FILE": str(sources), "DATABASE_URL": db_url, "PYTHONPATH": str(REPO_ROOT)}
    env["DEFAULT_LANGUAGE"] = "en"  # the operator's language; these assertions read the English output
    env.pop("ADMIN_IDS", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", *args, cwd=cwd, env=env,  # cwd: no stray .env is read
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


async def test_scrape_once_prints_new_items_then_nothing_new(
    tmp_path: Path, sources_file: Path, db_url: str, sites: dict[str, SiteServer]
) -> None:
    first = await coopnews("scrape", "--once", sources=sources_file, db_url=db_url, cwd=tmp_path)
    assert first.code == 0, first.err
    assert "[vologda-ru] ok: 2 new" in first.out
    assert "[kazinform-en] ok: 1 new" in first.out and "[lenobl] ok: 2 new" in first.out
    assert "Вологодская и Алматинская области договорились о совместном проекте" in first.out
    assert "cooperation RU-VLG↔KZ-19" in first.out and "not cooperation" in first.out
    assert "  ! " not in first.out  # no errors
    assert "entry 4 (id=Broken Source): field id" in first.err and "field url" in first.err

    second = await coopnews("scrape", "--once", sources=sources_file, db_url=db_url, cwd=tmp_path)
    assert second.code == 0, second.err
    lines = [line for line in second.out.splitlines() if line.startswith("[")]
    # one line per source as it finishes, counted: [1/3] … [3/3]
    assert [line.split(" ", 1)[0] for line in lines] == ["[1/3]", "[2/3]", "[3/3]"]
    assert sorted(line.split(" ", 1)[1].split(";")[0] for line in lines) == [
        "[kazinform-en] ok: 0 new articles", "[lenobl] ok: 0 new articles", "[vologda-ru] ok: 0 new articles"
    ]
    assert all("; items found: " in line and " s — " in line for line in lines)  # items, seconds, name
    assert second.out.strip().splitlines()[-1].startswith("Sources: 3 ok, 0 failed; new articles: 0; total time")
    vologda = sites["vologda-ru"]
    assert vologda.hits["/vologda-ru/novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon/"] == 1


async def test_sources_lists_every_source_with_state_and_counts(
    tmp_path: Path, sources_file: Path, db_url: str, sites: dict[str, SiteServer]
) -> None:
    # Health written by an in-process poll (fast); the listing is the real command.
    settings = Settings(_env_file=None, database_url=db_url, sources_file=sources_file)
    configured = {s.id: s for s in load_configured_sources(settings)}
    sites["kazinform-en"].set_fault("/kazinform-en/list.html", Fault(statuses=[503] * 3))
    db = Database(db_url)
    try:
        await db.upgrade()
        await sync_sources(db, list(configured.values()))
        async with Fetcher(fast_policy()) as fetcher:
            ingestor = Ingestor(db, settings, fetcher)
            await ingestor.poll(configured["vologda-ru"])
            await ingestor.poll(configured["kazinform-en"])
    finally:
        await db.dispose()

    shown = await coopnews("sources", sources=sources_file, db_url=db_url, cwd=tmp_path)

    assert shown.code == 0, shown.err
    rows = {line.split()[0]: line.split() for line in shown.out.splitlines() if line and not line.startswith(" ")}
    assert rows["vologda-ru"][1:2] == ["ok"] and rows["vologda-ru"][-2] == "2"  # items found
    assert rows["kazinform-en"][1:3] == ["failing", "never"] and rows["kazinform-en"][-3] == "1"  # failures
    assert "last error: the site has a server error (HTTP 503)" in shown.out  # worded, not the raw record
    assert rows["lenobl"][1:3] == ["new", "never"]  # configured, never polled
    assert "3 sources from" in shown.out and "Broken Source" not in shown.out
    assert "entry 4 (id=Broken Source)" in shown.err


async def test_unknown_source_exits_2_with_a_clear_message(
    tmp_path: Path, sources_file: Path, db_url: str
) -> None:
    ran = await coopnews("scrape", "--once", "--source", "unknown", sources=sources_file, db_url=db_url, cwd=tmp_path)
    assert ran.code == 2
    assert "no source with id 'unknown'" in ran.err and ran.out == ""
