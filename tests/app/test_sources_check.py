"""`coopnews sources check` as a real process: every catalogue entry polled once, a table, nothing stored."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.site_server import SiteServer, write_sources_toml
from tests.ingest.conftest import source
from tests.ingest.test_cli import coopnews

SHELL = '<html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>'
ROW = re.compile(r"^(?P<id>[a-z0-9-]+) +(?P<status>ok|FAILED|no items|no text) +(?P<items>\d+) +(?P<chars>\d+|—)"
                 r" +(?P<seconds>[\d.]+)  (?P<note>.*)$")


@pytest.fixture
async def site() -> AsyncIterator[SiteServer]:
    async with SiteServer() as server:
        yield server


@pytest.fixture
def catalogue(tmp_path: Path, site: SiteServer) -> Path:
    site.publish("shell", "news", SHELL, "")
    chosen = [
        source(site, "vologda-ru"),
        source(site, "lenobl"),
        source(site, "kazinform-en").model_copy(update={"enabled": False}),  # unverified: checked, marked
        source(site, "vologda-en").model_copy(update={"id": "gone", "url": site.url("/gone/news/")}),
        source(site, "vologda-en").model_copy(update={"id": "js-shell", "url": site.url("/shell/news")}),
    ]
    path = tmp_path / "catalogue.toml"
    write_sources_toml(chosen, path)
    return path


async def test_sources_check_prints_a_row_per_catalogue_source_and_stores_nothing(
    tmp_path: Path, catalogue: Path, db_url: str
) -> None:
    ran = await coopnews("sources", "check", sources=catalogue, db_url=db_url, cwd=tmp_path)

    assert ran.code == 1, ran.err  # enabled sources failed: the exit code says so to a script
    lines = ran.out.splitlines()
    assert lines[0].split() == ["id", "result", "items", "median", "chars", "seconds", "source", "name"]
    rows = {m["id"]: m for m in map(ROW.match, lines) if m}
    assert sorted(rows) == ["gone", "js-shell", "kazinform-en", "lenobl", "vologda-ru"], ran.out
    vologda, lenobl = rows["vologda-ru"], rows["lenobl"]
    assert vologda["status"] == "ok" and vologda["items"] == "2" and int(vologda["chars"]) > 300
    assert lenobl["status"] == "ok" and lenobl["items"] == "2" and int(lenobl["chars"]) > 200
    assert rows["kazinform-en"]["status"] == "ok" and rows["kazinform-en"]["note"].startswith("(disabled in the file)")
    assert rows["gone"]["status"] == "FAILED" and rows["gone"]["chars"] == "—"
    assert rows["js-shell"]["status"] == "FAILED"
    assert "HTTP 404" in ran.out and "built by JavaScript" in ran.out
    assert all(float(m["seconds"]) < 30 for m in rows.values())
    assert re.fullmatch(r"Checked 5 sources in [\d.]+ s: 3 ok, 2 failed, 0 without items, 0 without article text",
                        lines[-1]), lines[-1]
    assert "coopnews.sqlite3" not in os.listdir(tmp_path)  # a check, not a poll: no database touched


async def test_sources_check_of_one_source_and_of_an_unknown_one(tmp_path: Path, catalogue: Path, db_url: str) -> None:
    one = await coopnews("sources", "check", "--source", "vologda-ru", sources=catalogue, db_url=db_url, cwd=tmp_path)
    assert one.code == 0, one.err
    assert [line.split()[0] for line in one.out.splitlines()[1:-1]] == ["vologda-ru"]
    unknown = await coopnews("sources", "check", "--source", "nope", sources=catalogue, db_url=db_url, cwd=tmp_path)
    assert unknown.code == 2 and "no source with id 'nope'" in unknown.err
