"""Search at scale: 1,000,000 synthetic ru/en/kk articles on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Times the product's search interface (storage.search via `uow.search.find`, page of 5 with its total)
for six query classes, 50 queries each, against a LIKE baseline (`title LIKE '%w%' OR body LIKE …`,
LIMIT 5, the same filters) in the same run, and prints p50/p95/max. Targets (issue 15): p95 < 50 ms for
typical queries, never over 200 ms for a term in most documents.

Run: .venv/bin/python bench/bench_search_scale.py [--n 1000000] [--keep] [--reuse] [--pg-url URL]
PostgreSQL: `eval "$(.ci/postgres.sh start)"` exports COOPNEWS_TEST_POSTGRES_URL, or pass --pg-url.
The corpus (bench/search_corpus.py) is loaded with the schema of the migrations and the product's own
index contents: SQLite rows go in with the FTS5 table filled from storage.text.search_lemmas (the insert
trigger is dropped for the load and put back), PostgreSQL rows with the vector storage.search.postgres
writes (trigger disabled and GIN index built after the load, then VACUUM ANALYZE as autovacuum would).
Generating and loading 1M articles takes about half an hour: --keep leaves the databases (and the
vocabulary) in --dir, --reuse takes them from there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from search_corpus import LANG_SHARES, Corpus, Row
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import Database
from storage.repositories.sources import SourceSpec
from storage.search.common import SearchQuery, filter_clauses
from storage.search.postgres import SEARCH_CONFIG

CLASSES = ("rare term", "common term", "most docs term", "two terms", "region filter", "since filter")
TYPICAL_P95_MS, MOST_MAX_MS = 50.0, 200.0
OBLAST_FORMS = ("область", "области", "областью", "областей", "областям", "областях", "областями")


@dataclass
class Query:
    words: str
    regions: list[str] = field(default_factory=list)
    since: datetime | None = None


# --- corpus and loading ----------------------------------------------------------------------------

def corpus_for(folder: Path, seed: int) -> Corpus:
    """The generator, its vocabulary from the cache when there (building it lemmatises ~180k words)."""
    cached = folder / f"vocabulary-{seed}.pickle"
    if cached.exists():
        corpus: Corpus = pickle.loads(cached.read_bytes())
        return corpus
    corpus = Corpus(seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(corpus))
    return corpus


def sources(corpus: Corpus) -> list[SourceSpec]:
    return [SourceSpec(s, s, f"https://{s}.example/", lang=s.split("-")[1]) for s in corpus.sources]


def _sqlite_time(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class SqliteLoader:
    """Bulk insert through one sqlite3 connection; FTS5 rows written with the product's lemmas."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("PRAGMA cache_size = -400000")
        self.trigger = self.con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_search_insert'"
        ).fetchone()[0]
        self.con.execute("DROP TRIGGER articles_search_insert")

    def load(self, rows: list[Row]) -> None:
        from storage.repositories.articles import content_hash

        con = self.con
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO articles (id, source_id, url, content_hash, title, lead, body, summary, language, "
            "published_at, fetched_at, is_cooperation, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r.id, r.source_id, r.url, content_hash(r.title, r.body), r.title, r.lead, r.body, r.lead, r.language,
              _sqlite_time(r.published_at), _sqlite_time(r.published_at + timedelta(minutes=5)),
              int(r.is_cooperation), 0.8 if r.is_cooperation else 0.1) for r in rows],
        )
        con.executemany("INSERT INTO article_search (rowid, title, body) VALUES (?,?,?)",
                        [(r.id, r.title_lemmas, r.body_lemmas) for r in rows])
        con.executemany("INSERT INTO article_regions (article_id, code, is_party) VALUES (?,?,?)",
                        [(r.id, code, 1) for r in rows for code in r.regions])
        con.executemany("INSERT INTO article_topics (article_id, topic, rank) VALUES (?,?,?)",
                        [(r.id, topic, i) for r in rows for i, topic in enumerate(r.topics)])
        con.execute("COMMIT")

    def finish(self) -> None:
        self.con.execute(self.trigger)
        self.con.close()


_PG_COLUMNS = ("id", "source_id", "url", "content_hash", "title", "lead", "body", "summary", "language",
               "published_at", "fetched_at", "is_cooperation", "confidence")


