"""No duplicate rows: same URL, same text under another URL, and one alert per story across sources."""

from __future__ import annotations

import asyncio

import pytest

from app.ingest import Ingestor
from sandbox.site_server import SiteServer
from storage import Database
from tests.ingest.conftest import article_titled, articles, deliveries, source, subscribe
from tests.ingest.news import DAIRY, DAIRY_RETOLD, DAIRY_WITH_FURNITURE, ENERGY, Composed, hours_ago, publish

OFFICIAL = 1


async def test_polling_twice_stores_each_article_once(db: Database, server: SiteServer, ingestor: Ingestor) -> None:
    server.etags = False  # a full list both times: only storage can tell what is known
    vologda = source(server, "vologda-ru")
    first = await ingestor.poll(vologda)
    second = await ingestor.poll(vologda)
    assert len(first.stored) == 2 and second.stored == [] and not second.failed
    assert len(await articles(db)) == 2
    assert server.hits["/vologda-ru/novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon/"] == 1


async def test_same_url_with_a_changed_date_is_not_new(db: Database, server: SiteServer, ingestor: Ingestor) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    vologda = source(server, "vologda-ru")
    await ingestor.poll(vologda)
    publish(server, "vologda-ru", ENERGY, hours_ago(3))
    await ingestor.poll(vologda)
    stored = await article_titled(db, ENERGY.title)

    # The site edits the article: new time on the list and the page, plus a tracking parameter on the link.
    publish(server, "vologda-ru", ENERGY, hours_ago(1), link_suffix="?utm_source=telegram")
    again = await ingestor.poll(vologda)

    assert again.stored == [] and not again.failed
    assert [a.id for a in await articles(db) if a.title == ENERGY.title] == [stored.id]
    assert len(await deliveries(db, OFFICIAL)) == 1


@pytest.mark.parametrize("article", [DAIRY, DAIRY_WITH_FURNITURE], ids=["plain", "with-site-furniture"])
async def test_syndicated_copy_under_another_url_is_skipped(
    db: Database, server: SiteServer, ingestor: Ingestor, article: Composed
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    vologda = source(server, "vologda-ru")
    await ingestor.poll(vologda)
    publish(server, "vologda-ru", article, hours_ago(2))
    await ingestor.poll(vologda)
    # The same text re-posted in another section of the site, under its own URL.
    publish(server, "vologda-ru", article, hours_ago(1), slug="dairy_agreement_repost")
    report = await ingestor.poll(vologda)

    assert report.stored == [] and report.duplicates == 1
    assert len([a for a in await articles(db) if a.title == article.title]) == 1
    assert len(await deliveries(db, OFFICIAL)) == 1


async def test_near_duplicate_from_another_source_joins_the_story_and_alerts_once(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    russian, english = source(server, "vologda-ru"), source(server, "vologda-en")
    await ingestor.poll(russian)
    await ingestor.poll(english)
    publish(server, "vologda-ru", DAIRY, hours_ago(2))
    publish(server, "vologda-en", DAIRY_RETOLD, hours_ago(1))
    await ingestor.poll(russian)
    await ingestor.poll(english)

    first, retold = await article_titled(db, DAIRY.title), await article_titled(db, DAIRY_RETOLD.title)
    assert first.source_id != retold.source_id and first.url != retold.url
    assert first.story_id is not None and first.story_id == retold.story_id
    assert [d.article_id for d in await deliveries(db, OFFICIAL)] == [first.id]


async def test_near_duplicates_polled_at_the_same_time_share_one_story(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    russian, english = source(server, "vologda-ru"), source(server, "vologda-en")
    await asyncio.gather(ingestor.poll(russian), ingestor.poll(english))
    publish(server, "vologda-ru", DAIRY, hours_ago(2))
    publish(server, "vologda-en", DAIRY_RETOLD, hours_ago(1))
    await asyncio.gather(ingestor.poll(russian), ingestor.poll(english))

    first, retold = await article_titled(db, DAIRY.title), await article_titled(db, DAIRY_RETOLD.title)
    assert first.story_id == retold.story_id
    assert len(await deliveries(db, OFFICIAL)) == 1


async def test_story_index_survives_a_restart(db: Database, server: SiteServer, ingestor: Ingestor) -> None:
    """LSH lives in memory: a new process rebuilds it from stored signatures before polling."""
    await subscribe(db, OFFICIAL, kind="region", region="RU-VLG")
    russian, english = source(server, "vologda-ru"), source(server, "vologda-en")
    await ingestor.poll(russian)
    await ingestor.poll(english)
    publish(server, "vologda-ru", DAIRY, hours_ago(2))
    await ingestor.poll(russian)

    restarted = Ingestor(db, ingestor.settings, ingestor.fetcher)
    assert await restarted.load_stories() >= 1
    publish(server, "vologda-en", DAIRY_RETOLD, hours_ago(1))
    await restarted.poll(english)

    first, retold = await article_titled(db, DAIRY.title), await article_titled(db, DAIRY_RETOLD.title)
    assert first.story_id == retold.story_id
    assert len(await deliveries(db, OFFICIAL)) == 1
