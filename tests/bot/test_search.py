"""/search: morphology, filters, pages that edit the message, hostile input; /latest and alert buttons."""

from __future__ import annotations

import pytest

from bot.callbacks import MoreLikeCb, MuteSourceCb
from bot.keyboards import alert_buttons
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import ArticleSeed, RunningBot, ask, tap


@pytest.fixture
def db_url(any_engine_db_url: str) -> str:
    """/search and /latest run on both engines: SQLite and PostgreSQL (see tests/engines.py)."""
    return any_engine_db_url


async def test_inflected_word_and_place_filters(
    running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed
) -> None:
    await add_article(
        "Вологодская область и Казахстан развивают сотрудничество в лесопромышленном комплексе",
        "Делегация обсудила поставки древесины в Алматинскую область.",
        regions=("RU-VLG", "KZ-19"),
        parties=(("RU-VLG", "KZ-19"),),
        topics=("forestry",),
    )
    await add_article(
        "Омская область подписала соглашение с Казахстаном",
        "Речь шла о зерне.",
        regions=("RU-OMS", "KZ"),
        parties=(("RU-OMS", "KZ"),),
        topics=("agriculture",),
    )
    user = tg.user(200, "Анна")
    reply = await ask(user, "/search лесопромышленный")
    assert "Найдена 1 статья" in reply.text and "лесопромышленном" in reply.text
    reply = await ask(user, "/search Вологда Казахстан лес")
    assert "Найдена 1 статья" in reply.text and "Вологодская область" in reply.text
    reply = await ask(user, "/search Казахстан")
    assert "Найдено 2 статьи" in reply.text
    reply = await ask(user, "/search Казахстан since:2999-01-01")
    assert "ничего не найдено" in reply.text
    reply = await ask(user, "/search Казахстан since:2025-13-45")
    assert "since:2025-01-01" in reply.text


async def test_pages_edit_the_same_message(running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed) -> None:
    for i in range(12):
        await add_article(f"Меморандум номер {i} о сотрудничестве", f"Текст {i}", days_ago=i + 1)
    user = tg.user(201, "Анна")
    first = await ask(user, "/search меморандум")
    assert "Найдено 12 статей" in first.text and "номер 0 " in first.text
    assert [label for label, _ in first.buttons] == ["1/3", "▶"]
    second = await tap(user, first, label="▶")
    assert second.message_id == first.message_id and "номер 5 " in second.text and "номер 0 " not in second.text
    third = await tap(user, second, label="▶")
    assert [label for label, _ in third.buttons] == ["◀", "3/3"]
    assert len(user.messages()) == 1  # paging never sent a new message


