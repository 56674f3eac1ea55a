"""New users tap through to subscriptions; the text form understands case forms, English and ambiguity."""

from __future__ import annotations

import pytest

from bot.callbacks import NewSubCb
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import RunningBot, ask, button_data, tap


async def _subs(db: Database, user_id: int) -> list[tuple[str, str | None, str | None, str | None, str | None, str]]:
    async with db.read() as uow:
        return [
            (s.kind, s.region, s.partner, s.topic, s.keyword, s.mode) for s in await uow.subscriptions.for_user(user_id)
        ]


async def test_start_registers_user_in_telegram_language(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    ru = tg.user(101, "Анна", language_code="ru")
    en = tg.user(102, "John", language_code="en-GB")
    kk = tg.user(103, "Айгерим", language_code="kk")
    reply_ru = await ask(ru, "/start")
    reply_en = await ask(en, "/start")
    await ask(kk, "/start")
    await ask(ru, "/start")  # idempotent
    assert "Здравствуйте, Анна" in reply_ru.text and "/search" in reply_ru.text
    assert "Hello, John" in reply_en.text
    assert reply_ru.buttons and reply_en.buttons
    async with db.read() as uow:
        assert (await uow.users.get(101)).language == "ru"  # type: ignore[union-attr]
        assert (await uow.users.get(102)).language == "en"  # type: ignore[union-attr]
        assert (await uow.users.get(103)).language == "ru"  # type: ignore[union-attr]
        assert await uow.users.count() == 3


async def test_tap_through_to_region_subscription(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(110, "Олег")
    menu = await ask(user, "/start")
    msg = await tap(user, menu, button_data(menu, "📍 Регион"))
    assert "страну" in msg.text
    msg = await tap(user, msg, label="🇷🇺 Россия")
    msg = await tap(user, msg, label="Северо-Западный")
    msg = await tap(user, msg, label="🇷🇺 Вологодская область")
    assert "Как присылать" in msg.text
    msg = await tap(user, msg, label="📰 В ежедневной сводке")
    assert "Подписка оформлена" in msg.text and "Вологодская область" in msg.text
    assert await _subs(db, 110) == [("region", "RU-VLG", None, None, None, "digest")]


async def test_tap_through_to_pair_subscription(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(111, "Olga", language_code="en")
    menu = await ask(user, "/subscribe")
    msg = await tap(user, menu, label="🤝 My region ↔ a partner")
    msg = await tap(user, msg, label="🇷🇺 Russia")
    msg = await tap(user, msg, label="Northwestern")
    msg = await tap(user, msg, label="🇷🇺 Vologda Oblast")
    assert "Now choose the partner" in msg.text
    msg = await tap(user, msg, label="🇰🇿 Kazakhstan")
    msg = await tap(user, msg, button_data(msg, "🇰🇿 Almaty Region"))
    msg = await tap(user, msg, label="🔔 Instantly")
    assert "Subscribed" in msg.text and "↔" in msg.text
    assert await _subs(db, 111) == [("pair", "RU-VLG", "KZ-19", None, None, "instant")]


async def test_tap_through_to_topic_and_region(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(112, "Ирина")
    menu = await ask(user, "/subscribe")
    msg = await tap(user, menu, label="📍+🏷 Регион и тема")
    msg = await tap(user, msg, label="Лесное хозяйство и ЛПК")
    assert "Тема: Лесное хозяйство" in msg.text
    msg = await tap(user, msg, label="🇷🇺 Россия")
    msg = await tap(user, msg, label="Северо-Западный")
    msg = await tap(user, msg, label="🇷🇺 Вологодская область")
    msg = await tap(user, msg, label="🔔 Сразу")
    assert await _subs(db, 112) == [("region", "RU-VLG", None, "forestry", None, "instant")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Вологодская область", ("region", "RU-VLG", None, None, None, "instant")),
        ("Вологодской области", ("region", "RU-VLG", None, None, None, "instant")),
        ("вологодскую область", ("region", "RU-VLG", None, None, None, "instant")),
        ("Vologda Oblast", ("region", "RU-VLG", None, None, None, "instant")),
        ("Казахстан", ("region", "KZ", None, None, None, "instant")),
        ("лесопромышленный комплекс", ("topic", None, None, "forestry", None, "instant")),
        ("Вологодская область лес", ("region", "RU-VLG", None, "forestry", None, "instant")),
    ],
)
async def test_text_form_subscriptions(
    running: RunningBot, tg: FakeTelegram, db: Database, text: str, expected: tuple[object, ...]
) -> None:
    user = tg.user(120, "Пётр")
    reply = await ask(user, f"/subscribe {text}")
    assert "Подписка оформлена" in reply.text
    assert await _subs(db, 120) == [expected]
    again = await ask(user, f"/subscribe {text}")
    assert "уже подписаны" in again.text
    assert len(await _subs(db, 120)) == 1


async def test_quoted_keyword_is_lemmatised(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(121, "Пётр")
    reply = await ask(user, '/subscribe "меморандумы"')
    assert "«меморандумы»" in reply.text
    [(kind, _r, _p, _t, keyword, _m)] = await _subs(db, 121)
    assert (kind, keyword) == ("keyword", "меморандум")


async def test_ambiguous_name_asks_with_buttons(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(122, "Асель")
    reply = await ask(user, "/subscribe Алматы")
    assert "Что вы имеете в виду" in reply.text
    codes = {NewSubCb.unpack(data).region for _, data in reply.buttons if data}
    assert codes == {"KZ-75", "KZ-19"}
    assert await _subs(db, 122) == []
    await tap(user, reply, NewSubCb(kind="region", region="KZ-75", mode="instant").pack())
    assert await _subs(db, 122) == [("region", "KZ-75", None, None, None, "instant")]


@pytest.mark.parametrize(
    "hostile",
    ['"', "NEAR(", "-", "*", "😀" * 500, "'; DROP TABLE users; --", "<b>&amp; <script>", "x" * 5000],
)
async def test_hostile_subscribe_text_gets_a_clear_answer(running: RunningBot, tg: FakeTelegram, hostile: str) -> None:
    user = tg.user(130, "Eve")
    reply = await ask(user, f"/subscribe {hostile}")
    assert reply.text  # an answer, valid HTML (the fake API rejects anything else)
    if "<b>" in hostile:
        assert "<b>&amp; <script>" in reply.text  # echoed back literally, i.e. escaped on the wire
