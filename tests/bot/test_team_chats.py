"""Team chats (issue 16): groups, forum topics, supergroup upgrades, removal and return, channels.

A group subscribes like a person (its users row has the chat's id); only its administrators,
as getChatMember says, change what it follows; alerts go into the group (into the forum topic
where /subscribe was given).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.chat_admins import only_admins_text
from bot.routers.chats import hello_text
from bot.sender import Sender
from sandbox.fake_api import FakeGroup, FakeTelegram, FakeUser
from storage import Database
from storage.models import Delivery, Subscription, User
from tests.bot.conftest import run_bot
from tests.e2e.conftest import add_article, drain, match, throttled_bot

KZ_NEWS = "Вологодская область и Казахстан подписали соглашение о поставках леса"
KZ = (("RU-VLG", "KZ"),)


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (at most 5 s) until the bot has handled an update that leaves no message to wait for.

    The outcome is a database row written by the bot's task; there is no event to await, so poll it.
    """
    async with asyncio.timeout(5):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert await check(), what


async def subscriptions_of(db: Database, user_id: int) -> list[Subscription]:
    async with db.read() as uow:
        return await uow.subscriptions.for_user(user_id)


async def row(db: Database, user_id: int) -> User | None:
    async with db.read() as uow:
        return await uow.users.get(user_id)


async def answered(group: FakeGroup, query_id: str) -> str | None:
    await group.wait_until(lambda: group.answer_to(query_id).answered)
    return group.answer_to(query_id).text


def people(tg: FakeTelegram) -> tuple[FakeUser, FakeUser]:
    """Olga creates the chats (an administrator); Ivan is a plain member."""
    return tg.user(101, "Ольга"), tg.user(102, "Иван")


async def test_only_admins_change_a_group_and_its_alerts_go_into_the_group(tg: FakeTelegram, db: Database) -> None:
    olga, ivan = people(tg)
    team = tg.group(-4001, "Представительство", creator=olga)
    team.add_member(ivan)
    async with run_bot(tg, db) as running:
        team.post(ivan, "/subscribe Казахстан")
        (refusal,) = await team.wait_for(1)
        assert refusal.text == only_admins_text("ru")
        assert await subscriptions_of(db, -4001) == [] and await subscriptions_of(db, ivan.chat_id) == []

        team.post(ivan, "/help")  # read-only commands are for everyone
        (help_reply,) = await team.wait_for(1)
        assert "/subscribe" in help_reply.text

        team.post(olga, "/subscribe")
        (menu,) = await team.wait_for(1)
        query = team.tap(ivan, menu, menu.buttons[0][1] or "")
        assert await answered(team, query) == only_admins_text("ru")
        assert team.answer_to(query).show_alert and menu.edited == 0  # the picker did not move on

        team.post(olga, "/subscribe Казахстан")
        (done,) = await team.wait_for(1)
        assert done.text.startswith("✅")
        (sub,) = await subscriptions_of(db, -4001)  # the group's subscription, not Olga's
        assert (sub.region, sub.mode) == ("KZ", "instant")
        assert await subscriptions_of(db, olga.chat_id) == []
        group_row = await row(db, -4001)
        assert group_row is not None and (group_row.chat_type, group_row.chat_id) == ("group", -4001)

        toggle = team.tap(ivan, done, done.buttons[0][1] or "")  # "switch to the digest", by a member
        assert await answered(team, toggle) == only_admins_text("ru")
        assert [s.mode for s in await subscriptions_of(db, -4001)] == ["instant"]
        assert running.dp["admins"].lookups == 2  # Olga's rights were asked once, then cached

        article = await add_article(db, KZ_NEWS, parties=KZ)
        assert (await match(db, article)).instant == [-4001]
        assert await drain(Sender(running.bot, db)) == 1
        (alert,) = await team.wait_for(1)
        assert "Казахстан" in alert.text
    assert olga.messages() == [] and ivan.messages() == []  # nothing went to anyone's private chat


async def test_alerts_go_to_the_forum_topic_where_subscribe_was_given(tg: FakeTelegram, db: Database) -> None:
    olga, _ivan = people(tg)
    forum = tg.group(-100_4002, "Форум", creator=olga, forum=True)
    async with run_bot(tg, db) as running:
        forum.post(olga, "/subscribe Казахстан", thread_id=7)
        (done,) = await forum.wait_for(1)
        assert done.thread_id == 7  # the answer, too, stays in the topic
        (sub,) = await subscriptions_of(db, -100_4002)
        assert sub.thread_id == 7
        article = await add_article(db, KZ_NEWS, parties=KZ)
        await match(db, article)
        await drain(Sender(running.bot, db))
        (alert,) = await forum.wait_for(1)
        forum.post(olga, "/subscribe Казахстан", thread_id=9)  # asked again in another topic: alerts move there
        await forum.wait_for(1)
        assert [s.thread_id for s in await subscriptions_of(db, -100_4002)] == [9]
    assert alert.thread_id == 7
    assert forum.in_topic(None) == []


async def _subscribed_group(tg: FakeTelegram, db: Database, group_id: int) -> FakeGroup:
    """A basic group whose administrator subscribed it to Kazakhstan and muted a source, with one alert pending."""
    olga, _ivan = people(tg)
    team = tg.group(group_id, "Группа", creator=olga)
    async with run_bot(tg, db):
        team.post(olga, "/subscribe Казахстан")
        await team.wait_for(1)
    async with db.write() as uow:
        await uow.users.update_settings(group_id, digest_hour=7, language="en")
        await uow.commit()
    pending = await add_article(db, KZ_NEWS, parties=KZ)
    assert (await match(db, pending)).instant == [group_id]
    return team