class PostgresLoader:
    """COPY into a staging table, then INSERT … SELECT with the vector storage.search.postgres writes."""

    def __init__(self, connection: Any) -> None:
        self.con = connection

    async def start(self) -> None:
        await self.con.execute("ALTER TABLE articles DISABLE TRIGGER articles_search_vector")
        await self.con.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        await self.con.execute(
            "CREATE UNLOGGED TABLE bench_staging (id int, source_id text, url text, content_hash text, "
            "title text, lead text, body text, summary text, language text, published_at timestamptz, "
            "fetched_at timestamptz, is_cooperation bool, confidence float8, lt text, lb text)"
        )

    async def load(self, rows: list[Row]) -> None:
        from storage.repositories.articles import content_hash

        records = [(r.id, r.source_id, r.url, content_hash(r.title, r.body), r.title, r.lead, r.body, r.lead,
                    r.language, r.published_at, r.published_at + timedelta(minutes=5), r.is_cooperation,
                    0.8 if r.is_cooperation else 0.1, r.title_lemmas, r.body_lemmas) for r in rows]
        await self.con.copy_records_to_table("bench_staging", records=records, columns=[*_PG_COLUMNS, "lt", "lb"])
        columns = ", ".join(_PG_COLUMNS)
        await self.con.execute(
            f"INSERT INTO articles ({columns}, search_vector) SELECT {columns}, "
            f"setweight(to_tsvector('{SEARCH_CONFIG}', lt), 'A') || setweight(to_tsvector('{SEARCH_CONFIG}', lb), 'B') "
            "FROM bench_staging"
        )
        await self.con.execute("TRUNCATE bench_staging")
        await self.con.copy_records_to_table(
            "article_regions", records=[(r.id, c, True) for r in rows for c in r.regions],
            columns=["article_id", "code", "is_party"])
        await self.con.copy_records_to_table(
            "article_topics", records=[(r.id, t, i) for r in rows for i, t in enumerate(r.topics)],
            columns=["article_id", "topic", "rank"])

    async def finish(self) -> None:
        await self.con.execute("DROP TABLE bench_staging")
        await self.con.execute("ALTER TABLE articles ENABLE TRIGGER articles_search_vector")
        print("  building the GIN index …", flush=True)
        await self.con.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
        await self.con.execute(
            "SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))")
        print("  VACUUM ANALYZE …", flush=True)
        for table in ("articles", "article_regions", "article_topics"):
            await self.con.execute(f"VACUUM ANALYZE {table}")


def _remove(*paths: Path) -> None:
    for path in paths:
        for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            each.unlink(missing_ok=True)


