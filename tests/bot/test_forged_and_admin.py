"""Forged or malformed callback data changes nothing; admin commands reveal nothing to others."""

from __future__ import annotations

import pytest

from bot.callbacks import NewSubCb, SearchCb, SettingsCb, SubCb
from bot.scrape_summary import ScrapeSummary
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import ADMIN_ID, RunningBot, ask, current, forged_answer, run_bot


async def _snapshot(db: Database) -> list[tuple[int, int, str, str]]:
    async with db.read() as uow:
        subs = await uow.subscriptions.for_user(301) + await uow.subscriptions.for_user(302)
        users = [await uow.users.get(i) for i in (301, 302)]
    return [(s.id, s.user_id, s.key, s.mode) for s in subs] + [
        (u.id, u.digest_hour, u.timezone, u.language) for u in users if u is not None
    ]


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "",
        "sb:rm:abc:0",
        "sb:xx:1:0",
        "ns:region:XX-NOPE:::instant",
        "ns:pair:RU-VLG:RU-VLG::instant",
        "ns:topic:::nosuchtopic:instant",
        "ns:region:RU-VLG:::forever",
        "pk:r:co:ZZ::0::",
        "pk:q:cl:::0::",
        "tp:t:nosuchtopic",
        "st:tz:Mars/Olympus",
        "st:dh:25",
        "st:lang:de",
        "st:qh:5-5",
        "st:v:nope",
        "mn:zzz",
        "ml:99999",
        "mu:99999",
        "sr:99999:0",
        "x" * 64,
    ],
)
async def test_malformed_callback_data_changes_nothing(
    running: RunningBot, tg: FakeTelegram, db: Database, data: str
) -> None:
    alice = tg.user(301, "Alice", language_code="en")
    reply = await ask(alice, "/subscribe Казахстан")
    before = await _snapshot(db)
    answer = await forged_answer(tg, alice, reply, data)
    assert answer  # always a polite word, never silence or an error
    assert await _snapshot(db) == before
    assert current(alice, reply.message_id).edited == 0


async def test_another_users_subscription_id_is_refused(running: RunningBot, tg: FakeTelegram, db: Database) -> None:
    alice, mallory = tg.user(301, "Alice"), tg.user(302, "Mallory")
    await ask(alice, "/subscribe Казахстан")
    listing = await ask(mallory, "/subscriptions")
    async with db.read() as uow:
        [alice_sub] = await uow.subscriptions.for_user(301)
    before = await _snapshot(db)
    for action in ("rm", "md"):
        answer = await forged_answer(tg, mallory, listing, SubCb(action=action, sub_id=alice_sub.id).pack())
        assert answer and "устарела" in answer
    assert await _snapshot(db) == before
    # Mallory also cannot page through Alice's search.
    await ask(alice, "/search Казахстан")
    assert "устарел" in (await forged_answer(tg, mallory, listing, SearchCb(key=1, page=0).pack()) or "")


async def test_forged_but_well_formed_new_subscription_only_affects_the_sender(
    running: RunningBot, tg: FakeTelegram, db: Database
) -> None:
    mallory = tg.user(302, "Mallory")
    msg = await ask(mallory, "/start")
    await forged_answer(tg, mallory, msg, NewSubCb(kind="region", region="RU-VLG", mode="digest").pack())
    async with db.read() as uow:
        assert [s.user_id for s in await uow.subscriptions.for_user(302)] == [302]
        assert await uow.subscriptions.for_user(301) == []
    await forged_answer(tg, mallory, msg, SettingsCb(key="dh", value="7").pack())
    async with db.read() as uow:
        assert (await uow.users.get(302)).digest_hour == 7  # type: ignore[union-attr]


async def test_admin_commands_for_admin_and_not_for_others(tg: FakeTelegram, db: Database) -> None:
    calls: list[str] = []

    async def scrape_now() -> ScrapeSummary:
        calls.append("scrape")
        return ScrapeSummary(3, 2, ["<bad>-site"])

    async with run_bot(tg, db, scrape_now=scrape_now):
        other = tg.user(303, "Nobody")
        unknown = (await ask(other, "/frobnicate")).text
        assert (await ask(other, "/stats")).text == unknown
        assert (await ask(other, "/scrape")).text == unknown
        assert calls == []
        admin = tg.user(ADMIN_ID, "Admin")
        stats = await ask(admin, "/stats")
        assert "Активных пользователей: 2" in stats.text and "Подписок: 0" in stats.text
        admin.send("/scrape")
        replies = await admin.wait_for(2)
        assert calls == ["scrape"] and "Опрошено источников: 3, новых статей: 2" in replies[-1].text
        assert "не удалось: <bad>-site" in replies[-1].text  # escaped, so Telegram accepted it


async def test_scrape_and_digest_unavailable_without_the_app(running: RunningBot, tg: FakeTelegram) -> None:
    admin = tg.user(ADMIN_ID, "Admin", language_code="en")
    assert "not available" in (await ask(admin, "/scrape")).text
    assert "not available" in (await ask(admin, "/digest")).text


async def test_digest_now_is_called_with_the_user(tg: FakeTelegram, db: Database) -> None:
    asked: list[int] = []

    async def digest_now(user_id: int) -> bool:
        asked.append(user_id)
        return False

    async with run_bot(tg, db, digest_now=digest_now):
        user = tg.user(304, "Анна")
        reply = await ask(user, "/digest")
        assert asked == [304] and "пока ничего нет" in reply.text
