"""Hostile pages through the whole pipeline: nothing raises, nothing bad is stored, the rest goes on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from analysis.normalize import TITLE_CHARS
from app.ingest import Ingestor, tidy
from sandbox.site_server import Fault, SiteServer
from scrapers.models import ParsedArticle
from storage import Database
from storage.models import Article
from tests.ingest.conftest import articles, source

ROADS = "novosti/novosti_territoriy/remont_dorog_cherepovetskiy_rayon"
FORESTRY = "Вологодская и Алматинская области договорились о совместном проекте в лесопромышленном комплексе"
LIST = "/vologda-ru/list.html"


def _printable(text: str) -> bool:
    return "\ufffd" not in text and not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


def _sound(article: Article) -> bool:
    return bool(article.title.strip() and article.body.strip()) and _printable(article.title + article.body) and (
        len(article.title) <= TITLE_CHARS + 1
    )


def _break(server: SiteServer, path: str, kind: str) -> None:
    if kind == "empty":
        server.publish("vologda-ru", path.removeprefix("/vologda-ru/"), "", "")  # 200 with no body at all
    else:
        server.set_fault(path, Fault(junk=kind == "binary", malformed=kind == "malformed"))


@pytest.mark.parametrize("kind", ["binary", "malformed", "empty"])
async def test_a_hostile_article_page_stores_nothing_bad_and_the_rest_is_stored(
    db: Database, server: SiteServer, ingestor: Ingestor, kind: str
) -> None:
    _break(server, f"/vologda-ru/{ROADS}/", kind)
    report = await ingestor.poll(source(server, "vologda-ru"))

    assert not report.failed
    stored = await articles(db)
    assert FORESTRY in [a.title for a in stored]
    assert all(_sound(a) for a in stored), [(a.title, a.body[:80]) for a in stored]
    assert len(stored) + len(report.errors) == 2  # the hostile page is either skipped (an error) or sane


@pytest.mark.parametrize("kind", ["binary", "malformed", "empty"])
async def test_a_hostile_list_page_stores_nothing_and_raises_nothing(
    db: Database, server: SiteServer, ingestor: Ingestor, kind: str
) -> None:
    _break(server, LIST, kind)
    report = await ingestor.poll(source(server, "vologda-ru"))
    assert report.stored == [] and await articles(db) == []
    assert report.failed is (kind == "binary")  # unreadable is a failure; a page without items is not


async def test_a_hostile_feed_fails_the_poll_cleanly(db: Database, server: SiteServer, ingestor: Ingestor) -> None:
    server.set_fault("/lenobl/feed.xml", Fault(junk=True))
    report = await ingestor.poll(source(server, "lenobl"))
    assert report.failed and report.consecutive_failures == 1 and await articles(db) == []


def _parsed(title: str, body: str) -> ParsedArticle:
    return ParsedArticle("http://127.0.0.1/x", title, body, body[:50], datetime(2026, 1, 1, tzinfo=UTC), None, "ru",
                         "vologda-ru")


def test_tidy_drops_unprintable_characters_and_caps_a_runaway_title() -> None:
    runaway = _parsed("Broken page text \ufffd&#xZZ;<<>>" * 40, "Текст\x00 статьи\ufffd.\n\nВторой абзац.")
    tidied = tidy(runaway)
    assert tidied is not None
    assert len(tidied.title) <= TITLE_CHARS + 1 and tidied.title.endswith("…") and _printable(tidied.title)
    assert tidied.body == "Текст статьи .\n\nВторой абзац."
    assert tidy(replace(runaway, title="\ufffd\x07 ")) is None and tidy(_parsed("Заголовок", " \x00\ufffd")) is None
    sound = _parsed("Обычный заголовок", "Обычный текст.")
    assert tidy(sound) == sound
