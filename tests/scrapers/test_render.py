"""render = true: pages whose content a script builds, fetched through the Debian chromium on 127.0.0.1."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from scrapers.fetcher import Fetcher
from scrapers.poller import poll_source
from scrapers.render import DEFAULT_CHROMIUM, Renderer
from scrapers.sources import SourceConfig
from tests.scrapers.conftest import fast_policy

needs_chromium = pytest.mark.skipif(
    shutil.which(DEFAULT_CHROMIUM) is None, reason=".ci/run installs it: apt-get install chromium"
)
PARAGRAPHS = [
    "Делегация Вологодской области провела переговоры с акиматом Алматинской области о поставках леса.",
    "Стороны подписали меморандум о сотрудничестве в лесопромышленном комплексе и образовании.",
    "Следующая встреча рабочей группы пройдёт в Алматы осенью, сообщили в пресс-службе акимата.",
]
# Nothing but a shell: the list and the article exist only after the script ran (gov.kz pages are like this).
LIST_SHELL = """<!doctype html><html><head><meta charset="utf-8"><title>Новости</title></head>
<body><div id="app">Загрузка…</div><script>
const app = document.getElementById('app'); app.textContent = '';
for (const n of [1, 2]) {
  const item = document.createElement('div'); item.className = 'item';
  const link = document.createElement('a'); link.href = '/news/' + n; link.textContent = 'Новость номер ' + n;
  item.appendChild(link); app.appendChild(item);
}
</script></body></html>"""
ARTICLE_SHELL = """<!doctype html><html><head><meta charset="utf-8"><title>Статья</title></head>
<body><div id="app"></div><script>
const paragraphs = %s;
const article = document.createElement('article');
const h1 = document.createElement('h1'); h1.textContent = 'Меморандум номер ' + location.pathname.split('/').pop();
article.appendChild(h1);
for (const text of paragraphs) { const p = document.createElement('p'); p.textContent = text; article.appendChild(p); }
document.getElementById('app').appendChild(article);
</script></body></html>"""


@pytest.fixture
async def js_site() -> AsyncIterator[str]:
    async def list_page(request: web.Request) -> web.Response:
        return web.Response(text=LIST_SHELL, content_type="text/html", charset="utf-8")

    async def article(request: web.Request) -> web.Response:
        import json

        return web.Response(text=ARTICLE_SHELL % json.dumps(PARAGRAPHS), content_type="text/html", charset="utf-8")

    async def stuck(request: web.Request) -> web.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def waits_for_image(request: web.Request) -> web.Response:
        return web.Response(text='<html><body><p>x</p><img src="/stuck.png"></body></html>', content_type="text/html")

    app = web.Application()
    app.router.add_get("/news/", list_page)
    app.router.add_get("/news/{n}", article)
    app.router.add_get("/stuck.png", stuck)
    app.router.add_get("/slow", waits_for_image)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def _source(base: str, render: bool) -> SourceConfig:
    return SourceConfig(id="js-akimat", name="JS akimat", url=f"{base}/news/", render=render,
                        selectors={"list_item": "div.item"}, timezone="Asia/Almaty")


@needs_chromium
async def test_a_script_built_list_and_article_are_read_through_chromium(js_site: str) -> None:
    async def nothing_known(urls: list[str]) -> set[str]:
        return set()

    async with Fetcher(fast_policy(total_timeout=30.0)) as fetcher:
        plain = await poll_source(_source(js_site, render=False), fetcher, nothing_known)
        rendered = await poll_source(_source(js_site, render=True), fetcher, nothing_known)

    assert plain.list_count == 0 and plain.articles == []  # without scripts the page is an empty shell
    assert plain.failed and "needs JavaScript" in str(plain.list_error) and "set render = true" in str(plain.list_error)
    assert rendered.errors == [] and rendered.list_count == 2
    by_url = {a.url: a for a in rendered.articles}
    assert sorted(by_url) == [f"{js_site}/news/1", f"{js_site}/news/2"]
    first = by_url[f"{js_site}/news/1"]
    assert first.title == "Меморандум номер 1"
    assert first.body.split("\n\n") == PARAGRAPHS


async def test_without_chromium_the_source_fails_with_a_clear_health_message(js_site: str) -> None:
    async def nothing_known(urls: list[str]) -> set[str]:
        return set()

    async with Fetcher(fast_policy(chromium="/nonexistent/chromium")) as fetcher:
        result = await poll_source(_source(js_site, render=True), fetcher, nothing_known)
    assert result.failed and result.list_error is not None
    assert "needs Chromium" in result.list_error and "apt-get install" in result.list_error


@needs_chromium
async def test_a_page_that_never_finishes_loading_is_cut_off_at_the_deadline(js_site: str) -> None:
    renderer = Renderer(timeout=3.0)
    started = asyncio.get_running_loop().time()
    rendered = await renderer.render(f"{js_site}/slow")
    assert rendered.error == "render timeout after 3 s"
    assert asyncio.get_running_loop().time() - started < 6


@needs_chromium
async def test_output_is_capped(js_site: str) -> None:
    rendered = await Renderer(max_bytes=300).render(f"{js_site}/news/1")
    assert rendered.error is None and rendered.truncated and len(rendered.html.encode()) <= 300



async def test_render_survives_the_sources_table(tmp_path: Path) -> None:
    """The file's render = true reaches the poller through the database rows (seed, reload)."""
    from app.source_registry import active_sources, rendered_ids, seed_and_load
    from storage import Database

    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'render.sqlite3'}")
    try:
        await db.upgrade()
        file_sources = [_source("http://127.0.0.1:1", render=True),
                        SourceConfig(id="plain", name="Plain", url="http://127.0.0.1:1/plain/")]
        loaded = {s.id: s.render for s in await seed_and_load(db, file_sources)}
        reloaded = {s.id: s.render for s in await active_sources(db, rendered_ids(file_sources))}
    finally:
        await db.dispose()
    assert loaded == reloaded == {"js-akimat": True, "plain": False}
