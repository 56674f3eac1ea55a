"""`coopnews scrape --once` beside hostile sources ends in bounded time and keeps every good article.

The real command, its default fetch policy (30 s deadline per fetch), one local server per site.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from sandbox.site_server import Fault, SiteServer, write_sources_toml
from storage import Database
from tests.ingest.conftest import articles, source
from tests.ingest.test_cli import coopnews

LIST = "/vologda-ru/list.html"
BAD = {
    "hanging": Fault(hang=True),
    "error-500": Fault(statuses=[500] * 20),
    "redirect-loop": Fault(redirect_loop=True),
    "junk": Fault(junk=True),
    "huge": Fault(huge_bytes=32 * 1024 * 1024),
}
LINE = re.compile(r"^\[(\d)/6\] \[([a-z0-9-]+)\] (ok|FAILED): (\d+) new articles?; items found: (\d+); ([\d.]+) s — ")


@pytest.fixture
async def sites() -> AsyncIterator[dict[str, SiteServer]]:
    async with AsyncExitStack() as stack:
        yield {name: await stack.enter_async_context(SiteServer()) for name in ["good", *BAD]}


@pytest.fixture
def sources_file(tmp_path: Path, sites: dict[str, SiteServer]) -> Path:
    chosen = [source(sites["good"], "vologda-ru")]
    for name, fault in BAD.items():
        sites[name].set_fault(LIST, fault)
        chosen.append(source(sites[name], "vologda-ru").model_copy(update={"id": name, "name": f"Bad: {name}"}))
    path = tmp_path / "sources.toml"
    write_sources_toml(chosen, path)
    return path


async def test_scrape_once_beside_hostile_sources_is_bounded_and_keeps_the_good_articles(
    tmp_path: Path, sources_file: Path, db_url: str, sites: dict[str, SiteServer]
) -> None:
    started = time.monotonic()
    ran = await coopnews("scrape", "--once", sources=sources_file, db_url=db_url, cwd=tmp_path)
    wall = time.monotonic() - started

    assert ran.code == 0, ran.err
    assert wall < 60, ran.out  # was 135–141 s: four 30 s attempts with backoff on the hanging host
    rows = {m.group(2): m for m in map(LINE.match, ran.out.splitlines()) if m}
    assert sorted(rows) == sorted(["vologda-ru", *BAD]), ran.out  # exactly one line per source
    assert sorted(int(m.group(1)) for m in rows.values()) == [1, 2, 3, 4, 5, 6]
    assert rows["vologda-ru"].group(3, 4, 5) == ("ok", "2", "2")
    assert rows["huge"].group(3) == "ok"  # cut at the size cap: a page with no items, not a failure
    for name in ("hanging", "error-500", "redirect-loop", "junk"):
        assert rows[name].group(3, 4) == ("FAILED", "0"), name
    assert float(rows["hanging"].group(6)) < 32  # one deadline, not one per retry
    assert float(rows["error-500"].group(6)) < 31 and 2 <= sites["error-500"].hits[LIST] <= 4
    assert "timeout" in ran.out and "HTTP 500" in ran.out and "redirect loop" in ran.out
    assert "binary content" in ran.out and "truncated at" in ran.out
    summary = ran.out.strip().splitlines()[-1]
    assert re.fullmatch(r"Sources: 2 ok, 4 failed; new articles: 2; total time [\d.]+ s", summary), summary

    db = Database(db_url)  # the good site's articles are in the real SQLite file
    try:
        stored = await articles(db)
    finally:
        await db.dispose()
    assert len(stored) == 2 and {a.source_id for a in stored} == {"vologda-ru"}
    assert any("Вологодская и Алматинская области" in a.title for a in stored)
