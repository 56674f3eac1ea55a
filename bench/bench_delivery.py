"""Benchmark: deliver 10,000 alerts to the fake Bot API enforcing Telegram's 30 msg/s (target >= 24 msg/s, no 429s).

One pending delivery for each of N users, drained by the production Sender through the bot built by
build_bot() with the default settings (25 msg/s global, 1 msg/s per chat). The fake enforces 30/s
globally and 1/s per chat, and counts every 429 it hands out. 10,000 alerts take about 7 minutes;
`--alerts 1000` runs a short version. Run: .venv/bin/python bench/bench_delivery.py [--alerts N]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.lazy_schemas import import_aiogram_lazily

import_aiogram_lazily()  # before anything imports aiogram, as the coopnews entry point does

from pydantic import SecretStr  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.bot_config import bot_config  # noqa: E402
from app.settings import Settings  # noqa: E402
from bot.factory import build_bot  # noqa: E402
from bot.sender import Sender  # noqa: E402
from sandbox.fake_api import FakeTelegram  # noqa: E402
from storage import Database  # noqa: E402
from storage.clock import utcnow  # noqa: E402
from storage.models import Delivery, User  # noqa: E402
from storage.repositories import NewArticle  # noqa: E402
from storage.repositories.sources import SourceSpec  # noqa: E402

FIRST_USER = 10_000_001
TELEGRAM_LIMIT = 30
TARGET_RATE = 24.0
PROGRESS_EVERY = 15.0


async def _seed(db: Database, users: int) -> None:
    """N users, one cooperation article, one pending instant delivery per user (as the matcher writes them)."""
    now = utcnow()
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("vologda-ru", "Правительство Вологодской области", "http://127.0.0.1/")])
        article = await uow.articles.add(
            NewArticle(
                source_id="vologda-ru", url="http://127.0.0.1/memo", published_at=now, is_cooperation=True,
                title="Вологодская и Алматинская области подписали меморандум о сотрудничестве",
                summary="Стороны договорились о поставках молочной продукции и обмене технологиями.",
                event_type="agreement", parties=[("RU-VLG", "KZ-19")], topics=["agriculture"],
            )
        )
        ids = range(FIRST_USER, FIRST_USER + users)
        await uow.session.execute(
            insert(User),
            [{"id": i, "chat_id": i, "first_name": "", "language": "ru", "timezone": "Europe/Moscow",
              "digest_hour": 9, "digest_enabled": True, "instant_enabled": True, "no_news_notes": False,
              "active": True, "created_at": now} for i in ids],
        )
        await uow.session.execute(
            insert(Delivery),
            [{"user_id": i, "article_id": article.id, "kind": "alert", "mode": "instant", "status": "pending",
              "attempts": 0, "created_at": now} for i in ids],
        )
        await uow.commit()


async def _progress(tg: FakeTelegram, total: int, started: float) -> None:
    last_count, last_time = 0, started
    while len(tg.send_log) < total:
        await asyncio.sleep(PROGRESS_EVERY)  # a report interval, not synchronisation
        count, now = len(tg.send_log), time.monotonic()
        print(f"  {count:>6}/{total}  {now - started:6.0f} s  {(count - last_count) / (now - last_time):5.1f} msg/s"
              f"  429s so far: {tg.flood_violations}", flush=True)
        last_count, last_time = count, now


async def _wait_all(tg: FakeTelegram, total: int) -> None:
    """Return when the fake has recorded `total` messages (woken by its transcript events)."""
    done = asyncio.Event()
    tg.on_event(lambda _event: done.set() if len(tg.send_log) >= total else None)
    if len(tg.send_log) < total:
        await done.wait()


async def bench(alerts: int) -> int:
    with tempfile.TemporaryDirectory(prefix="coopnews-bench-") as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'delivery.sqlite3'}")
        await db.upgrade()
        await _seed(db, alerts)
        async with FakeTelegram(global_rate=TELEGRAM_LIMIT) as tg:
            for user_id in range(FIRST_USER, FIRST_USER + alerts):
                tg.user(user_id)
            settings = Settings(_env_file=None, bot_token=SecretStr(tg.token), telegram_api_url=tg.base_url)
            bot = build_bot(bot_config(settings))
            sender = Sender(bot, db)
            stop = asyncio.Event()
            print(f"delivering {alerts} alerts at send_rate_global={settings.send_rate_global}/s "
                  f"to a fake Telegram allowing {TELEGRAM_LIMIT}/s …", flush=True)
            started = time.monotonic()
            worker = asyncio.create_task(sender.run(stop))
            reporter = asyncio.create_task(_progress(tg, alerts, started))
            await _wait_all(tg, alerts)
            elapsed = time.monotonic() - started
            stop.set()
            sender.wake()
            await worker
            reporter.cancel()
            await bot.session.close()
            log = [record.at for record in tg.send_log]
            steady = log[len(log) // 20 : len(log) - len(log) // 20] or log  # without ramp-up and tail
            rows = [
                ("alerts delivered", f"{len(log)} / {alerts}"),
                ("wall time", f"{elapsed:.1f} s"),
                ("sustained rate (first→last send)", f"{(len(log) - 1) / max(1e-9, log[-1] - log[0]):.2f} msg/s"),
                ("steady rate (middle 90%)", f"{(len(steady) - 1) / max(1e-9, steady[-1] - steady[0]):.2f} msg/s"),
                ("most sends in any 1 s window", f"{tg.max_sends_in_window(1.0)} (limit {TELEGRAM_LIMIT})"),
                ("flood violations (429)", str(tg.flood_violations)),
                ("chats with != 1 message", str(sum(1 for u in range(FIRST_USER, FIRST_USER + alerts)
                                                    if len(tg.messages(u)) != 1))),
            ]
        async with db.read() as uow:
            rows.append(("outbox after", str(await uow.deliveries.count_by_status())))
        await db.dispose()
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    rate = (len(log) - 1) / max(1e-9, log[-1] - log[0])
    ok = rate >= TARGET_RATE and tg.flood_violations == 0 and len(log) == alerts
    print(f"\ntarget: >= {TARGET_RATE} msg/s with zero 429s — {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--alerts", type=int, default=10_000, help="how many alerts (users) to deliver")
    return asyncio.run(bench(parser.parse_args().alerts))


if __name__ == "__main__":
    raise SystemExit(main())
