"""/subscribe that reads right: unknown words ask before becoming keywords, the picker leads with real partners."""

from __future__ import annotations

from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import ArticleSeed, RunningBot, ask, tap


async def _subs(db: Database, user_id: int) -> list[tuple[str, str | None, str | None]]:
    async with db.read() as uow:
        return [(s.kind, s.region, s.label) for s in await uow.subscriptions.for_user(user_id)]


async def test_unknown_word_asks_and_is_followed_only_after_a_tap(
    running: RunningBot, tg: FakeTelegram, db: Database
) -> None:
    user = tg.user(401, "Анна")
    await ask(user, "/start")
    question = await ask(user, "/subscribe qwertyuiop")
    assert "Не знаю места или темы «qwertyuiop»" in question.text
    assert await _subs(db, 401) == []  # nothing silently created
    await tap(user, question, label="🔤 Следить за словом «qwertyuiop»")
    assert await _subs(db, 401) == [("keyword", None, "qwertyuiop")]
    assert "Подписка оформлена" in user.messages()[-1].text


async def test_a_typo_in_a_place_offers_the_place(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(402, "Анна")
    await ask(user, "/start")
    question = await ask(user, "/subscribe Вологодскяа область")
    labels = [label for label, _ in question.buttons]
    assert any("Вологодская область" in label for label in labels), labels
    assert labels[-1].startswith("🔤")  # following the words as typed stays possible
    await tap(user, question, label=next(label for label in labels if "Вологодская область" in label))
    assert [(kind, region) for kind, region, _ in await _subs(db, 402)] == [("region", "RU-VLG")]


async def test_quoted_words_are_followed_at_once(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    user = tg.user(403, "Анна")
    await ask(user, "/start")
    reply = await ask(user, '/subscribe "qwertyuiop"')
    assert "Подписка оформлена" in reply.text
    assert (await _subs(db, 403))[0][0] == "keyword"


async def test_partner_picker_puts_the_regions_partners_first_then_the_rest_by_name(
    running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed
) -> None:
    for i, partner in enumerate(["KG-C", "KG-GB", "MN", "KZ-19"]):
        await add_article(f"Вологда и партнёр {i}", "Текст", regions=("RU-VLG", partner),
                          parties=(("RU-VLG", partner),))
    user = tg.user(404, "Olga", language_code="en")
    menu = await ask(user, "/subscribe")
    msg = await tap(user, menu, label="🤝 My region ↔ a partner")
    first_page = [label for label, _ in msg.buttons]
    assert first_page[0] == "🇷🇺 Russia"  # your own side: Russia first
    msg = await tap(user, msg, label="🇷🇺 Russia")
    msg = await tap(user, msg, label="Northwestern")
    msg = await tap(user, msg, label="🇷🇺 Vologda Oblast")
    countries = [label for label, _ in msg.buttons if label[:1] not in "◀▶" and "/" not in label]
    # Kyrgyzstan has two items with Vologda, Kazakhstan and Mongolia one each (ties by code)
    assert countries[:3] == ["🇰🇬 Kyrgyzstan", "🇰🇿 Kazakhstan", "🇲🇳 Mongolia"]
    rest = countries[3:]
    names = [label.split(" ", 1)[1] for label in rest]
    neighbours = [n for n in names if n in {"Armenia", "Azerbaijan", "Belarus", "Moldova", "Tajikistan",
                                              "Turkmenistan", "Uzbekistan"}]
    assert neighbours == sorted(neighbours)  # then alphabetically, in the reader's language
    assert "🇷🇺 Russia" not in countries[:12]
