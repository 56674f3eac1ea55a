"""Benchmark: matching one article against 1k, 10k and 100k subscriptions (target < 5 ms at 100k).

Subscriptions are spread like real ones: most on regions and countries, some pairs, topics and
keywords. Each timed run matches one cooperation article inside a transaction that is rolled
back, so every run sees the same tables. Run: .venv/bin/python bench/bench_matching.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from alerts.matcher import match_article
from alerts.rules import ArticleFacts
from analysis.gazetteer import load_gazetteer
from analysis.topics import TOPIC_IDS
from storage import Database
from storage.models import Subscription, User
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec

RUNS = 200
ARTICLE_TEXT = (
    "вологодский область и алматинский область подписать меморандум о сотрудничество в сфера лесной "
    "промышленность сельский хозяйство образование и туризм делегация посетить предприятие " * 20
)


def _subscriptions(n: int, users: int, rng: random.Random) -> list[dict[str, object]]:
    places = [p.code for p in load_gazetteer().places()]
    words = [f"слово{i}" for i in range(5000)] + ARTICLE_TEXT.split()[:30]
    rows = []
    for i in range(n):
        kind = rng.choices(["region", "pair", "topic", "keyword"], [55, 20, 10, 15])[0]
        row: dict[str, object] = {"user_id": rng.randrange(users) + 1, "kind": kind, "mode": "instant", "label": ""}
        if kind in ("region", "pair"):
            row["region"] = rng.choice(places)
        if kind == "pair":
            row["partner"] = rng.choice(places)
        if kind == "topic" or (kind == "region" and rng.random() < 0.2):
            row["topic"] = rng.choice(TOPIC_IDS)
        if kind == "keyword":
            row["keyword"] = rng.choice(words)
        row["key"] = f"{i}"
        rows.append(row)
    return rows


async def _bench(size: int, folder: Path) -> tuple[float, float, float, int]:
    rng = random.Random(size)
    db = Database(f"sqlite+aiosqlite:///{folder / f'm{size}.sqlite3'}")
    await db.upgrade()
    users = max(100, size // 5)
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s/")])
        people = [{"id": i, "chat_id": i, "language": "ru", "timezone": "Europe/Moscow"} for i in range(1, users + 1)]
        await uow.session.execute(insert(User), people)
        await uow.session.execute(insert(Subscription), _subscriptions(size, users, rng))
        article = await uow.articles.add(NewArticle(source_id="s", url="https://s/1", title="t"))
        await uow.commit()
    facts = ArticleFacts.build(
        article.id, "s", None, True, [("RU-VLG", "KZ-19")], ["forestry", "agriculture"], ARTICLE_TEXT
    )
    timings, matched = [], 0
    for _ in range(RUNS):
        async with db.write() as uow:
            started = time.perf_counter()
            result = await match_article(uow, facts)
            timings.append((time.perf_counter() - started) * 1000)
            matched = result.total
            await uow.rollback()
    await db.dispose()
    timings.sort()
    return statistics.mean(timings), timings[len(timings) // 2], timings[int(len(timings) * 0.95)], matched


async def main() -> None:
    print(f"{'subscriptions':>13} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'matched':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (1_000, 10_000, 100_000):
            mean, p50, p95, matched = await _bench(size, Path(tmp))
            print(f"{size:>13,} {mean:>8.2f} {p50:>8.2f} {p95:>8.2f} {matched:>8}")


if __name__ == "__main__":
    asyncio.run(main())
