"""The first poll of a source is history except for what is fresh; later polls are news unless stale."""

from __future__ import annotations

import pytest

from app.ingest import Ingestor
from app.settings import Settings
from sandbox.site_server import Fault, SiteServer
from scrapers.fetcher import Fetcher
from storage import Database
from tests.ingest.conftest import article_titled, articles, deliveries, source, subscribe
from tests.ingest.news import ARCHIVE, DAIRY, ENERGY, hours_ago, publish

OFFICIAL = 1  # head of a representative office, follows Vologda Oblast
SNAPSHOT_COOPERATION = (
    "Вологодская и Алматинская области договорились о совместном проекте в лесопромышленном комплексе"
)


async def test_first_poll_alerts_only_items_within_backfill(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    publish(server, "vologda-ru", DAIRY, hours_ago(2))
    report = await ingestor.poll(source(server, "vologda-ru"))

    assert not report.failed and report.errors == []
    assert len(report.stored) == 3  # two snapshot articles from 2025 and the fresh one, all kept
    fresh = await article_titled(db, DAIRY.title)
    old = await article_titled(db, SNAPSHOT_COOPERATION)
    assert old.is_cooperation  # it would match the subscription: only its age keeps it quiet
    assert [d.article_id for d in await deliveries(db, OFFICIAL)] == [fresh.id]
    assert {i.title: i.alerted_users for i in report.stored}[DAIRY.title] == 1


async def test_later_polls_alert_new_items_but_not_resurfacing_archive(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    vologda = source(server, "vologda-ru")
    await ingestor.poll(vologda)  # baseline: nothing fresh on the site
    assert await deliveries(db) == []

    publish(server, "vologda-ru", ENERGY, hours_ago(0.5))
    publish(server, "vologda-ru", ARCHIVE, hours_ago(24 * 400))  # an old page newly linked from the list
    report = await ingestor.poll(vologda)

    assert sorted(i.title for i in report.stored) == sorted([ENERGY.title, ARCHIVE.title])
    archive = await article_titled(db, ARCHIVE.title)
    assert archive.is_cooperation and archive.published_at is not None
    energy = await article_titled(db, ENERGY.title)
    assert [d.article_id for d in await deliveries(db, OFFICIAL)] == [energy.id]


@pytest.mark.parametrize(("backfill_hours", "alerted"), [(48, True), (24, False)])
async def test_backfill_hours_setting_decides_the_first_poll(
    db: Database, server: SiteServer, fetcher: Fetcher, backfill_hours: int, alerted: bool
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    settings = Settings(_env_file=None, database_url=db.url, backfill_hours=backfill_hours)
    publish(server, "vologda-ru", DAIRY, hours_ago(30))
    await Ingestor(db, settings, fetcher).poll(source(server, "vologda-ru"))
    assert len(await articles(db)) == 3
    assert bool(await deliveries(db, OFFICIAL)) is alerted


async def test_first_poll_that_fails_leaves_the_baseline_for_later(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    vologda = source(server, "vologda-ru")
    server.set_fault("/vologda-ru/list.html", Fault(statuses=[503] * 3))
    assert (await ingestor.poll(vologda)).failed
    # The site comes back with its whole archive: still a first look, so still no alert flood.
    await ingestor.poll(vologda)
    assert len(await articles(db)) == 2 and await deliveries(db) == []
