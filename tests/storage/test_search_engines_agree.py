"""SQLite and PostgreSQL find the same articles: one corpus of real-style ru/en/kk news, many queries.

The corpus is the labelled development sets in tests/data (178 articles); each query runs on both
engines and the test fails on any difference in the result set, in the total or in its lower-bound flag.
A second pass shrinks the total's cap and the ranking window (to 20 and 10, pages of 10), so both engines
also agree on capped totals and on which newest matches the window keeps.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Database
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec
from storage.search import common

DATA = Path(__file__).resolve().parent.parent / "data"
NOW = datetime.now(UTC)

QUERIES: list[tuple[str, dict[str, object]]] = [
    # Russian places and topics, in other inflections than the text's
    ("Вологодская область", {}), ("вологодских", {}), ("Павлодар", {}), ("омская", {}), ("Казахстан", {}),
    ("Киргизия", {}), ("Бишкек", {}), ("Алматинской", {}), ("меморандум", {}), ("соглашения", {}),
    ("делегация", {}), ("сотрудничество", {}), ("лесопромышленный", {}), ("туристических маршрутов", {}),
    ("товарооборот", {}), ("образование", {}), ("сельское хозяйство", {}), ("губернатор аким", {}),
    ("форум", {}), ("студентов вузов", {}), ("ремонт дорог", {}),
    # English
    ("delegation", {}), ("talks Bishkek", {}), ("Astana", {}), ("memorandum", {}), ("Sverdlovsk region", {}),
    ("digital city projects", {}), ("foreign minister", {}), ("trade", {}), ("agreement", {}),
    # Kazakh
    ("облысы", {}), ("ынтымақтастық", {}), ("Саратов", {}), ("келісімге", {}), ("әкімімен", {}),
    ("Ресей елшісі", {}),
    # filters, alone and with words
    ("", {"regions": ["KZ"]}), ("", {"regions": ["RU-VLG"]}), ("", {"topics": ["education"]}),
    ("сотрудничество", {"regions": ["KZ"]}), ("меморандум", {"topics": ["trade"]}),
    ("delegation", {"regions": ["KG"]}), ("область", {"since": NOW - timedelta(days=30)}),
    ("область", {"regions": ["RU"], "topics": ["tourism"], "since": NOW - timedelta(days=90)}),
    # hostile input: every engine reads it as words or as nothing, never as syntax
    ('"меморандум', {}), ("-Казахстан", {}), ("лес*", {}), ("NEAR(Омск", {}), ("title:Омск", {}),
    ("'; DROP TABLE articles; --", {}), ("1 OR 1=1", {}), ("😀 Павлодар 🇰🇿", {}), ("Омск & | ! :*", {}),
    ("<script>", {}), ("", {}), ("\x00", {}),
]


def _corpus() -> list[NewArticle]:
    articles: list[NewArticle] = []
    for name in ("devset_real_style.jsonl", "devset.jsonl"):
        for i, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines()):
            item = json.loads(line)
            parties = [tuple(pair) for pair in item["parties"]]
            articles.append(
                NewArticle(
                    source_id="s", url=f"https://s.example/{name}/{item['id']}", title=item["title"],
                    body=item["text"], language=item["lang"],
                    published_at=NOW - timedelta(days=(i * 7) % 200, hours=i),
                    parties=parties, topics=item["topics"], is_cooperation=item["cooperation"],
                )
            )
    return articles


async def _load(db: Database, articles: list[NewArticle]) -> None:
    await db.upgrade()
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
        for article in articles:
            await uow.articles.add(article)
        await uow.commit()


Found = tuple[int, bool, set[str]]


async def _results(db: Database, limit: int = 50) -> list[Found]:
    found: list[Found] = []
    async with db.read() as uow:
        for words, filters in QUERIES:
            page = await uow.search.find(words, limit=limit, **filters)  # type: ignore[arg-type]
            found.append((page.total, page.total_is_lower_bound, {a.url for a in page.articles}))
    return found


def _disagreements(on_sqlite: list[Found], on_postgres: list[Found]) -> list[str]:
    return [
        f"{query!r}: SQLite {a[0]}{'+' * a[1]} {sorted(a[2] - b[2])[:3]}… "
        f"vs PostgreSQL {b[0]}{'+' * b[1]} {sorted(b[2] - a[2])[:3]}…"
        for query, a, b in zip(QUERIES, on_sqlite, on_postgres, strict=True)
        if a != b
    ]


async def test_sqlite_and_postgresql_return_the_same_articles(
    tmp_path: Path, postgres_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _corpus()
    sqlite = Database(f"sqlite+aiosqlite:///{tmp_path / 'agree.sqlite3'}")
    postgres = Database(postgres_db_url)
    try:
        await _load(sqlite, articles)
        await _load(postgres, articles)
        on_sqlite, on_postgres = await _results(sqlite), await _results(postgres)
        monkeypatch.setattr(common, "TOTAL_CAP", 20)
        monkeypatch.setattr(common, "RANK_WINDOW", 10)
        capped_sqlite, capped_postgres = await _results(sqlite, limit=10), await _results(postgres, limit=10)
    finally:
        await sqlite.dispose()
        await postgres.dispose()
    disagreements = _disagreements(on_sqlite, on_postgres)
    assert not disagreements, "\n".join(disagreements)
    # the corpus and queries are not vacuous: most queries find something, some find many
    assert sum(1 for total, _, _ in on_sqlite if total) >= len(QUERIES) * 2 // 3
    assert max(total for total, _, _ in on_sqlite) >= 50
    assert not any(capped for _, capped, _ in on_sqlite)  # under the real cap every total is exact
    disagreements = _disagreements(capped_sqlite, capped_postgres)
    assert not disagreements, "capped: " + "\n".join(disagreements)
    # some queries were capped (total 20 and the flag), some windowed but exact, some under both
    assert any(capped for _, capped, _ in capped_sqlite)
    assert any(10 < total < 20 and not capped for total, capped, _ in capped_sqlite)
    assert all(total == 20 for total, capped, _ in capped_sqlite if capped)
