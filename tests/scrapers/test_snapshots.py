"""Every default source parses from its snapshot: title, zone-aware date, clean body."""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.site_server import SiteServer, sources_for
from scrapers.fetcher import Fetcher
from scrapers.poller import poll_source

# source id -> (title of one article, its publication time with the site's offset)
EXPECTED = {
    "vologda-ru": (
        "Вологодская и Алматинская области договорились о совместном проекте в лесопромышленном комплексе",
        "2025-11-14T16:42:00+03:00",
    ),
    "vologda-en": ("Vologda and Almaty regions to hold a joint forestry workshop", "2025-11-21T12:30:00+03:00"),
    "lenobl": (
        "Ленинградская и Алматинская области подписали план мероприятий на 2026 год",
        "2025-11-19T14:20:00+03:00",
    ),
    "spb-governor": ("Губернатор встретился с делегацией Алматы", "2025-11-17T15:40:00+03:00"),
    "spb-foreign": (
        "Петербург и Казахстан обсудили сотрудничество в сфере образования",
        "2025-11-18T00:00:00+03:00",
    ),
    "kazinform-ru": (
        "Алматинская область перенимает опыт Вологодчины в лесном хозяйстве",
        "2025-08-15T13:51:00+05:00",
    ),
    "kazinform-en": ("Almaty region and Vologda region sign forestry memorandum", "2025-12-03T09:05:00+05:00"),
    "qazaqtv-en": ("Almaty region delegation visits Vologda forest forum", "2025-12-04T16:02:00+05:00"),
    "kg24-en": ("Chui region and Leningrad region to expand trade", "2025-11-20T14:37:00+06:00"),
    "kg24-ru": ("Чуйская и Вологодская области договорились о поставках леса", "2025-11-21T10:15:00+06:00"),
    "akipress": (
        "Иссык-Кульская область и Санкт-Петербург обсудили туристические обмены",
        "2025-11-21T11:40:00+06:00",
    ),
    "kabar-ru": (
        "Кыргызстан и Ленинградская область обсудили создание торгового дома",
        "2025-11-20T17:25:00+06:00",
    ),
    "almaty-region-akimat": (
        "Делегация Алматинской области посетила Вологодскую область",
        "2025-12-05T10:30:00+05:00",
    ),
    "almaty-city-akimat": (
        "Алматы и Санкт-Петербург подготовят программу Дней Алматы в 2026 году",
        "2025-11-18T12:00:00+05:00",
    ),
}
CLUTTER = [
    "Array (", "=>", "Возврат к списку", "Back to the list", "Читайте также", "Read also", "Рекомендуем",
    "Popular", "Последние новости", "Поделиться", "Share:", "Теги", "Тэги", "Реклама", "Комментарии",
    "Фото пресс-службы", "Рубрики", "Пн Вт", "Mon Tue", "News Archive", "Архив новостей", "телеграм канале",
    "Добавить комментарий", "Main Page", "Автор:", "Forestry\n", "ВКонтакте", "Меню",
]  # fmt: skip


async def _never_known(urls: list[str]) -> set[str]:
    return set()


async def test_every_bundled_source_has_expectations(server: SiteServer) -> None:
    assert {source.id for source in sources_for(server)} == set(EXPECTED)


@pytest.mark.parametrize("source_id", sorted(EXPECTED))
async def test_source_parses_from_snapshot(source_id: str, server: SiteServer, fetcher: Fetcher) -> None:
    source = next(s for s in sources_for(server) if s.id == source_id)
    result = await poll_source(source, fetcher, _never_known)
    assert result.errors == []
    assert result.list_count >= 1 and len(result.articles) == result.list_count
    title, published = EXPECTED[source_id]
    article = next(a for a in result.articles if a.title == title)
    expected_time = datetime.fromisoformat(published)
    assert article.published == expected_time
    assert article.published is not None and article.published.utcoffset() == expected_time.utcoffset()
    assert len(article.body) > 150 and article.lead and article.lead in article.body
    assert article.source_id == source_id and article.lang == source.lang
    assert article.url.startswith(server.base_url)
    for article in result.articles:
        leaked = [junk for junk in CLUTTER if junk in article.body]
        assert leaked == [], f"{article.url}: {leaked}"
        assert article.published is not None and article.published.tzinfo is not None


async def test_lead_image_and_rebased_links(server: SiteServer, fetcher: Fetcher) -> None:
    source = next(s for s in sources_for(server) if s.id == "vologda-ru")
    result = await poll_source(source, fetcher, _never_known)
    forestry = next(a for a in result.articles if "лесопромышленном" in a.title)
    assert forestry.image_url == server.url("/vologda-ru/upload/iblock/4a1/almaty_vologda_forum.jpg")
    assert forestry.lead.startswith("Вологда, 14 ноября 2025 года.")
