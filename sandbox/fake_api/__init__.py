"""A wire-level fake of the Telegram Bot API for tests and the offline demo.

async with FakeTelegram() as telegram:
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url))
    bot = Bot(telegram.token, session=session)
    olga = telegram.user(101, "Ольга")
    olga.send("/start")                      # the bot receives it through getUpdates
    (reply,) = await olga.wait_for(1)        # the bot's answer, as Telegram recorded it
    olga.tap(reply, reply.buttons[0][1])     # a callback_query update
"""

from sandbox.fake_api.groups import FakeChannel, FakeGroup
from sandbox.fake_api.records import CallbackQueryRecord, SentFile, SentMessage, TranscriptEvent
from sandbox.fake_api.server import FakeTelegram
from sandbox.fake_api.users import FakeUser

__all__ = [
    "CallbackQueryRecord",
    "FakeChannel",
    "FakeGroup",
    "FakeTelegram",
    "FakeUser",
    "SentFile",
    "SentMessage",
    "TranscriptEvent",
]