def plain_pg(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_database_url(server: str, name: str) -> str:
    return make_url(server).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


async def create_schema(url: str, corpus: Corpus) -> None:
    db = Database(url)
    try:
        await db.upgrade()
        async with db.write() as uow:
            await uow.sources.sync(sources(corpus))
            await uow.commit()
    finally:
        await db.dispose()


async def load(corpus: Corpus, n: int, batch: int, sqlite_path: Path | None, pg: tuple[str, str] | None) -> None:
    """Generate the corpus once and write each batch to every engine that needs it."""
    import asyncpg

    sqlite_loader = pg_loader = None
    pg_connection = None
    if sqlite_path is not None:
        _remove(sqlite_path)
        await create_schema(f"sqlite+aiosqlite:///{sqlite_path}", corpus)
        sqlite_loader = SqliteLoader(sqlite_path)
    if pg is not None:
        server, name = pg
        admin = await asyncpg.connect(plain_pg(server))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        await create_schema(pg_database_url(server, name), corpus)
        pg_connection = await asyncpg.connect(plain_pg(pg_database_url(server, name)))
        pg_loader = PostgresLoader(pg_connection)
        await pg_loader.start()
    started = time.perf_counter()
    for first in range(1, n + 1, batch):
        rows = corpus.batch(first, min(batch, n + 1 - first))
        work = []
        if sqlite_loader is not None:
            work.append(asyncio.to_thread(sqlite_loader.load, rows))
        if pg_loader is not None:
            work.append(pg_loader.load(rows))
        await asyncio.gather(*work)
        done = first + len(rows) - 1
        if done % (batch * 10) == 0 or done == n:
            print(f"  {done:>9,} articles loaded, {time.perf_counter() - started:6.0f} s", flush=True)
    if sqlite_loader is not None:
        sqlite_loader.finish()
    if pg_loader is not None and pg_connection is not None:
        await pg_loader.finish()
        await pg_connection.close()


# --- queries ---------------------------------------------------------------------------------------

def build_queries(corpus: Corpus, n: int, per_class: int, seed: int) -> dict[str, list[Query]]:
    """Query words drawn from the vocabulary by expected document frequency (Zipf), per class."""
    rng = np.random.default_rng(seed + 1)
    pools: dict[str, dict[str, list[str]]] = {}
    for lang in LANG_SHARES:
        v, df = corpus.vocab[lang], corpus.expected_df(lang, n)

        def forms_where(low: float, high: float, v: Any = v, df: np.ndarray = df) -> list[str]:
            picked = np.nonzero((df >= low) & (df <= high))[0]
            return [v.forms[v.entry_start[i] + int(rng.integers(v.entry_count[i]))] for i in picked]

        pools[lang] = {
            "rare": forms_where(3, max(5, n * 0.0002)),
            "common": [w for w in forms_where(n * 0.02, n * 0.25) if len(w) > 3],
            "mid": forms_where(n * 0.002, n * 0.02),
        }
    langs = list(LANG_SHARES)
    shares = list(LANG_SHARES.values())

    def pick(kind: str) -> tuple[str, str]:
        lang = str(rng.choice(langs, p=shares))
        pool = pools[lang][kind] or pools["ru"][kind]
        return lang, pool[int(rng.integers(len(pool)))]

    ru_codes = [code for code, _ in corpus.ru_regions]
    countries = sorted({code.split("-")[0] for code in corpus.partners})
    queries: dict[str, list[Query]] = {c: [] for c in CLASSES}
    since = corpus.now - timedelta(days=30)
    for i in range(per_class):
        queries["rare term"].append(Query(pick("rare")[1]))
        queries["common term"].append(Query(pick("common")[1]))
        queries["most docs term"].append(Query(OBLAST_FORMS[i % len(OBLAST_FORMS)]))
        lang, first = pick("common")
        second = pools[lang]["mid"][int(rng.integers(len(pools[lang]["mid"])))]
        queries["two terms"].append(Query(f"{first} {second}"))
        lang, word = pick("common")
        region = ru_codes[int(rng.integers(len(ru_codes)))] if lang == "ru" and i % 2 else \
            countries[int(rng.integers(len(countries)))]
        queries["region filter"].append(Query(word, regions=[region]))
        queries["since filter"].append(Query(pick("common")[1], since=since))
    return queries


async def time_search(db: Database, query: Query) -> tuple[float, int]:
    started = time.perf_counter()
    async with db.read() as uow:
        page = await uow.search.find(query.words, regions=query.regions, since=query.since, limit=5)
    return (time.perf_counter() - started) * 1000, page.total


async def time_like(db: Database, query: Query) -> float:
    """The naive baseline: every typed word as a substring of title or body, same filters, first 5 rows."""
    where, params = filter_clauses(SearchQuery(query.words, query.regions, (), query.since),
                                   since_as_text=db.engine.dialect.name == "sqlite")
    clauses = []
    for i, word in enumerate(query.words.split()):
        clauses.append(f"(a.title LIKE :w{i} OR a.body LIKE :w{i})")
        params[f"w{i}"] = f"%{word}%"
    sql = f"SELECT a.id FROM articles a WHERE {' AND '.join(clauses)}{where} LIMIT 5"
    started = time.perf_counter()
    async with db.read() as uow:
        (await uow.session.execute(text(sql), params)).all()
    return (time.perf_counter() - started) * 1000


def _stats(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0], values[0], values[0]) if values else (0.0, 0.0, 0.0)
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18], max(values)


async def measure(engine: str, url: str, queries: dict[str, list[Query]], like_per_class: int) -> list[str]:
    db = Database(url)
    lines = []
    try:
        await time_search(db, Query("сотрудничество"))  # one warm-up: connection pool, lemmatiser, caches
        for name in CLASSES:
            timings, totals = [], []
            for query in queries[name]:
                elapsed, total = await time_search(db, query)
                timings.append(elapsed)
                totals.append(total)
            likes = [await time_like(db, q) for q in queries[name][:like_per_class]]
            p50, p95, worst = _stats(timings)
            l50, l95, lworst = _stats(likes)
            target = MOST_MAX_MS if name == "most docs term" else TYPICAL_P95_MS
            verdict = "ok" if (worst if name == "most docs term" else p95) < target else "MISSED"
            lines.append(
                f"| {engine} | {name} | {len(timings)} | {int(statistics.median(totals)):,} | {p50:.1f} | {p95:.1f} "
                f"| {worst:.1f} | {verdict} | {len(likes)} | {l50:.0f} | {l95:.0f} | {lworst:.0f} |"
            )
            print(lines[-1], flush=True)
    finally:
        await db.dispose()
    return lines


