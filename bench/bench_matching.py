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


ARTICLE_CODES = {"RU-VLG", "KZ-19", "RU", "KZ"}
ARTICLE_TOPICS = ("forestry", "agriculture")
MATCHING = 40  # subscriptions that really match, the same at every size in the selective case


def _subscriptions(n: int, users: int, rng: random.Random, selective: bool) -> list[dict[str, object]]:
    """Random subscriptions; when selective, only MATCHING of them can match the article."""
    places = [p.code for p in load_gazetteer().places() if not (selective and p.code in ARTICLE_CODES)]
    topics = [t for t in TOPIC_IDS if not (selective and t in ARTICLE_TOPICS)]
    article_words = sorted(set(ARTICLE_TEXT.split()))
    words = [f"слово{i}" for i in range(5000)] + ([] if selective else article_words)
    rows = []
    for i in range(n):
        kind = rng.choices(["region", "pair", "topic", "keyword"], [55, 20, 10, 15])[0]
        row: dict[str, object] = {"user_id": rng.randrange(users) + 1, "kind": kind, "mode": "instant", "label": ""}
        if kind in ("region", "pair"):
            row["region"] = rng.choice(places)
        if kind == "pair":
            row["partner"] = rng.choice(places)
        if kind == "topic" or (kind == "region" and rng.random() < 0.2):
            row["topic"] = rng.choice(topics)
        if kind == "keyword":
            row["keyword"] = row["keyword_key"] = rng.choice(words)
        row["key"] = f"{i}"
        rows.append(row)
    if selective:
        for i in range(MATCHING):
            kind = ("region", "pair", "topic", "keyword")[i % 4]
            row = {"user_id": rng.randrange(users) + 1, "kind": kind, "mode": "instant", "label": "", "key": f"m{i}"}
            row.update(
                {"region": "RU-VLG"} if kind == "region"
                else {"region": "RU-VLG", "partner": "KZ"} if kind == "pair"
                else {"topic": "forestry"} if kind == "topic"
                else {"keyword": "меморандум", "keyword_key": "меморандум"}
            )
            rows.append(row)
    return rows


async def _bench(size: int, folder: Path, selective: bool) -> tuple[float, float, float, int]:
    rng = random.Random(size)
    db = Database(f"sqlite+aiosqlite:///{folder / f'm{size}{selective}.sqlite3'}")
    await db.upgrade()
    users = max(100, size // 5)
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s/")])
        people = [{"id": i, "chat_id": i, "language": "ru", "timezone": "Europe/Moscow"} for i in range(1, users + 1)]
        await uow.session.execute(insert(User), people)
        await uow.session.execute(insert(Subscription), _subscriptions(size, users, rng, selective))
        article = await uow.articles.add(NewArticle(source_id="s", url="https://s/1", title="t"))
        await uow.commit()
    facts = ArticleFacts.build(
        article_id=article.id,
        source_id="s",
        is_cooperation=True,
        parties=[("RU-VLG", "KZ-19")],
        topics=["forestry", "agriculture"],
        lemma_text=ARTICLE_TEXT,
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
    print("selective: 40 subscriptions match at every size; broad: ~2% of all subscriptions match")
    print(f"{'case':<10} {'subscriptions':>13} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'users owed':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for selective in (True, False):
            for size in (1_000, 10_000, 100_000):
                mean, p50, p95, matched = await _bench(size, Path(tmp), selective)
                case = "selective" if selective else "broad"
                print(f"{case:<10} {size:>13,} {mean:>8.2f} {p50:>8.2f} {p95:>8.2f} {matched:>10}")


if __name__ == "__main__":
    asyncio.run(main())
