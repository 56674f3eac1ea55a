"""A bare sender process for the crash test: Bot + Sender on an existing database, drain, exit.

Usage: python -m tests.e2e.drain_outbox DB_URL API_URL TOKEN [RATE] [CONCURRENCY]
It starts draining when a line arrives on stdin, so a test can start it early (imports take seconds)
and let it go at the moment it chooses.
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.sender import Sender
from bot.throttle import TelegramThrottle
from storage import Database


async def drain(db_url: str, api_url: str, token: str, rate: float, concurrency: int) -> int:
    db = Database(db_url)
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    bot.session.middleware(TelegramThrottle(rate, 1.0))
    sender = Sender(bot, db, concurrency=concurrency)
    total = 0
    try:
        while handled := await sender.drain_once():
            total += handled
    finally:
        await bot.session.close()
        await db.dispose()
    print(f"drained {total}", flush=True)
    return 0


if __name__ == "__main__":
    url, api, token = sys.argv[1:4]
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 25.0
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    sys.stdin.readline()
    sys.exit(asyncio.run(drain(url, api, token, rate, workers)))