async def run(args: argparse.Namespace) -> None:
    folder = Path(args.dir)
    engines = args.engines.split(",")
    pg_server = args.pg_url or os.environ.get("COOPNEWS_TEST_POSTGRES_URL", "")
    if "postgresql" in engines and not pg_server:
        sys.exit("PostgreSQL: pass --pg-url or run `eval \"$(.ci/postgres.sh start)\"` first (or --engines sqlite)")
    sqlite_path = folder / f"search-{args.n}.sqlite3"
    pg_name = f"coopnews_bench_search_{args.n}"
    meta_path = folder / f"meta-{args.n}.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and args.reuse else {}
    started = time.perf_counter()
    corpus = corpus_for(folder, args.seed)
    corpus.n = args.n
    if "now" in meta:
        corpus.now = datetime.fromisoformat(meta["now"])
    print(f"vocabulary ready in {time.perf_counter() - started:.0f} s "
          f"({', '.join(f'{k} {len(v.forms):,} forms' for k, v in corpus.vocab.items())})", flush=True)
    need_sqlite = "sqlite" in engines and not meta.get("sqlite")
    need_pg = "postgresql" in engines and not meta.get("postgresql")
    if need_sqlite or need_pg:
        if meta.get("now") is None:
            meta = {"now": corpus.now.isoformat()}
        print(f"generating and loading {args.n:,} articles into "
              f"{' and '.join(e for e, need in (('SQLite', need_sqlite), ('PostgreSQL', need_pg)) if need)} …")
        started = time.perf_counter()
        await load(corpus, args.n, args.batch, sqlite_path if need_sqlite else None,
                   (pg_server, pg_name) if need_pg else None)
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
        meta.update({e: True for e, need in (("sqlite", need_sqlite), ("postgresql", need_pg)) if need})
        meta_path.write_text(json.dumps(meta))
    if args.load_only:
        return
    queries = build_queries(corpus, args.n, args.queries, args.seed)
    header = ("| engine | query class | queries | matches (median) | p50 ms | p95 ms | max ms | target "
              "| LIKE queries | LIKE p50 ms | LIKE p95 ms | LIKE max ms |")
    print(f"\n{args.n:,} articles; search = storage.search (page of 5 + total); LIKE = substring scan, LIMIT 5")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    if "sqlite" in engines:
        await measure("SQLite", f"sqlite+aiosqlite:///{sqlite_path}", queries, args.like_queries)
    if "postgresql" in engines:
        await measure("PostgreSQL", pg_database_url(pg_server, pg_name), queries, args.like_queries)
    if not args.keep:
        await cleanup(sqlite_path, meta_path, pg_server if "postgresql" in engines else "", pg_name)


async def cleanup(sqlite_path: Path, meta_path: Path, pg_server: str, pg_name: str) -> None:
    _remove(sqlite_path, meta_path)
    if pg_server:
        import asyncpg

        admin = await asyncpg.connect(plain_pg(pg_server))
        await admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="articles to generate (default 1,000,000)")
    parser.add_argument("--dir", default="/tmp/coopnews-bench-search", help="where databases are cached")
    parser.add_argument("--keep", action="store_true", help="leave the databases in --dir afterwards")
    parser.add_argument("--reuse", action="store_true", help="use databases left by an earlier --keep run")
    parser.add_argument("--pg-url", default="", help="PostgreSQL server URL (default $COOPNEWS_TEST_POSTGRES_URL)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=50, help="queries per class (default 50)")
    parser.add_argument("--like-queries", type=int, default=3, help="LIKE queries per class (slow: scans)")
    parser.add_argument("--batch", type=int, default=20_000, help="articles per insert batch")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--load-only", action="store_true", help="generate and load (with --keep), time nothing")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
