"""A real aiogram Bot against the fake: what Telegram accepts, what it refuses, and what is recorded."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox.fake_api import FakeTelegram


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs]
    )


async def test_get_me_describes_the_bot(telegram: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "coopnews_test_bot" and me.id == bot.id


async def test_valid_html_is_delivered_with_increasing_ids(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(101, "Ольга")
    first = await bot.send_message(101, "<b>Вологодская область</b> &amp; Казахстан")
    second = await bot.send_message(101, "второе", reply_markup=keyboard(("Подробнее", "more:RU-VLG")))
    assert second.message_id == first.message_id + 1
    assert first.text == "Вологодская область & Казахстан"
    assert first.entities is not None and first.entities[0].type == "bold"
    assert first.from_user is not None and first.from_user.id == bot.id
    assert second.reply_markup is not None
    assert second.reply_markup.inline_keyboard[0][0].callback_data == "more:RU-VLG"
    assert [message.text for message in user.messages()] == [first.text, "второе"]
    assert user.last.buttons == [("Подробнее", "more:RU-VLG")]
    assert user.last.parse_mode == "HTML"


async def test_invalid_html_is_refused_and_nothing_is_delivered(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(102)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(102, "Итоги форума <br> AT&T")
    assert user.messages() == []
    assert telegram.rejections[-1].error_code == 400 and telegram.rejections[-1].chat_id == 102


async def test_length_is_counted_on_visible_text(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.user(103)
    # 4096 visible characters whose raw HTML is far longer still pass...
    fits = "<b>" + "&lt;" * 2048 + "</b>" + "я" * 2048
    sent = await bot.send_message(103, fits)
    assert sent.text is not None and len(sent.text) == 4096
    # ...while one more visible character does not.
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(103, "я" * 4097)


async def test_empty_text_is_refused(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.user(104)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(104, "<b>  </b>")


async def test_callback_data_is_limited_to_64_bytes(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.user(105)
    # 32 Cyrillic letters are 64 bytes: the limit is in bytes, not characters.
    await bot.send_message(105, "ok", reply_markup=keyboard(("ok", "ж" * 32)))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(105, "too long", reply_markup=keyboard(("a", "x"), ("b", "x" * 65)))


async def test_blocked_chat_gives_forbidden(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(106)
    telegram.block(106)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(106, "тревога")
    telegram.unblock(106)
    await bot.send_message(106, "снова можно")
    assert [message.text for message in user.messages()] == ["снова можно"]


async def test_unknown_chat_is_not_found(telegram: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "кому?")


async def test_wrong_token_is_unauthorized(telegram: FakeTelegram, make_bot: Callable[..., Bot]) -> None:
    stranger = make_bot(telegram, token="42:not-this-bot")
    with pytest.raises(TelegramUnauthorizedError):
        await stranger.get_me()


async def test_unknown_method_is_404(telegram: FakeTelegram) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{telegram.base_url}/bot{telegram.token}/sendTelepathy") as response,
    ):
        body = await response.json()
    assert response.status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_json_bodies_and_case_insensitive_methods_work(telegram: FakeTelegram) -> None:
    telegram.user(107)
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{telegram.base_url}/bot{telegram.token}/SENDMESSAGE", json={"chat_id": 107, "text": "hi"}
        ) as response,
    ):
        body = await response.json()
    assert body["ok"] and body["result"]["text"] == "hi"


async def test_edits_are_recorded_and_identical_edit_is_not_modified(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(108)
    sent = await bot.send_message(108, "<i>черновик</i>", reply_markup=keyboard(("Да", "y")))
    edited = await bot.edit_message_text("<b>итог</b>", chat_id=108, message_id=sent.message_id)
    assert isinstance(edited, type(sent)) and edited.text == "итог" and edited.edit_date is not None
    # Without reply_markup Telegram drops the keyboard.
    assert user.last.edited == 1 and user.last.buttons == []
    # <strong> parses to the same bold entity: the content is unchanged.
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("<strong>итог</strong>", chat_id=108, message_id=sent.message_id)
    await bot.edit_message_reply_markup(chat_id=108, message_id=sent.message_id, reply_markup=keyboard(("Ок", "k")))
    assert user.last.buttons == [("Ок", "k")] and user.last.edited == 2
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=108, message_id=sent.message_id + 50)


async def test_delete_and_chat_action(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(109)
    sent = await bot.send_message(109, "временное")
    assert await bot.send_chat_action(109, "typing")
    assert await bot.delete_message(109, sent.message_id)
    assert user.last.deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(109, sent.message_id)


async def test_documents_and_photos_are_recorded_with_captions(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(110)
    report = BufferedInputFile("дата;событие\n".encode(), filename="report.csv")
    sent = await bot.send_document(110, report, caption="<b>Отчёт</b> за май")
    assert sent.document is not None and sent.document.file_name == "report.csv"
    assert sent.caption == "Отчёт за май"
    await bot.send_photo(110, BufferedInputFile(b"\x89PNG fake", filename="chart.png"), caption="график")
    assert [(f.kind, f.file_name, f.caption) for f in telegram.files] == [
        ("document", "report.csv", "Отчёт за май"),
        ("photo", "chart.png", "график"),
    ]
    assert telegram.files[0].content == "дата;событие\n".encode()
    assert [message.kind for message in user.messages()] == ["document", "photo"]
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_document(110, BufferedInputFile(b"x", filename="a.txt"), caption="я" * 1025)


async def test_commands_and_menu_button(telegram: FakeTelegram, bot: Bot) -> None:
    commands = [BotCommand(command="start", description="Начать"), BotCommand(command="search", description="Поиск")]
    assert await bot.set_my_commands(commands)
    listed = await bot.get_my_commands()
    assert [(item.command, item.description) for item in listed] == [("start", "Начать"), ("search", "Поиск")]
    assert [item["command"] for item in telegram.commands()] == ["start", "search"]
    assert await bot.get_my_commands(language_code="en") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Поиск", description="x")])
    assert await bot.set_chat_menu_button()
    assert await bot.delete_webhook(drop_pending_updates=True)


async def test_transcript_orders_both_directions(telegram: FakeTelegram, bot: Bot) -> None:
    user = telegram.user(111)
    user.send("/start")
    await bot.send_message(111, "Здравствуйте")
    assert [(event.direction, event.kind, event.text) for event in telegram.transcript] == [
        ("in", "message", "/start"),
        ("out", "message", "Здравствуйте"),
    ]
    assert "bot → 111 message: Здравствуйте" in telegram.render_transcript()
