"""The fake API's send gate, which the crash tests rely on to kill a sender at a known point."""

from __future__ import annotations

import asyncio
import contextlib

from sandbox.fake_api import FakeTelegram
from tests.e2e.conftest import throttled_bot


async def test_sends_past_the_count_wait_unrecorded_until_released() -> None:
    async with FakeTelegram(per_chat_rate=None) as tg:
        tg.user(1), tg.user(2)
        bot = throttled_bot(tg, per_chat_rate=30)
        try:
            tg.hold_sends_after(2)
            await bot.send_message(1, "one")
            await bot.send_message(2, "two")
            third = asyncio.create_task(bot.send_message(1, "three"))
            await tg.wait_held(1)
            assert not third.done() and len(tg.send_log) == 2 and len(tg.messages(1)) == 1
            await bot.get_me()  # other methods are never held
            tg.release_held()
            assert (await third).text == "three"
            assert [m.text for m in tg.messages(1)] == ["one", "three"] and tg.held_sends == 0
        finally:
            await bot.session.close()


async def test_abandoned_sends_are_never_delivered_while_new_ones_pass() -> None:
    async with FakeTelegram(per_chat_rate=None) as tg:
        tg.user(1)
        bot = throttled_bot(tg, per_chat_rate=30)
        try:
            tg.hold_sends_after(0)
            lost = asyncio.create_task(bot.send_message(1, "lost"))
            await tg.wait_held(1)
            tg.abandon_held()
            await bot.send_message(1, "after restart")
            assert [m.text for m in tg.messages(1)] == ["after restart"] and tg.held_sends == 1
            lost.cancel()  # its client is gone
            with contextlib.suppress(asyncio.CancelledError):
                await lost
        finally:
            await bot.session.close()
    assert [m.text for m in tg.messages(1)] == ["after restart"]
