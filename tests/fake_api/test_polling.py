"""getUpdates long polling, and the real aiogram Dispatcher driven through the fake."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Message

from sandbox.fake_api import FakeTelegram


async def test_long_poll_returns_as_soon_as_a_user_writes(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(401, "Айгуль", language_code="kk")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await telegram.wait_for_poller()
    started = time.monotonic()
    user.send("/search Алматинская область")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert time.monotonic() - started < 2  # answered on arrival, not at the 30 s timeout
    message = updates[0].message
    assert message is not None and message.text == "/search Алматинская область"
    assert message.from_user is not None and message.from_user.language_code == "kk"
    assert message.entities is not None and message.entities[0].type == "bot_command"
    assert message.entities[0].length == len("/search")


async def test_short_poll_offset_and_limit(telegram: FakeTelegram, bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == []
    user = telegram.user(402)
    for text in ("раз", "два", "три"):
        user.send(text)
    first_two = await bot.get_updates(limit=2)
    assert [update.message.text for update in first_two if update.message] == ["раз", "два"]
    # Unconfirmed updates come again; an offset past them confirms them.
    again = await bot.get_updates()
    assert [update.update_id for update in again][:2] == [update.update_id for update in first_two]
    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
    assert [update.message.text for update in rest if update.message] == ["три"]
    assert telegram.pending_updates == 1


async def test_allowed_updates_filters_types(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(403)
    sent = await bot.send_message(
        403,
        "?",
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="да", callback_data="y")]]),
    )
    user.send("текст")
    user.tap(sent.message_id, "y")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [update.callback_query.data for update in updates if update.callback_query] == ["y"]
    assert all(update.message is None for update in updates)


async def test_a_second_poller_terminates_the_first(telegram: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await telegram.wait_for_poller()
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, timeout=5)
    assert await asyncio.wait_for(second, timeout=5) == []


async def test_tapping_a_button_requires_it_to_exist(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(404)
    sent = await bot.send_message(404, "без кнопок")
    with pytest.raises(ValueError, match="no button"):
        user.tap(sent.message_id, "ghost")


def echo_router(blocked: asyncio.Event | None = None) -> Router:
    """A small bot: greets with a button, answers taps, echoes /echo, notices being blocked."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Подписаться", callback_data="sub:RU-VLG")]]
        )
        name = message.from_user.first_name if message.from_user else "гость"
        await message.answer(f"Здравствуйте, <b>{name}</b>!", reply_markup=markup)

    @router.callback_query(F.data.startswith("sub:"))
    async def subscribe(query: CallbackQuery) -> None:
        await query.answer("Подписка оформлена")
        if isinstance(query.message, Message):
            await query.message.edit_text("Вы подписаны на <i>Вологодскую область</i>")

    @router.message(Command("echo"))
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.my_chat_member()
    async def member(update: ChatMemberUpdated) -> None:
        if update.new_chat_member.status == "kicked" and blocked is not None:
            blocked.set()

    return router


async def test_dispatcher_feed_update_from_the_wire(telegram: FakeTelegram, bot: Bot) -> None:
    dispatcher = Dispatcher()
    dispatcher.include_router(echo_router())
    user = telegram.user(405, "Ольга")
    user.send("/start")
    for update in await bot.get_updates():
        await dispatcher.feed_update(bot, update)
    assert user.last.text == "Здравствуйте, Ольга!"
    assert user.last.buttons == [("Подписаться", "sub:RU-VLG")]


async def test_real_polling_handles_a_conversation_and_stops_cleanly(
    telegram: FakeTelegram, make_bot: Callable[..., Bot]
) -> None:
    bot = make_bot(telegram)
    blocked = asyncio.Event()
    dispatcher = Dispatcher()
    dispatcher.include_router(echo_router(blocked))
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=10)
    )
    user = telegram.user(406, "Данияр")
    user.send("/start")
    (greeting,) = await user.wait_for(1)
    assert greeting.text == "Здравствуйте, Данияр!"
    query_id = user.tap(greeting, "sub:RU-VLG")
    await user.wait_until(lambda: bool(user.callback_answers) and user.last.edited == 1)
    assert user.callback_answers[0].query_id == query_id
    assert user.callback_answers[0].text == "Подписка оформлена"
    assert user.last.text == "Вы подписаны на Вологодскую область"
    for word in ("один", "два"):
        user.send(f"/echo {word}")
    echoes = await user.wait_for(2)
    assert [message.text for message in echoes] == ["/echo один", "/echo два"]
    user.block()
    await asyncio.wait_for(blocked.wait(), timeout=5)  # the bot saw the my_chat_member update
    await telegram.wait_for_poller()
    await dispatcher.stop_polling()
    await asyncio.wait_for(polling, timeout=5)
    kinds = [(event.direction, event.kind) for event in telegram.transcript]
    assert kinds[:4] == [("in", "message"), ("out", "message"), ("in", "tap"), ("out", "answer")]


async def test_closing_the_fake_releases_a_parked_long_poll(make_bot: Callable[..., Bot]) -> None:
    fake = FakeTelegram()
    await fake.start()
    bot = make_bot(fake)
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await fake.wait_for_poller()
    started = time.monotonic()
    await fake.close()
    assert await asyncio.wait_for(poll, timeout=5) == []
    assert time.monotonic() - started < 2
