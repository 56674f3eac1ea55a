"""Matching: the rules an official relies on, through the real database."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts.matcher import match_article
from alerts.quiet import quiet_until
from alerts.rules import ArticleFacts, covers
from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec

MEMO = dict(is_cooperation=True, parties=[("RU-VLG", "KZ-19")], topics=["forestry", "trade"])


async def _setup(db: Database, subs: list[tuple[int, dict[str, object]]]) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("vologda", "Vologda", "https://v.example/"), SourceSpec("kz", "KZ", "https://k/")])
        for user_id, sub in subs:
            await uow.users.register(user_id, user_id, "", "ru", "Europe/Moscow")
            await uow.subscriptions.add(user_id, **sub)  # type: ignore[arg-type]
        await uow.commit()


async def _ingest(db: Database, url: str, *, source: str = "vologda", story: int | None = None,
                  lemmas: str = "", now: datetime | None = None, **facts: object) -> list[int]:
    async with db.write() as uow:
        article = await uow.articles.add(NewArticle(source_id=source, url=url, title="t", **facts))  # type: ignore[arg-type]
        if story is None:
            story = (await uow.articles.new_story("t")).id
        f = ArticleFacts.build(
            article_id=article.id,
            source_id=source,
            story_id=story,
            is_cooperation=bool(facts.get("is_cooperation")),
            parties=facts.get("parties", []),  # type: ignore[arg-type]
            topics=facts.get("topics", []),  # type: ignore[arg-type]
            lemma_text=lemmas,
        )
        result = await match_article(uow, f, now)
        await uow.commit()
    return sorted(result.instant + result.digest + result.held)


def test_country_covers_its_regions() -> None:
    assert covers("KZ", "KZ-19") and covers("KZ-19", "KZ-19")
    assert not covers("KZ-19", "KZ") and not covers("KZ-19", "KZ-75") and not covers("RU", "KZ-19")


async def test_region_country_pair_and_combined_rules(db: Database) -> None:
    await _setup(db, [
        (1, {"kind": "region", "region": "RU-VLG"}),
        (2, {"kind": "region", "region": "KZ"}),  # consulate attaché: every Kazakh partner
        (3, {"kind": "pair", "region": "RU-VLG", "partner": "KZ"}),
        (4, {"kind": "region", "region": "RU-VLG", "topic": "forestry"}),
        (5, {"kind": "region", "region": "RU-VLG", "topic": "sport"}),  # wrong topic
        (6, {"kind": "pair", "region": "RU-VLG", "partner": "KG"}),  # wrong partner
        (7, {"kind": "region", "region": "RU-LEN"}),  # other region
        (8, {"kind": "topic", "topic": "forestry"}),
        (9, {"kind": "keyword", "keyword": "меморандум"}),
        (10, {"kind": "region", "region": "KZ-75"}),  # Almaty city is not Almaty Region
    ])
    got = await _ingest(db, "https://v.example/memo", lemmas="подписать меморандум о сотрудничество", **MEMO)
    assert got == [1, 2, 3, 4, 8, 9]


async def test_region_rules_fire_only_on_cooperation_news(db: Database) -> None:
    await _setup(
        db, [(1, {"kind": "region", "region": "RU-VLG"}), (2, {"kind": "keyword", "keyword": "ремонт дорога"})]
    )
    got = await _ingest(
        db, "https://v.example/roads", is_cooperation=False, parties=[], mentioned=["RU-VLG"],
        lemmas="в вологодский область ремонт дорога",
    )
    assert got == [2]  # the road-repair keyword subscriber only


async def test_long_keyword_matches_all_its_words_in_any_order(db: Database) -> None:
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("vologda", "Vologda", "https://v.example/")])
        await uow.users.register(1, 1, "", "ru", "Europe/Moscow")
        await uow.users.register(2, 2, "", "ru", "Europe/Moscow")
        await uow.subscriptions.add(1, "keyword", keyword="меморандум лесной промышленность вологодский")
        await uow.subscriptions.add(2, "keyword", keyword="меморандум космос")
        await uow.commit()
    got = await _ingest(
        db, "https://v.example/long", is_cooperation=False,
        lemmas="вологодский предприятие лесной промышленность подписать меморандум",
    )
    assert got == [1]


async def test_one_delivery_per_user_per_story_and_instant_wins(db: Database) -> None:
    await _setup(db, [
        (1, {"kind": "region", "region": "RU-VLG", "mode": "digest"}),
        (1, {"kind": "pair", "region": "RU-VLG", "partner": "KZ-19", "mode": "instant"}),
    ])
    async with db.write() as uow:
        story = (await uow.articles.new_story("story")).id
        await uow.commit()
    assert await _ingest(db, "https://v.example/a", story=story, **MEMO) == [1]
    assert await _ingest(db, "https://k/a-copy", source="kz", story=story, **MEMO) == []  # same story elsewhere
    async with db.read() as uow:
        assert await uow.deliveries.count_by_status() == {"pending": 1}


async def test_muted_source_inactive_user_and_instant_off(db: Database) -> None:
    await _setup(db, [(1, {"kind": "region", "region": "RU-VLG"}), (2, {"kind": "region", "region": "RU-VLG"}),
                      (3, {"kind": "region", "region": "RU-VLG"})])
    async with db.write() as uow:
        await uow.subscriptions.mute_source(1, "vologda")
        await uow.users.deactivate(2)
        await uow.users.update_settings(3, instant_enabled=False)
        await uow.commit()
    assert await _ingest(db, "https://v.example/b", **MEMO) == [3]
    async with db.read() as uow:
        assert await uow.deliveries.count_by_status() == {"digest": 1}  # held for the digest, not sent now


async def test_quiet_hours_hold_alerts_until_morning(db: Database) -> None:
    await _setup(db, [(1, {"kind": "region", "region": "RU-VLG"})])
    async with db.write() as uow:
        await uow.users.update_settings(1, quiet_start=22, quiet_end=7)
        await uow.commit()
    night = datetime(2025, 3, 10, 21, 30, tzinfo=UTC)  # 00:30 in Moscow
    assert await _ingest(db, "https://v.example/c", now=night, **MEMO) == [1]
    async with db.read() as uow:
        assert await uow.deliveries.due(10, now=night) == []
        morning = datetime(2025, 3, 11, 4, 0, tzinfo=UTC)  # 07:00 in Moscow
        assert len(await uow.deliveries.due(10, now=morning)) == 1


def test_quiet_window_arithmetic() -> None:
    evening = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)  # 21:00 Moscow, 23:00 Almaty
    assert quiet_until(evening, "Europe/Moscow", 22, 7) is None
    release = quiet_until(evening, "Asia/Almaty", 22, 7)
    assert release is not None and release.astimezone(UTC).hour == 2  # 07:00 Almaty (UTC+5)
    assert quiet_until(evening, "Asia/Almaty", 9, 9) is None
    assert quiet_until(evening, "Asia/Almaty", 13, 18) is None
