"""The total counts at most TOTAL_CAP matches and then says it is a lower bound; under the cap it is exact.

Runs on both engines (this folder's conftest). The cap is shrunk to 5 and the ranking window to 3, so
eight matching articles exceed both; the page itself is still ranked from the newest window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec
from storage.search import SearchPage, common

NOW = datetime.now(UTC)
# Ids 1..8 all mention "меморандум"; 1..6 are Kazakh (KZ-19), 7 and 8 Volgograd; 1..3 also "зерно".
REGIONS = {i: "KZ-19" if i <= 6 else "RU-VLG" for i in range(1, 9)}


@pytest.fixture
async def eight(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(common, "TOTAL_CAP", 5)
    monkeypatch.setattr(common, "RANK_WINDOW", 3)
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        for i in range(1, 9):
            body = "Стороны обсудили поставки зерна." if i <= 3 else "Стороны обсудили поставки угля."
            # the oldest carries the strongest title: ranked without the window it would lead
            title = "Меморандум, меморандум и ещё меморандум" if i == 1 else f"Меморандум номер {i}"
            await uow.articles.add(NewArticle(
                source_id="s", url=f"https://s.example/{i}", title=title, body=body,
                published_at=NOW - timedelta(days=9 - i), mentioned=[REGIONS[i]],
            ))
        await uow.commit()
    return db


async def _find(db: Database, query: str, limit: int = 3, **kw: object) -> SearchPage:
    async with db.read() as uow:
        return await uow.search.find(query, limit=limit, **kw)  # type: ignore[arg-type]


def _ids(page: SearchPage) -> list[int]:
    return sorted(int(a.url.rsplit("/", 1)[1]) for a in page.articles)


async def test_more_matches_than_the_cap_give_the_cap_and_the_flag(eight: Database) -> None:
    page = await _find(eight, "меморандум")
    assert (page.total, page.total_is_lower_bound) == (5, True)
    assert _ids(page) == [6, 7, 8]  # still ranked from the newest window of three


async def test_exactly_the_cap_is_exact(eight: Database) -> None:
    # KZ-19 has six matches: over the cap; with the since filter only ids 2..6 (five) are recent enough
    page = await _find(eight, "меморандум", regions=["KZ"], since=NOW - timedelta(days=7, hours=1))
    assert (page.total, page.total_is_lower_bound) == (5, False)
    page = await _find(eight, "меморандум", regions=["KZ"])
    assert (page.total, page.total_is_lower_bound) == (5, True)


async def test_under_the_cap_the_total_is_exact(eight: Database) -> None:
    page = await _find(eight, "зерно")
    assert (page.total, page.total_is_lower_bound) == (3, False)
    assert _ids(page) == [1, 2, 3]
    page = await _find(eight, "меморандум", regions=["RU-VLG"])
    assert (page.total, page.total_is_lower_bound) == (2, False)
    assert _ids(page) == [7, 8]
    page = await _find(eight, "несуществующееслово")
    assert (page.total, page.total_is_lower_bound, page.articles) == (0, False, [])


async def test_filters_alone_are_capped_too(eight: Database) -> None:
    page = await _find(eight, "", regions=["KZ"])
    assert (page.total, page.total_is_lower_bound) == (5, True)
    page = await _find(eight, "", regions=["RU-VLG"])
    assert (page.total, page.total_is_lower_bound) == (2, False)


async def test_a_page_beyond_the_cap_counts_up_to_its_window(eight: Database) -> None:
    # offset 4 + limit 2: the window (and so the cap) widens to 6, still fewer than the eight matches
    page = await _find(eight, "меморандум", limit=2, offset=4)
    assert (page.total, page.total_is_lower_bound) == (6, True) and len(page.articles) == 2
    # offset 6 + limit 2 = 8: every match is counted, exactly, and the last page is there
    page = await _find(eight, "меморандум", limit=2, offset=6)
    assert (page.total, page.total_is_lower_bound) == (8, False) and len(page.articles) == 2


async def test_a_cap_equal_to_the_window_still_ranks_only_the_window(
    eight: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "TOTAL_CAP", 3)  # cap == window: "3 and more" must still cut the ranking
    page = await _find(eight, "меморандум")
    assert (page.total, page.total_is_lower_bound) == (3, True)
    assert _ids(page) == [6, 7, 8]
