"""`coopnews demo`: the whole product offline, with a transcript of what one official receives.

Local site snapshots on 127.0.0.1, the fake Bot API, the real bot, scheduler, ingest and sender,
and a temporary SQLite database. An official subscribes to Vologda Oblast and to forestry, the
Vologda site publishes three new articles, and the transcript shows every message she received.
"""

from __future__ import annotations

import html
import logging
import re
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from app.runner import App
from app.settings import Settings
from bot.i18n import t
from sandbox.demo_news import DEMO_ARTICLES, publish
from sandbox.fake_api import FakeTelegram, FakeUser, SentMessage
from sandbox.site_server import SiteServer, sources_for
from scrapers.fetcher import FetchPolicy

OFFICIAL_ID, OPERATOR_ID = 5_550_001, 5_550_099
STEP_TIMEOUT = 20.0
_TAGS = re.compile(r"<[^>]+>")


def _plain(message: SentMessage) -> str:
    text = html.unescape(_TAGS.sub("", message.raw_text or message.text))
    buttons = " ".join(f"[{label}]" for label, _ in message.buttons)
    return text + (f"\n{buttons}" if buttons else "")


class Transcript:
    """Prints the conversation as it happens, one indented block per message."""

    def __init__(self, lang: str) -> None:
        self.started = time.monotonic()
        self.received = 0
        self.lang = lang

    def say(self, line: str) -> None:
        print(f"\n[{time.monotonic() - self.started:5.1f}s] {line}", flush=True)

    def user(self, name: str, text: str) -> None:
        self.say(f"👤 {name}: {text}")

    def bot(self, messages: list[SentMessage]) -> None:
        for message in messages:
            self.received += 1
            body = _plain(message).replace("\n", "\n      ")
            self.say(f"🤖 {t('bot → official:', self.lang)}\n      {body}")


async def _ask(user: FakeUser, log: Transcript, name: str, text: str) -> list[SentMessage]:
    log.user(name, text)
    user.send(text)
    replies = await user.wait_for(1, timeout=STEP_TIMEOUT)
    log.bot(replies)
    return replies


async def _tap(user: FakeUser, log: Transcript, message: SentMessage, label_part: str) -> None:
    label, data = next((b for b in message.buttons if label_part.lower() in b[0].lower()), (None, None))
    if label is None or data is None:
        raise RuntimeError(f"no button containing {label_part!r} under the bot's message")
    log.user("Анна", t("(taps «{label}»)", log.lang, label=label))
    before = len(user.messages())
    user.tap(message, data)
    await user.wait_until(lambda: bool(user.callback_answers) or len(user.messages()) > before, timeout=STEP_TIMEOUT)


def _demo_settings(base: Settings, folder: Path, tg: FakeTelegram) -> Settings:
    return base.model_copy(
        update={
            "database_url": f"sqlite+aiosqlite:///{folder / 'demo.sqlite3'}",
            "telegram_api_url": tg.base_url,
            "bot_token": SecretStr(tg.token),
            "admin_ids": [OPERATOR_ID],
            "min_poll_interval": 10,
            # the demo is offline and long-polls its fake Telegram, whatever .env says for `run`
            "webhook_url": None,
            "webhook_secret": None,
            "metrics_listen": None,
        }
    )


async def _play(app: App, tg: FakeTelegram, sites: SiteServer, log: Transcript) -> None:
    official = tg.user(OFFICIAL_ID, "Анна", language_code="ru")
    operator = tg.user(OPERATOR_ID, "Оператор", language_code="ru")
    log.say(t("The bot polled every source once: what was already published is history, not news.", log.lang))
    await _ask(official, log, "Анна", "/start")
    await _ask(official, log, "Анна", "/subscribe Вологодская область")
    replies = await _ask(official, log, "Анна", "/subscribe лесопромышленный комплекс")
    await _tap(official, log, replies[-1], "сводк")  # forestry news only in the daily digest

    now = datetime.now(ZoneInfo("Europe/Moscow"))
    log.say(t("The sites publish new articles:", log.lang))
    for article in DEMO_ARTICLES:
        publish(sites, article, now)
        print(f"      • [{article.source_id}] {article.title}\n        → {t(article.why, log.lang)}")
    operator.send("/start")
    await operator.wait_for(1, timeout=STEP_TIMEOUT)
    log.say(t("The operator asks for a poll now instead of waiting for the schedule (/scrape):", log.lang))
    operator.send("/scrape")
    await operator.wait_for(1, timeout=STEP_TIMEOUT)
    print(f"      {_plain(operator.messages()[-1])}")
    log.bot(await official.wait_for(1, timeout=STEP_TIMEOUT))  # the instant alert
    await _ask(official, log, "Анна", "/search Алматинская область меморандум")
    await _ask(official, log, "Анна", "/digest")


async def run_demo(settings: Settings) -> int:
    log = Transcript(settings.default_language)
    if settings.log_level != "DEBUG":  # the transcript is the output; library chatter would bury it
        logging.getLogger("aiogram").setLevel(logging.WARNING)
    print(t("Coopnews offline demo: local news sites, a fake Telegram, a temporary database.", log.lang), flush=True)
    with tempfile.TemporaryDirectory(prefix="coopnews-demo-") as tmp:
        async with SiteServer() as sites, FakeTelegram() as tg:
            policy = FetchPolicy(min_host_delay=0.0, retries=1, total_timeout=10.0)
            app = App(_demo_settings(settings, Path(tmp), tg), sources_for(sites), fetch_policy=policy)
            try:
                await app.prepare()
                await app.scrape_now()  # baseline: the snapshots' existing articles
                await app.start()
                await _play(app, tg, sites, log)
            except (TimeoutError, RuntimeError, AssertionError) as exc:
                print(t("\ndemo failed: {error}", log.lang, error=exc), file=sys.stderr)
                return 1
            finally:
                await app.stop()
    log.say(
        t(
            "Done: the official received {n} message. Nothing left the machine.",
            log.lang,
            plural="Done: the official received {n} messages. Nothing left the machine.",
            n=log.received,
        )
    )
    return 0
