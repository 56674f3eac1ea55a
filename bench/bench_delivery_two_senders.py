"""Benchmark: two `coopnews run --role sender` processes on one PostgreSQL drain N alerts to the fake Bot API.

The fake enforces Telegram's 30 msg/s overall and 1 msg/s per chat and counts every 429 it hands
out. The two senders are real processes started through the CLI, sharing the outbox (claims with
FOR UPDATE SKIP LOCKED) and the global rate (rate_slots in PostgreSQL, or Redis with --redis).
Targets: sustained >= 27 msg/s together, 0 flood violations, every alert exactly once.

Run: eval "$(.ci/postgres.sh start)"; .venv/bin/python bench/bench_delivery_two_senders.py [--alerts 3000]
(PostgreSQL from COOPNEWS_TEST_POSTGRES_URL or --postgres URL; a temporary database is made and dropped.)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from bot.lazy_schemas import import_aiogram_lazily

import_aiogram_lazily()

import asyncpg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from sandbox.fake_api import FakeTelegram  # noqa: E402
from storage import Database  # noqa: E402
from storage.models import Delivery  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_delivery import FIRST_USER, _progress, _seed, _wait_all  # noqa: E402

TELEGRAM_LIMIT = 30
TARGET_RATE = 27.0
ROOT = Path(__file__).resolve().parent.parent


def _plain(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(server: str, statement: str) -> None:
    connection = await asyncpg.connect(_plain(server))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _start_sender(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "app.cli", "run", "--role", "sender", cwd=ROOT, env=env,
            stdout=err, stderr=err,
        )


async def bench(server: str, alerts: int, senders: int, rate: float, redis_url: str | None) -> int:
    name = f"coopnews_bench_{uuid.uuid4().hex[:12]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(_plain(server, name)).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    db = Database(url)
    try:
        await db.upgrade()
        await _seed(db, alerts)
        return await _run(db, url, alerts, senders, rate, redis_url)
    finally:
        await db.dispose()
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _run(db: Database, url: str, alerts: int, senders: int, rate: float, redis_url: str | None) -> int:
    async with FakeTelegram(global_rate=TELEGRAM_LIMIT) as tg:
        for user_id in range(FIRST_USER, FIRST_USER + alerts):
            tg.user(user_id)
        env = {**os.environ, "DATABASE_URL": url, "BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.base_url,
               "SEND_RATE_GLOBAL": str(rate), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        with tempfile.TemporaryDirectory(prefix="coopnews-bench-") as tmp:
            logs = [Path(tmp) / f"sender{i}.log" for i in range(senders)]
            print(f"delivering {alerts} alerts through {senders} sender processes at SEND_RATE_GLOBAL={rate}/s "
                  f"(shared in {'Redis' if redis_url else 'PostgreSQL'}) to a fake Telegram allowing "
                  f"{TELEGRAM_LIMIT}/s …", flush=True)
            processes = [await _start_sender(env, log) for log in logs]
            started = time.monotonic()
            reporter = asyncio.create_task(_progress(tg, alerts, started))
            waiting = asyncio.create_task(_wait_all(tg, alerts))
            exited = [asyncio.create_task(p.wait()) for p in processes]
            await asyncio.wait([waiting, *exited], return_when=asyncio.FIRST_COMPLETED)
            elapsed = time.monotonic() - started
            reporter.cancel()
            if not waiting.done():
                waiting.cancel()
                for log in logs:
                    print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
                print("a sender exited before the outbox was drained", file=sys.stderr)
            await asyncio.sleep(1.0)  # duplicates, if any, would arrive now
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(p.wait(), 30) for p in processes]
        log = [record.at for record in tg.send_log]
        per_chat = Counter(record.chat_id for record in tg.send_log)
    async with db.read() as uow:
        by_sender = dict((await uow.session.execute(
            select(Delivery.claimed_by, func.count()).where(Delivery.status == "sent").group_by(Delivery.claimed_by)
        )).all())
        outbox = await uow.deliveries.count_by_status()
    steady = log[len(log) // 20 : len(log) - len(log) // 20] or log
    sustained = (len(log) - 1) / max(1e-9, log[-1] - log[0])
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    rows = [
        ("alerts delivered (distinct chats)", f"{len(per_chat)} / {alerts}"),
        ("messages accepted by the fake", str(len(log))),
        ("wall time (from process start)", f"{elapsed:.1f} s"),
        ("first → last send", f"{log[-1] - log[0]:.1f} s"),
        ("sustained rate (first→last send)", f"{sustained:.2f} msg/s"),
        ("steady rate (middle 90%)", f"{(len(steady) - 1) / max(1e-9, steady[-1] - steady[0]):.2f} msg/s"),
        ("most sends in any 1 s window", f"{tg.max_sends_in_window(1.0)} (limit {TELEGRAM_LIMIT})"),
        ("flood violations (429)", f"{tg.flood_violations} {dict(Counter(v.scope for v in tg.flood_log)) or ''}"),
        ("duplicates", str(duplicates)),
        ("longest pause between accepted sends", f"{max(b - a for a, b in itertools.pairwise(log)) * 1000:.0f} ms"),
        ("before the first 429", _before_first_violation(tg, log)),
        ("sent per sender process", ", ".join(str(n) for n in sorted(by_sender.values(), reverse=True))),
        ("sender exit codes", ", ".join(str(c) for c in codes)),
        ("outbox after", str(outbox)),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    ok = sustained >= TARGET_RATE and tg.flood_violations == 0 and duplicates == 0 and len(per_chat) == alerts
    print(f"\ntarget: >= {TARGET_RATE} msg/s together, zero 429s, each alert once — {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def _before_first_violation(tg: FakeTelegram, log: list[float]) -> str:
    """Accepted sends in the second before the first 429, and the longest pause among them: a stall shows."""
    if not tg.flood_log:
        return "-"
    at = tg.flood_log[0].at
    recent = [t for t in log if at - 1.0 < t <= at]
    gaps = [b - a for a, b in itertools.pairwise(recent)] or [0.0]
    last = sum(1 for t in recent if t > at - 0.1)
    return f"{len(recent)} sends in 1 s, longest pause {max(gaps) * 1000:.0f} ms, {last} in its last 100 ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--alerts", type=int, default=3_000, help="how many alerts (users) to deliver")
    parser.add_argument("--senders", type=int, default=2, help="how many sender processes")
    parser.add_argument("--rate", type=float, default=28.0, help="SEND_RATE_GLOBAL given to the senders")
    parser.add_argument("--postgres", default=os.environ.get("COOPNEWS_TEST_POSTGRES_URL", ""),
                        help="PostgreSQL server URL (default: $COOPNEWS_TEST_POSTGRES_URL)")
    parser.add_argument("--redis", default=None, help="share the rate in Redis at this URL instead")
    args = parser.parse_args()
    if not args.postgres:
        parser.error('no PostgreSQL: pass --postgres URL or eval "$(.ci/postgres.sh start)" first')
    return asyncio.run(bench(args.postgres, args.alerts, args.senders, args.rate, args.redis))


if __name__ == "__main__":
    raise SystemExit(main())
