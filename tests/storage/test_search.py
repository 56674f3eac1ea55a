"""Full-text search: morphology, filters, ranking, sync with article changes, hostile queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from storage import Database
from storage.models import Article
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec

NOW = datetime.now(UTC)
ARTICLES = [
    NewArticle(
        source_id="s", url="https://s.example/1", title="Вологодские лесопромышленники едут в Казахстан",
        body="В лесопромышленном комплексе Вологодской области подписан меморандум с Алматинской областью.",
        published_at=NOW - timedelta(days=2), mentioned=["RU-VLG", "KZ-19"], topics=["forestry"],
    ),
    NewArticle(
        source_id="s", url="https://s.example/2", title="Ремонт дорог в Череповце",
        body="Дорожники завершили ремонт моста.", published_at=NOW - timedelta(days=1), mentioned=["RU-VLG"],
    ),
    NewArticle(
        source_id="s", url="https://s.example/3", title="Меморандум о сотрудничестве в образовании",
        body="Санкт-Петербург и Алматы подписали меморандум.", published_at=NOW - timedelta(days=400),
        mentioned=["RU-SPE", "KZ-75"], topics=["education"],
    ),
    NewArticle(
        source_id="s", url="https://s.example/4", title="Новый меморандум лесников",
        body="Меморандум подписан с партнёрами из Казахстана.", published_at=NOW - timedelta(hours=3),
        mentioned=["RU-VLG", "KZ"], topics=["forestry"],
    ),
]


@pytest.fixture
async def filled(db: Database) -> Database:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        for article in ARTICLES:
            await uow.articles.add(article)
        await uow.commit()
    return db


async def _titles(db: Database, query: str, **kw: object) -> list[str]:
    async with db.read() as uow:
        page = await uow.search.find(query, **kw)  # type: ignore[arg-type]
        return [a.title for a in page.articles]


async def test_inflected_russian_finds_other_forms(filled: Database) -> None:
    # "лесопромышленный" (nominative) finds "лесопромышленном" (prepositional) in the body
    assert await _titles(filled, "лесопромышленный") == [ARTICLES[0].title]
    assert await _titles(filled, "вологодской области") == [ARTICLES[0].title]


async def test_recent_article_ranks_above_old_equal_match(filled: Database) -> None:
    titles = await _titles(filled, "меморандум")
    assert titles[-1] == ARTICLES[2].title  # 400 days old
    assert titles[0] == ARTICLES[3].title  # three hours old, word in title


async def test_filters_by_region_topic_and_since(filled: Database) -> None:
    # a country covers its regions: KZ finds the Almaty-city (KZ-75) and Almaty-region (KZ-19) items too
    assert len(await _titles(filled, "меморандум", regions=["KZ"])) == 3
    assert await _titles(filled, "меморандум", regions=["KZ-19"]) == [ARTICLES[0].title]
    assert await _titles(filled, "меморандум", topics=["education"]) == [ARTICLES[2].title]
    since = NOW - timedelta(days=30)
    assert ARTICLES[2].title not in await _titles(filled, "меморандум", since=since)
    assert await _titles(filled, "", regions=["RU-SPE"]) == [ARTICLES[2].title]


async def test_pagination(filled: Database) -> None:
    async with filled.read() as uow:
        first = await uow.search.find("меморандум", limit=2)
        second = await uow.search.find("меморандум", limit=2, offset=2)
    assert first.total == second.total == 3
    assert len(first.articles) == 2 and len(second.articles) == 1
    assert not {a.id for a in first.articles} & {a.id for a in second.articles}


async def test_index_follows_updates_and_deletes(filled: Database) -> None:
    async with filled.write() as uow:
        await uow.session.execute(
            update(Article).where(Article.url == ARTICLES[1].url).values(title="Ремонт дорог завершён в Соколе")
        )
        await uow.commit()
    assert await _titles(filled, "Сокол") == ["Ремонт дорог завершён в Соколе"]
    assert await _titles(filled, "Череповце") == []
    async with filled.write() as uow:
        found = await uow.articles.known_urls([ARTICLES[1].url])
        assert found
        article = (await uow.search.find("Сокол")).articles[0]
        await uow.articles.delete(article.id)
        await uow.commit()
    assert await _titles(filled, "Сокол") == []


HOSTILE = [
    "", "   ", '"', '""', "'", "-", "*", "-*", "NEAR(", "NEAR(лес", "title:лес", "body:", "AND", "OR", "NOT",
    "лес AND", "OR лес", "NOT NOT", "(", ")", "^лес", "лес*", "{лес}", "[", "\\", "\x00", "%", "_",
    "😀" * 500, "🇷🇺↔🇰🇿", "'; DROP TABLE articles; --", "1 OR 1=1", "\" OR \"\"=\"", "лес" * 300,
    "a" * 5000, "меморандум\"); DELETE FROM articles; --", "<script>alert(1)</script>", "\u202e\u200b",
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_queries_never_raise(filled: Database, query: str) -> None:
    async with filled.read() as uow:
        page = await uow.search.find(query)
        assert page.total >= 0
        assert await uow.articles.count() == len(ARTICLES)  # nothing was deleted
