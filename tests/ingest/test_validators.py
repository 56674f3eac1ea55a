"""Conditional GET across restarts: validators are stored after a good poll and sent by a new process."""

from __future__ import annotations

from app.ingest import Ingestor
from app.settings import Settings
from sandbox.site_server import Fault, SiteServer
from scrapers.fetcher import Fetcher
from storage import Database
from tests.ingest.conftest import articles, source
from tests.ingest.news import ENERGY, hours_ago, publish
from tests.scrapers.conftest import fast_policy

ARTICLE = "/vologda-ru/novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon/"


async def test_restart_sends_saved_validators_and_a_304_yields_nothing(
    db: Database, server: SiteServer, settings: Settings
) -> None:
    vologda = source(server, "vologda-ru")
    async with Fetcher(fast_policy()) as first_process:
        first = await Ingestor(db, settings, first_process).poll(vologda)
    assert len(first.stored) == 2
    async with db.read() as uow:
        saved = await uow.sources.validators([vologda.url])
    etag, last_modified = saved[vologda.url]
    assert etag and etag.startswith('"') and last_modified

    async with Fetcher(fast_policy()) as second_process:
        restarted = Ingestor(db, settings, second_process)
        assert second_process.validators() == {}
        await restarted.load_validators([vologda])
        assert second_process.validators()[vologda.url] == (etag, last_modified)
        lists_before = server.hits["/vologda-ru/list.html"]
        again = await restarted.poll(vologda)

        assert server.hits["/vologda-ru/list.html"] == lists_before + 1
        assert again.stored == [] and not again.failed and again.errors == []
        assert server.hits[ARTICLE] == 1  # the 304 meant no article was even looked at
        assert len(await articles(db)) == 2

        # The list changes. Every snapshot shares one Last-Modified, so only a sent If-None-Match that no
        # longer matches can bring the new list (and with it the article) instead of a 304.
        publish(server, "vologda-ru", ENERGY, hours_ago(1))
        changed = await restarted.poll(vologda)
    assert [item.title for item in changed.stored] == [ENERGY.title]
    async with db.read() as uow:
        assert (await uow.sources.validators([vologda.url]))[vologda.url][0] != etag


async def test_an_article_that_failed_is_retried_although_the_list_is_unchanged(
    db: Database, server: SiteServer, ingestor: Ingestor
) -> None:
    """A 304 must not hide an item the last poll could not store."""
    vologda = source(server, "vologda-ru")
    server.set_fault(ARTICLE, Fault(statuses=[503] * 3))  # every attempt of the first poll
    first = await ingestor.poll(vologda)
    assert len(first.stored) == 1 and any(ARTICLE in e for e in first.errors) and not first.failed

    again = await ingestor.poll(vologda)  # same process: the list has not changed
    assert len(again.stored) == 1 and again.errors == [] and server.hits[ARTICLE] == 4
    assert len(await articles(db)) == 2

    async with Fetcher(fast_policy()) as restarted_fetcher:  # a restart after the good poll: 304 now
        restarted = Ingestor(db, ingestor.settings, restarted_fetcher)
        await restarted.load_validators([vologda])
        assert vologda.url in restarted_fetcher.validators()
        assert (await restarted.poll(vologda)).stored == []
