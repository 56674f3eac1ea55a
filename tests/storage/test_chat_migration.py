"""A group upgraded to a supergroup: its row and everything that references it move in one transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage import Database
from storage.models import Delivery, DigestSent, MutedSource, Subscription
from storage.repositories import NewArticle
from storage.repositories.deliveries import Owed
from storage.repositories.sources import SourceSpec

OLD, NEW = -501, -100_501


async def _seed(db: Database) -> tuple[int, int]:
    """The old group: settings, two subscriptions, a mute, a digest claim, two pending alerts."""
    async with db.write() as uow:
        await uow.sources.sync_one(SourceSpec("src", "Source", "http://127.0.0.1/src/"))
        await uow.users.register_chat(OLD, "group", "Команда", "en", "Asia/Almaty")
        await uow.users.update_settings(OLD, digest_hour=7)
        await uow.subscriptions.add(OLD, "region", region="KZ", thread_id=None)
        await uow.subscriptions.add(OLD, "topic", topic="forestry")
        await uow.subscriptions.mute_source(OLD, "src")
        await uow.deliveries.record_digest(OLD, date(2026, 12, 1), 3)
        ids = []
        for n in range(2):
            article = await uow.articles.add(
                NewArticle(source_id="src", url=f"http://127.0.0.1/src/{n}", title=f"Новость {n}")
            )
            ids.append(article.id)
        await uow.deliveries.enqueue([Owed(OLD, article_id, None, None, "instant") for article_id in ids])
        await uow.commit()
    return ids[0], ids[1]


async def test_everything_follows_the_group_to_its_new_id_and_a_second_notice_changes_nothing(db: Database) -> None:
    await _seed(db)
    async with db.write() as uow:
        assert await uow.users.migrate_chat(OLD, NEW)
        await uow.commit()
    async with db.write() as uow:
        assert not await uow.users.migrate_chat(OLD, NEW)  # the notice in the other chat
        await uow.commit()
    async with db.read() as uow:
        assert await uow.users.get(OLD) is None
        moved = await uow.users.get(NEW)
        assert moved is not None
        assert (moved.chat_id, moved.chat_type, moved.language, moved.timezone, moved.digest_hour) == (
            NEW, "supergroup", "en", "Asia/Almaty", 7,
        )
        assert {s.key for s in await uow.subscriptions.for_user(NEW)} == {
            Subscription.make_key("region", "KZ", None, None, None),
            Subscription.make_key("topic", None, None, "forestry", None),
        }
        assert await uow.subscriptions.muted_sources(NEW) == [("src", "Source")]
        assert await uow.deliveries.digest_sent(NEW, date(2026, 12, 1))
        assert [d.user_id for d in await uow.deliveries.due(10)] == [NEW, NEW]


async def test_a_supergroup_row_that_exists_already_keeps_one_of_each(db: Database) -> None:
    first, _second = await _seed(db)
    async with db.write() as uow:  # the bot heard from the new supergroup before the upgrade notice
        await uow.users.register_chat(NEW, "supergroup", "Команда", "ru", "Europe/Moscow")
        await uow.subscriptions.add(NEW, "region", region="KZ")
        await uow.subscriptions.mute_source(NEW, "src")
        await uow.deliveries.record_digest(NEW, date(2026, 12, 1), 1)
        await uow.deliveries.enqueue([Owed(NEW, first, None, None, "instant")])
        await uow.commit()
    async with db.write() as uow:
        assert await uow.users.migrate_chat(OLD, NEW)
        await uow.commit()
    async with db.read() as uow:
        moved = await uow.users.get(NEW)
        assert moved is not None and moved.language == "en"  # the group's settings win over a fresh row's
        assert len(await uow.subscriptions.for_user(NEW)) == 2
        assert list(await uow.session.scalars(select(MutedSource.user_id))) == [NEW]
        assert list(await uow.session.scalars(select(DigestSent.user_id))) == [NEW]
        owed = list(await uow.session.execute(select(Delivery.user_id, Delivery.article_id).order_by(Delivery.id)))
        assert sorted(article for _, article in owed) == sorted({first, _second})  # one delivery per article
        assert {user for user, _ in owed} == {NEW}
