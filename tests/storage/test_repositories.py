"""Repositories round-trip through a real SQLite file; uniqueness is enforced by the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.deliveries import Owed
from storage.repositories.sources import SourceSpec

SPEC = SourceSpec("vologda", "Правительство Вологодской области", "https://vologda-oblast.ru/novosti/")


async def _article(db: Database, url: str = "https://example.org/a/1", **kw: object) -> int:
    async with db.write() as uow:
        await uow.sources.sync([SPEC])
        fields: dict[str, object] = {"source_id": "vologda", "url": url, "title": "Заголовок", "body": "Текст"}
        fields.update(kw)
        article = await uow.articles.add(NewArticle(**fields))  # type: ignore[arg-type]
        await uow.commit()
        return article.id


async def test_article_round_trip_with_tags(db: Database) -> None:
    published = datetime(2025, 12, 10, 15, 8, tzinfo=UTC)
    article_id = await _article(
        db,
        title="Визит делегации Казахстана",
        published_at=published,
        is_cooperation=True,
        event_type="visit",
        parties=[("RU-VLG", "KZ-19")],
        mentioned=["RU-VLG", "KZ-19", "KZ"],
        topics=["forestry", "trade"],
        signature=[1, 2, 3],
    )
    async with db.read() as uow:
        article = await uow.articles.get(article_id)
        assert article is not None
        assert article.published_at == published and article.published_at.tzinfo is not None
        assert [(p.ru_code, p.partner_code) for p in article.parties] == [("RU-VLG", "KZ-19")]
        assert {r.code: r.is_party for r in article.regions} == {"RU-VLG": True, "KZ-19": True, "KZ": False}
        assert [t.topic for t in article.topics] == ["forestry", "trade"]
        assert article.signature == [1, 2, 3]
        assert await uow.articles.known_urls(["https://example.org/a/1", "https://x"]) == {
            "https://example.org/a/1"
        }
        assert (await uow.articles.by_hash(article.content_hash)) is not None


async def test_canonical_url_is_unique(db: Database) -> None:
    await _article(db)
    with pytest.raises(IntegrityError):
        await _article(db)


async def test_uncommitted_work_is_rolled_back(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SPEC])
        await uow.articles.add(NewArticle(source_id="vologda", url="https://x/1", title="t"))
        # no commit
    async with db.read() as uow:
        assert await uow.articles.count() == 0


async def test_delivery_is_unique_per_user_and_article(db: Database) -> None:
    article_id = await _article(db)
    async with db.write() as uow:
        await uow.users.register(42, 42, "Анна", "ru", "Europe/Moscow")
        owed = [Owed(42, article_id, None, None, "instant")]
        assert await uow.deliveries.enqueue(owed) == 1
        assert await uow.deliveries.enqueue(owed) == 0
        await uow.commit()
    async with db.read() as uow:
        due = await uow.deliveries.due(10)
        assert [(d.user_id, d.article_id) for d in due] == [(42, article_id)]


async def test_user_register_is_idempotent_and_blocking_drops_pending(db: Database) -> None:
    article_id = await _article(db)
    async with db.write() as uow:
        _, created = await uow.users.register(7, 7, "Ivan", "en", "Asia/Almaty")
        _, again = await uow.users.register(7, 7, "Ivan", "en", "Asia/Almaty")
        assert (created, again) == (True, False)
        await uow.deliveries.enqueue([Owed(7, article_id, None, None, "instant")])
        await uow.users.deactivate(7)
        await uow.commit()
    async with db.read() as uow:
        user = await uow.users.get(7)
        assert user is not None and not user.active
        assert await uow.deliveries.due(10) == []
        assert (await uow.deliveries.count_by_status()) == {"dropped": 1}


async def test_subscriptions_are_unique_owned_and_found_by_index(db: Database) -> None:
    async with db.write() as uow:
        for uid in (1, 2):
            await uow.users.register(uid, uid, "", "ru", "Europe/Moscow")
        sub, created = await uow.subscriptions.add(1, "region", region="RU-VLG", label="Вологодская область")
        _, created_again = await uow.subscriptions.add(1, "region", region="RU-VLG")
        await uow.subscriptions.add(2, "topic", topic="forestry")
        await uow.subscriptions.add(2, "keyword", keyword="меморандум")
        await uow.commit()
    assert created and not created_again
    async with db.write() as uow:
        assert await uow.subscriptions.owned(2, sub.id) is None  # user 2 cannot touch user 1's rule
        assert not await uow.subscriptions.remove(2, sub.id)
        found = await uow.subscriptions.candidates(["RU-VLG"], ["forestry"], ["меморандум"])
        assert sorted((s.user_id, s.kind) for s in found) == [(1, "region"), (2, "keyword"), (2, "topic")]
        assert await uow.subscriptions.candidates(["KZ-19"], ["sport"], []) == []


async def test_source_health_transitions(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SPEC])
        went_down = [await uow.sources.record_failure("vologda", "HTTP 503", down_after=3) for _ in range(4)]
        assert went_down == [False, False, True, False]
        assert await uow.sources.record_success("vologda", 5) is True
        assert await uow.sources.record_success("vologda", 2) is False
        await uow.commit()
    async with db.read() as uow:
        source = await uow.sources.get("vologda")
        assert source is not None
        assert (source.is_down, source.consecutive_failures, source.items_found_total) == (False, 0, 7)


async def test_digest_claimed_once_per_day(db: Database) -> None:
    day = (datetime.now(UTC) - timedelta(hours=1)).date()
    async with db.write() as uow:
        await uow.users.register(9, 9, "", "ru", "Europe/Moscow")
        assert await uow.deliveries.record_digest(9, day, 3) is True
        assert await uow.deliveries.record_digest(9, day, 3) is False
        await uow.commit()