async def test_a_capped_total_says_more_than_and_pages_on(
    running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.search import common

    monkeypatch.setattr(common, "TOTAL_CAP", 7)  # twelve matches: the count stops at 7, then at each window
    monkeypatch.setattr(common, "RANK_WINDOW", 5)
    for i in range(12):  # later ids are newer, as when a database fills: the window keeps the newest
        await add_article(f"Меморандум номер {i} о сотрудничестве", f"Текст {i}", days_ago=12 - i)
    user = tg.user(206, "Анна")
    first = await ask(user, "/search меморандум")
    assert "Найдено более 7 статей" in first.text and "номер 11 " in first.text
    assert [label for label, _ in first.buttons] == ["1/2+", "▶"]  # more pages than the capped total shows
    second = await tap(user, first, label="▶")  # offset 5 + 5: the count reaches 10, still short of 12
    assert "Найдено более 10 статей" in second.text and "номер 6 " in second.text
    assert [label for label, _ in second.buttons] == ["◀", "2/2+", "▶"]
    third = await tap(user, second, label="▶")  # offset 10 + 5 = 15 > 12: counted exactly
    assert "Найдено 12 статей" in third.text and "номер 0 " in third.text
    assert [label for label, _ in third.buttons] == ["◀", "3/3"]
    english = tg.user(207, "Ann", language_code="en")
    assert "Found more than 7 articles" in (await ask(english, "/search меморандум")).text
    monkeypatch.setattr(common, "TOTAL_CAP", 10_000)
    assert "Found 12 articles" in (await ask(english, "/search меморандум")).text  # under the cap: exact


def test_counts_are_written_in_threes() -> None:
    from bot.results import count_text

    assert [count_text(n) for n in (7, 999, 10_000, 1_234_567)] == ["7", "999", "10\u00a0000", "1\u00a0234\u00a0567"]


@pytest.mark.parametrize(
    "hostile, expected",
    [
        ('"', "нет слов для поиска"),
        ("NEAR(", "ничего не найдено"),
        ("-", "нет слов для поиска"),
        ("*", "нет слов для поиска"),
        ("😀" * 500, "слишком длинный"),
        ("😀" * 100, "нет слов для поиска"),
        ("SELECT * FROM users; DROP TABLE articles; --", "ничего не найдено"),
        ("<b>x</b> & <i>", "«<b>x</b> & <i>»"),
        ("y" * 5000, "слишком длинный"),
        ('сотрудничество" OR "1"="1', "ничего не найдено"),
        ("col:value AND NOT x", "ничего не найдено"),
    ],
)
async def test_hostile_queries_get_clear_answers(
    running: RunningBot, tg: FakeTelegram, db: Database, add_article: ArticleSeed, hostile: str, expected: str
) -> None:
    await add_article("Новость о сотрудничестве", "Текст")
    user = tg.user(203, "Eve")
    reply = await ask(user, f"/search {hostile}")
    assert expected in reply.text  # the fake API accepted it, so every echo was escaped
    assert "сотрудничестве" in (await ask(user, "/search сотрудничество")).text  # nothing broke
    async with db.read() as uow:
        assert await uow.articles.count() == 1


async def test_empty_search_explains_usage(running: RunningBot, tg: FakeTelegram) -> None:
    user = tg.user(204, "Ann", language_code="en")
    assert "/search" in (await ask(user, "/search")).text
    assert "no words to search" in (await ask(user, "/search 😀😀😀")).text


async def test_latest_uses_my_subscriptions(running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed) -> None:
    await add_article(
        "Вологодские лесопромышленники в Алматы",
        "Соглашение подписано.",
        regions=("RU-VLG", "KZ-75"),
        parties=(("RU-VLG", "KZ-75"),),
    )
    await add_article("Татарстан и Узбекистан", "Визит.", regions=("RU-TA", "UZ"), parties=(("RU-TA", "UZ"),))
    user = tg.user(205, "Анна")
    assert "нет подписок" in (await ask(user, "/latest")).text
    await ask(user, "/subscribe Казахстан")
    reply = await ask(user, "/latest")
    assert "Вологодские лесопромышленники" in reply.text and "Татарстан" not in reply.text


async def test_alert_buttons_more_like_this_and_mute(
    running: RunningBot, tg: FakeTelegram, db: Database, add_article: ArticleSeed
) -> None:
    first = await add_article(
        "Вологда и Алматинская область: лес",
        "Текст",
        regions=("RU-VLG", "KZ-19"),
        parties=(("RU-VLG", "KZ-19"),),
        topics=("forestry",),
    )
    await add_article(
        "Ещё о лесе: Вологда и Алматинская область",
        "Текст 2",
        regions=("RU-VLG", "KZ-19"),
        parties=(("RU-VLG", "KZ-19"),),
        topics=("forestry",),
    )
    user = tg.user(206, "Анна")
    await ask(user, "/start")
    alert = await running.bot.send_message(206, "alert", reply_markup=alert_buttons("ru", first))
    sent = await user.wait_for(1)
    assert sent[-1].message_id == alert.message_id
    user.tap(sent[-1], MoreLikeCb(article_id=first).pack())
    found = (await user.wait_for(1))[-1]
    assert "Найдено 2 статьи" in found.text
    user.tap(sent[-1], MuteSourceCb(article_id=first).pack())
    muted = (await user.wait_for(1))[-1]
    assert "Source test-src" in muted.text
    async with db.read() as uow:
        assert await uow.subscriptions.users_muting("test-src", [206]) == {206}


async def test_unreadable_since_is_named_and_the_rest_still_searched(
    running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed
) -> None:
    await add_article("Вологда и Казахстан: лесной форум", "Лес и древесина.", regions=("RU-VLG", "KZ"),
                      parties=(("RU-VLG", "KZ"),), topics=("forestry",), days_ago=0.5)
    await add_article("Старая новость о лесе", "Лес.", regions=("RU-VLG", "KZ"), parties=(("RU-VLG", "KZ"),),
                      topics=("forestry",), days_ago=20)
    user = tg.user(210, "Анна")
    reply = await ask(user, "/search since:вчерашний лес")
    assert "since:вчерашний" in reply.text and "Найдено 2 статьи" in reply.text  # named, and searched without it
    reply = await ask(user, "/search since:вчера лес")
    assert "Найдена 1 статья" in reply.text and "лесной форум" in reply.text and "⚠️" not in reply.text
    assert "↔" in reply.text  # the party line, as in alerts


async def test_cli_search_and_bot_search_agree(
    running: RunningBot, tg: FakeTelegram, add_article: ArticleSeed, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app import commands

    for i, (regions, days) in enumerate([(("RU-VLG", "KZ"), 0.5), (("RU-OMS", "KZ-55"), 2), (("RU-VLG", "BY"), 0.3)]):
        await add_article(f"Лесная новость {i}", "Лес, древесина, лесозаготовки.", regions=regions,
                          parties=(regions,), topics=("forestry",), days_ago=days)
    user = tg.user(211, "Анна")
    words = "since:вчера лес"
    bot_reply = await ask(user, f"/search {words}")
    assert "Найдено 2 статьи" in bot_reply.text
    assert await commands.search(running.settings, words, limit=10) == 0
    out = capsys.readouterr().out
    assert out.count("Лесная новость") == 2 and "Лесная новость 1" not in out
    assert "RU-VLG↔KZ" in out
