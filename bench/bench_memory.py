"""Benchmark: resident memory of the running App with 200 sources and 100,000 articles (target < 250 MB).

The parent builds the database (synthetic articles with MinHash signatures, spread over `--days`),
serves the site snapshots and the fake Bot API on 127.0.0.1, and writes a sources.toml with 200
sources: most on the local snapshot server, some on closed local ports (sites that are down). A child
process then runs the real App — bot polling, scheduler, sender, story index rebuilt from the stored
signatures — and reports its own RSS after start and after each of two poll cycles over every source,
and the peak RSS sampled every 10 ms throughout, which is what the target is held to.
Run: .venv/bin/python bench/bench_memory.py [--articles N] [--sources N] [--days N] [--keep FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from bot.lazy_schemas import import_aiogram_lazily

import_aiogram_lazily()  # before anything imports aiogram, as the coopnews entry point does

import psutil  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from sandbox.fake_api import FakeTelegram  # noqa: E402
from sandbox.site_server import SiteServer, sources_for, write_sources_toml  # noqa: E402
from scrapers.sources import SourceConfig, load_sources  # noqa: E402
from storage import Database  # noqa: E402
from storage.clock import utcnow  # noqa: E402
from storage.models import Article, Story, Subscription, User  # noqa: E402
from storage.repositories.articles import content_hash  # noqa: E402
from storage.repositories.sources import SourceSpec  # noqa: E402

TARGET_MB = 250
CHUNK = 2_000
DOWN_SHARE = 10  # every 10th source points at a closed port
POLL_CYCLES = 2  # the first finds new articles; the second mostly 304s and known URLs, as most polls do
VOCABULARY = (
    "губернатор область делегация соглашение меморандум сотрудничество торговля поставки лес зерно форум визит "
    "министр предприятие проект инвестиции регион партнёр встреча переговоры образование туризм логистика "
    "промышленность сельский хозяйство выставка экспорт импорт молочный продукция технология обмен опыт"
)
WORDS = VOCABULARY.split()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sources(sites: SiteServer, count: int) -> list[SourceConfig]:
    """`count` sources cycling over the bundled snapshots under their own ids; every DOWN_SHARE-th is down."""
    templates = sources_for(sites)
    dead = f"http://127.0.0.1:{_closed_port()}/news/"
    chosen = []
    for i in range(count):
        base = templates[i % len(templates)]
        url = dead if i % DOWN_SHARE == DOWN_SHARE - 1 else base.url
        chosen.append(base.model_copy(update={"id": f"{base.id}-{i:03d}", "url": url, "name": f"{base.name} #{i}"}))
    return chosen


def _file_size(db_url: str) -> int:
    return Path(db_url.split(":///", 1)[1]).stat().st_size


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


async def _seed(db: Database, sources: list[SourceConfig], articles: int, days: int) -> None:
    rng = random.Random(7)
    now = utcnow()
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec(s.id, s.name, s.url, s.kind, s.lang, s.home_region) for s in sources])
        users = [{"id": 100 + i, "chat_id": 100 + i, "first_name": "", "language": "ru", "timezone": "Europe/Moscow",
                  "digest_hour": 9, "digest_enabled": True, "instant_enabled": True, "no_news_notes": False,
                  "active": True, "created_at": now} for i in range(1_000)]
        await uow.session.execute(insert(User), users)
        await uow.session.execute(insert(Subscription), [
            {"user_id": u["id"], "kind": "region", "region": "RU-VLG", "label": "", "mode": "instant",
             "key": "region|RU-VLG|||", "created_at": now} for u in users
        ])
        await uow.commit()
    for start in range(0, articles, CHUNK):
        stories, rows = [], []
        for n in range(start, min(articles, start + CHUNK)):
            when = now - timedelta(seconds=rng.uniform(0, days * 86_400))
            title = f"{_text(rng, 8)} {n}"
            body = _text(rng, 60)
            stories.append({"id": n + 1, "title": title, "created_at": when, "article_count": 1})
            rows.append({
                "source_id": sources[n % len(sources)].id, "url": f"https://example.org/news/{n}",
                "content_hash": content_hash(title, body), "title": title, "lead": "", "body": body,
                "summary": body[:200], "language": "ru", "published_at": when, "fetched_at": when,
                "is_cooperation": n % 3 == 0, "event_type": "agreement" if n % 3 == 0 else None,
                "confidence": 0.8, "story_id": n + 1, "signature": [rng.getrandbits(32) for _ in range(64)],
            })
        async with db.write() as uow:
            await uow.session.execute(insert(Story), stories)
            await uow.session.execute(insert(Article), rows)
            await uow.commit()
        print(f"  seeded {min(articles, start + CHUNK):>7}/{articles} articles", end="\r", flush=True)
    print()


async def child(db_url: str, sources_file: str, api_url: str, token: str) -> None:
    """Run the App and print one JSON line of measurements."""
    from app.runner import App
    from app.settings import Settings
    from scrapers.fetcher import FetchPolicy

    proc = psutil.Process()
    settings = Settings(_env_file=None, database_url=db_url, bot_token=SecretStr(token), telegram_api_url=api_url)
    sources = load_sources(sources_file).sources
    app = App(settings, sources, fetch_policy=FetchPolicy(min_host_delay=0.0, retries=1, total_timeout=10.0))
    before = proc.memory_info().rss
    peak = _PeakSampler(proc)
    peak.start()
    started = time.monotonic()
    await app.start()
    after_start = proc.memory_info().rss
    start_seconds = time.monotonic() - started
    polls = []
    for _ in range(POLL_CYCLES):
        started = time.monotonic()
        summary = await app.scrape_now()
        seconds = time.monotonic() - started
        polls.append({"rss": proc.memory_info().rss, "seconds": seconds, "summary": summary.text("en")})
    await app.stop()
    peak.stop()
    print(json.dumps({
        "imports_rss": before, "after_start_rss": after_start, "polls": polls, "peak_rss": peak.value,
        "start_seconds": start_seconds, "stories_loaded": len(app.ingestor.stories), "sources": len(sources),
    }), flush=True)


class _PeakSampler(threading.Thread):
    """Samples RSS every 10 ms: the figure that matters is the highest, not the one at a lucky moment."""

    def __init__(self, proc: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.proc = proc
        self.value = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.01):
            self.value = max(self.value, self.proc.memory_info().rss)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


async def parent(articles: int, source_count: int, days: int, keep: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="coopnews-mem-") as tmp:
        db_path = Path(tmp) / "memory.sqlite3"
        db_url = f"sqlite+aiosqlite:///{db_path}"
        async with SiteServer() as sites, FakeTelegram() as tg:
            sources = _sources(sites, source_count)
            sources_file = Path(tmp) / "sources.toml"
            write_sources_toml(sources, sources_file)
            if keep is not None and keep.is_file():  # noqa: ASYNC240 - one stat before anything runs
                print(f"copying the database seeded earlier at {keep}", flush=True)
                shutil.copyfile(keep, db_path)  # a pristine copy: every run polls into the same starting state
            else:
                db = Database(db_url)
                await db.upgrade()
                started = time.monotonic()
                await _seed(db, sources, articles, days)
                await db.dispose()
                print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
                if keep is not None:
                    shutil.copyfile(db_path, keep)
            print("starting the App in a child process …", flush=True)
            process = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--child", db_url, str(sources_file), tg.base_url, tg.token,
                stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await process.communicate()
        lines = [line for line in out.decode().splitlines() if line.startswith("{")]
        if process.returncode != 0 or not lines:
            print(f"child failed (exit {process.returncode})")
            return 1
        m = json.loads(lines[-1])
        size = _file_size(db_url)
    mb = 1024 * 1024
    rows = [
        ("sources (every 10th down)", str(m["sources"])),
        ("articles in the database", f"{articles} over {days} days ({size / mb:.0f} MB file)"),
        ("story signatures loaded (14-day window)", str(m["stories_loaded"])),
        ("RSS after imports", f"{m['imports_rss'] / mb:.0f} MB"),
        ("RSS after start", f"{m['after_start_rss'] / mb:.0f} MB (start took {m['start_seconds']:.1f} s)"),
    ]
    for n, poll in enumerate(m["polls"], 1):
        rows.append((f"RSS after poll cycle {n}", f"{poll['rss'] / mb:.0f} MB (took {poll['seconds']:.1f} s)"))
        rows.append((f"poll cycle {n}", poll["summary"][:80]))
    rows.append(("peak RSS, sampled every 10 ms", f"{m['peak_rss'] / mb:.0f} MB"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    peak = m["peak_rss"] / mb
    print(f"\ntarget: < {TARGET_MB} MB — {'met' if peak < TARGET_MB else 'NOT met'} (peak {peak:.0f} MB)")
    return 0 if peak < TARGET_MB else 1


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        asyncio.run(child(*sys.argv[2:6]))
        return 0
    parser = argparse.ArgumentParser(description="Resident memory of the running App.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--days", type=int, default=30, help="spread articles over this many days")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="FILE",
        help="keep the seeded database in FILE; later runs start from a copy (same --articles/--sources/--days)",
    )
    args = parser.parse_args()
    return asyncio.run(parent(args.articles, args.sources, args.days, args.keep))


if __name__ == "__main__":
    raise SystemExit(main())