async def _assert_moved(db: Database, old_id: int, new_id: int) -> None:
    assert await row(db, old_id) is None
    moved = await row(db, new_id)
    assert moved is not None and (moved.chat_id, moved.chat_type, moved.digest_hour) == (new_id, "supergroup", 7)
    assert [s.region for s in await subscriptions_of(db, new_id)] == ["KZ"]
    async with db.read() as uow:
        owners = set(await uow.session.scalars(select(Delivery.user_id)))
    assert owners == {new_id}


async def test_upgrade_notices_move_subscriptions_and_the_pending_alert(tg: FakeTelegram, db: Database) -> None:
    team = await _subscribed_group(tg, db, -4003)
    olga = tg.user(101)
    async with run_bot(tg, db) as running:
        supergroup = team.upgrade(-100_4003, by=olga)  # notices in both chats: the second finds nothing to move
        await eventually(lambda: _gone(db, -4003), "the group's row moved")
        await _assert_moved(db, -4003, -100_4003)
        assert await drain(Sender(running.bot, db)) == 1
        (alert,) = await supergroup.wait_for(1)
        assert "Kazakhstan" in alert.text or "Казахстан" in alert.text
        supergroup.post(olga, "/subscriptions")  # the chat keeps its language and list at the new id
        (listing,) = await supergroup.wait_for(1)
        assert "1 subscription" in listing.text
    assert [r for r in tg.rejections if r.chat_id == -4003] == []


async def _gone(db: Database, user_id: int) -> bool:
    return await row(db, user_id) is None


async def test_sending_to_an_upgraded_group_follows_it_to_the_supergroup(tg: FakeTelegram, db: Database) -> None:
    team = await _subscribed_group(tg, db, -4004)
    supergroup = team.upgrade(-100_4004, by=tg.user(101))
    tg.state.updates.drop_pending()  # the bot was offline and never saw the upgrade notices
    bot = throttled_bot(tg, per_chat_rate=30)
    try:
        assert await drain(Sender(bot, db)) == 1
        (alert,) = await supergroup.wait_for(1)
        await _assert_moved(db, -4004, -100_4004)
        assert [(r.chat_id, r.error_code) for r in tg.rejections] == [(-4004, 400)]  # asked once, then followed
        later = await add_article(db, "Казахстан и Вологодская область обсудили образование", parties=KZ)
        assert (await match(db, later)).instant == [-100_4004]
        assert await drain(Sender(bot, db)) == 1
        await supergroup.wait_for(1)
    finally:
        await bot.session.close()
    assert "Kazakhstan" in alert.text or "Казахстан" in alert.text


async def test_a_removed_bot_stops_sending_and_resumes_with_everything_kept_on_return(
    tg: FakeTelegram, db: Database
) -> None:
    olga, _ivan = people(tg)
    team = tg.group(-4005, "Группа", creator=olga, with_bot=False)
    async with run_bot(tg, db) as running:
        team.add_bot(by=olga)
        (hello,) = await team.wait_for(1)
        assert hello.raw_text == hello_text("ru")
        team.post(olga, "/subscribe Казахстан")
        await team.wait_for(1)
        waiting = await add_article(db, KZ_NEWS, parties=KZ)
        await match(db, waiting)

        team.remove_bot(by=olga)
        await eventually(lambda: _inactive(db, -4005), "the group's row deactivated")
        second = await add_article(db, "Казахстан и Вологодская область: новый контракт", parties=KZ)
        assert (await match(db, second)).instant == []  # a chat the bot left is not matched
        assert await drain(Sender(running.bot, db)) == 0  # and what was owed to it was dropped
        assert [s.region for s in await subscriptions_of(db, -4005)] == ["KZ"]
        assert [r for r in tg.rejections if r.chat_id == -4005] == []  # nothing was even tried

        team.add_bot(by=olga)
        (hello_again,) = await team.wait_for(1)
        assert hello_again.raw_text == hello_text("ru")
        group_row = await row(db, -4005)
        assert group_row is not None and group_row.active
        third = await add_article(db, "Казахстан и Вологодская область открыли торговый дом", parties=KZ)
        assert (await match(db, third)).instant == [-4005]
        assert await drain(Sender(running.bot, db)) == 1
        (alert,) = await team.wait_for(1)
    assert "торговый дом" in alert.text


async def _inactive(db: Database, user_id: int) -> bool:
    found = await row(db, user_id)
    return found is not None and not found.active


async def test_a_channel_subscribes_through_its_admins_posts(tg: FakeTelegram, db: Database) -> None:
    olga, _ivan = people(tg)
    channel = tg.channel(-100_4006, "Новости сотрудничества", creator=olga)
    async with run_bot(tg, db) as running:
        channel.add_bot(by=olga, admin=True)
        await eventually(lambda: _registered(db, -100_4006), "the channel registered")
        channel.publish("/subscribe Казахстан")
        (done,) = await channel.wait_for(1)
        assert done.text.startswith("✅")
        assert [s.region for s in await subscriptions_of(db, -100_4006)] == ["KZ"]
        channel_row = await row(db, -100_4006)
        assert channel_row is not None and channel_row.chat_type == "channel"
        article = await add_article(db, KZ_NEWS, parties=KZ)
        assert (await match(db, article)).instant == [-100_4006]
        assert await drain(Sender(running.bot, db)) == 1
        await channel.wait_for(1)


async def _registered(db: Database, user_id: int) -> bool:
    return await row(db, user_id) is not None
