"""The fake's groups, supergroups and channels behave as Telegram's: members, upgrades, topics, the group limit."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramMigrateToChat

from sandbox.fake_api import FakeTelegram
from sandbox.fake_api.rate_limits import FloodGuard, RateLimits
from tests.fake_api.conftest import ManualClock


async def test_get_chat_member_answers_each_persons_status(telegram: FakeTelegram, bot: Bot) -> None:
    olga, ivan, stranger = telegram.user(1, "Ольга"), telegram.user(2, "Иван"), telegram.user(3, "Гость")
    team = telegram.group(-10, "Команда", creator=olga)
    team.add_member(ivan)
    assert (await bot.get_chat_member(-10, olga.chat_id)).status == "creator"
    assert (await bot.get_chat_member(-10, ivan.chat_id)).status == "member"
    assert (await bot.get_chat_member(-10, stranger.chat_id)).status == "left"
    team.set_admin(ivan)
    assert (await bot.get_chat_member(-10, ivan.chat_id)).status == "administrator"
    assert (await bot.get_chat_member(-10, (await bot.me()).id)).status == "member"


async def test_an_upgraded_group_answers_400_with_its_new_id(telegram: FakeTelegram, bot: Bot) -> None:
    olga = telegram.user(1, "Ольга")
    team = telegram.group(-20, "Команда", creator=olga)
    supergroup = team.upgrade(-100_20, by=olga)
    notices = [u["message"] for u in telegram.state.updates.pending if "message" in u]
    assert [(n["chat"]["id"], n.get("migrate_to_chat_id"), n.get("migrate_from_chat_id")) for n in notices] == [
        (-20, -100_20, None),
        (-100_20, None, -20),
    ]
    with pytest.raises(TelegramMigrateToChat) as raised:
        await bot.send_message(-20, "в старую группу")
    assert raised.value.migrate_to_chat_id == -100_20
    await bot.send_message(-100_20, "в супергруппу")
    assert [m.text for m in supergroup.messages()] == ["в супергруппу"]
    assert supergroup.kind == "supergroup"


async def test_forum_topics_are_recorded_and_a_removed_bot_is_refused(telegram: FakeTelegram, bot: Bot) -> None:
    olga = telegram.user(1, "Ольга")
    forum = telegram.group(-100_30, "Форум", creator=olga, forum=True)
    sent = await bot.send_message(-100_30, "в тему", message_thread_id=7)
    assert sent.is_topic_message and sent.message_thread_id == 7
    assert [m.thread_id for m in forum.messages()] == [7]
    forum.remove_bot(by=olga)
    update = telegram.state.updates.pending[-1]["my_chat_member"]
    assert (update["old_chat_member"]["status"], update["new_chat_member"]["status"]) == ("member", "kicked")
    with pytest.raises(TelegramForbiddenError, match="kicked from the supergroup"):
        await bot.send_message(-100_30, "после удаления")


def test_group_window_refuses_the_message_over_the_limit_and_only_in_groups() -> None:
    clock = ManualClock()
    guard = FloodGuard(RateLimits(per_chat_rate=None, global_rate=None, group_rate=3, group_window=60.0), clock)
    for _ in range(3):
        guard.admit(-5, "sendMessage")
        clock.advance(10)
    with pytest.raises(Exception, match="retry after 30"):  # the first of the three leaves the window at 60 s
        guard.admit(-5, "sendMessage")
    assert [v.scope for v in guard.violations] == ["group"]
    for _ in range(10):
        guard.admit(5, "sendMessage")  # a private chat has no per-minute window
    clock.advance(30)
    guard.admit(-5, "sendMessage")
    assert guard.max_in_window(60.0, chat_id=-5) == 3
