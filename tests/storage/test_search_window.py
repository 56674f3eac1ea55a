"""A query matching more than RANK_WINDOW articles ranks its newest RANK_WINDOW; the total counts all (to TOTAL_CAP).

Runs on both engines (this folder's conftest); the window is shrunk to 3 so six articles exceed it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec
from storage.search import common

NOW = datetime.now(UTC)


def _article(i: int, title: str, days_old: float, mentioned: list[str]) -> NewArticle:
    return NewArticle(
        source_id="s", url=f"https://s.example/{i}", title=title, body="Стороны обсудили поставки зерна.",
        published_at=NOW - timedelta(days=days_old), mentioned=mentioned,
    )


# Inserted in this order, so ids rise down the list; the oldest ids carry the strongest title matches.
ARTICLES = [
    _article(1, "Меморандум, меморандум и ещё меморандум", 1, ["KZ-19"]),
    _article(2, "Меморандум подписан в Алматы", 1, ["KZ-19"]),
    _article(3, "Губернатор упомянул меморандум", 2, ["RU-VLG"]),
    _article(4, "Встреча делегаций, меморандум", 3, ["KZ-75"]),
    _article(5, "Новости дня: меморандум", 2, ["RU-VLG"]),
    _article(6, "Итоги недели и меморандум", 0.5, ["KZ-75"]),
]


@pytest.fixture
async def filled(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(common, "RANK_WINDOW", 3)
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        for article in ARTICLES:
            await uow.articles.add(article)
        await uow.commit()
    return db


async def _find(db: Database, query: str, limit: int = 3, **kw: object) -> tuple[int, list[str]]:
    async with db.read() as uow:
        page = await uow.search.find(query, limit=limit, **kw)  # type: ignore[arg-type]
        return page.total, [a.url.rsplit("/", 1)[1] for a in page.articles]


async def test_large_result_ranks_only_the_newest_matches_but_counts_all(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    total, found = await _find(filled, "меморандум")
    assert total == 6
    assert sorted(found) == ["4", "5", "6"]  # only the three newest are ranked
    monkeypatch.setattr(common, "RANK_WINDOW", 1000)
    _, everything = await _find(filled, "меморандум", limit=6)
    assert set(everything[:3]) != {"4", "5", "6"}  # without the window older, stronger matches lead
    # within the window the order is the full ranking's order: title weight and recency still decide
    assert found == [i for i in everything if i in {"4", "5", "6"}]


async def test_window_applies_after_filters(filled: Database) -> None:
    total, found = await _find(filled, "меморандум", regions=["KZ"])
    assert total == 4  # ids 1, 2, 4, 6
    assert sorted(found) == ["2", "4", "6"]  # the three newest Kazakh matches


async def test_results_within_the_window_are_unchanged(filled: Database) -> None:
    total, found = await _find(filled, "меморандум", regions=["RU-VLG"])
    assert total == 2 and sorted(found) == ["3", "5"]


async def test_a_page_beyond_the_window_widens_it(filled: Database) -> None:
    async with filled.read() as uow:
        page = await uow.search.find("меморандум", limit=2, offset=4)
    assert page.total == 6 and len(page.articles) == 2  # window = offset + limit = 6: every match ranked


async def test_since_bound_keeps_every_recent_article(db: Database) -> None:
    """The since filter becomes an id bound; articles recent by publication or (undated) by fetch stay in."""
    from sqlalchemy import update

    from storage.models import Article

    long_ago = NOW - timedelta(days=100)
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        for i, published in ((1, long_ago), (2, NOW - timedelta(days=2)), (3, None), (4, long_ago)):
            await uow.articles.add(NewArticle(source_id="s", url=f"https://s.example/{i}", title="Меморандум",
                                              body="Текст.", published_at=published))
        # 1, 2 and 4 were fetched long ago (2 with a recent date: a back-dated fetch); 3 is undated, fetched now
        await uow.session.execute(update(Article).where(Article.url != "https://s.example/3").values(fetched_at=long_ago))
        await uow.commit()
    total, found = await _find(db, "меморандум", limit=10, since=NOW - timedelta(days=30))
    assert total == 2 and sorted(found) == ["2", "3"]
    assert await _find(db, "меморандум", since=NOW + timedelta(days=1)) == (0, [])
