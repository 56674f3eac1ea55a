"""TelegramMetrics on a real Bot session against the fake: each request timed, each 429 counted."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter

from app.metrics import Metrics, TelegramMetrics
from sandbox.fake_api import FakeTelegram
from tests.app.test_health import sample


async def test_429_answers_and_request_latency_are_counted() -> None:
    metrics = Metrics()
    async with FakeTelegram(per_chat_rate=0.2, per_chat_burst=1) as tg:
        bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
        bot.session.middleware(TelegramMetrics(metrics))  # no throttle here: the second message is too soon
        try:
            tg.user(6_300_001, "Ирина")
            await bot.send_message(6_300_001, "раз")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(6_300_001, "два")
        finally:
            await bot.session.close()
    exposition = metrics.render().decode()
    assert sample(exposition, "coopnews_telegram_429_total") == 1
    assert sample(exposition, "coopnews_telegram_request_seconds_count", method="sendMessage") == 2
    assert tg.flood_violations == 1


def test_each_app_has_a_registry_of_its_own() -> None:
    first, second = Metrics(), Metrics()
    first.delivered("sent", 0.1)
    assert sample(first.render().decode(), "coopnews_deliveries_total", outcome="sent") == 1
    assert sample(second.render().decode(), "coopnews_deliveries_total", outcome="sent") == 0
