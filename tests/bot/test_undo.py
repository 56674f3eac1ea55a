"""Every destructive tap can be taken back from the message it produced: mute → unmute, remove → restore."""

from __future__ import annotations

from bot.callbacks import MuteSourceCb
from bot.keyboards import alert_buttons
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import ArticleSeed, RunningBot, ask, button_data, forged_answer, tap


async def test_mute_reply_offers_unmute_and_subscriptions_list_mutes(
    running: RunningBot, tg: FakeTelegram, db: Database, add_article: ArticleSeed
) -> None:
    article = await add_article("Вологда и Казахстан: лес", "Текст", regions=("RU-VLG", "KZ"),
                                parties=(("RU-VLG", "KZ"),), source="vologda-gov")
    user = tg.user(301, "Анна")
    await ask(user, "/start")
    await running.bot.send_message(301, "alert", reply_markup=alert_buttons("ru", article))
    alert = (await user.wait_for(1))[-1]
    user.tap(alert, MuteSourceCb(article_id=article).pack())
    muted_reply = (await user.wait_for(1))[-1]
    assert "Source vologda-gov" in muted_reply.text and "/subscriptions" in muted_reply.text
    async with db.read() as uow:
        assert await uow.subscriptions.users_muting("vologda-gov", [301]) == {301}

    listing = await ask(user, "/subscriptions")
    assert "Заглушённые источники" in listing.text and "Source vologda-gov" in listing.text
    assert button_data(listing, "🔔")  # an unmute button per muted source

    unmuted = await tap(user, muted_reply, button_data(muted_reply, "🔔"))  # undo from the mute's own reply
    assert "снова" in unmuted.text
    async with db.read() as uow:
        assert await uow.subscriptions.users_muting("vologda-gov", [301]) == set()
    # the same unmute button again changes nothing and says the button is outdated
    answer = await forged_answer(tg, user, unmuted, button_data(listing, "🔔"))
    assert answer is not None and "устарела" in answer


async def test_removed_subscription_is_restored_from_the_same_message(
    running: RunningBot, tg: FakeTelegram, db: Database
) -> None:
    user = tg.user(302, "Анна")
    await ask(user, "/start")
    await ask(user, "/subscribe Вологодская область")
    listing = await ask(user, "/subscriptions")
    assert "Вологодская область" in listing.text
    after_remove = await tap(user, listing, button_data(listing, "❌ 1"))
    assert "нет подписок" in after_remove.text
    restored = await tap(user, after_remove, button_data(after_remove, "↩"))
    assert "Вологодская область" in restored.text and "1 подписка" in restored.text
    async with db.read() as uow:
        (sub,) = await uow.subscriptions.for_user(302)
    assert (sub.kind, sub.region) == ("region", "RU-VLG")


async def test_unsubscribe_command_reply_has_restore_and_a_stolen_key_does_nothing(
    running: RunningBot, tg: FakeTelegram, db: Database
) -> None:
    owner, other = tg.user(303, "Анна"), tg.user(304, "Борис")
    for user in (owner, other):
        await ask(user, "/start")
    await ask(owner, "/subscribe лесопиление")
    removed = await ask(owner, "/unsubscribe лесопиление")
    assert "Удалено" in removed.text
    restore = button_data(removed, "↩")
    other_reply = await ask(other, "/subscriptions")
    assert "устарела" in (await forged_answer(tg, other, other_reply, restore) or "")  # not Boris's removal
    async with db.read() as uow:
        assert await uow.subscriptions.for_user(304) == []
    await tap(owner, removed, restore)
    async with db.read() as uow:
        (sub,) = await uow.subscriptions.for_user(303)
    assert (sub.kind, sub.topic) == ("topic", "forestry")
