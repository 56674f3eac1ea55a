"""1C-Bitrix news sites (vologda-oblast.ru): `div.news-list > div.item`, dates as DD.MM.YYYY HH:MM."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="bitrix",
    timezone="Europe/Moscow",
    selectors=Selectors(
        list_item="div.news-list > div.item",
        list_link="a",
        list_title=".title, .name",
        list_date="div.date",
        title="div.news-detail h1, h1",
        date="div.news-detail div.date, div.news-date-time, div.date",
        body="div.news-detail__text, div.news-detail",
        image="img.detail_picture, div.news-detail img",
        # Bitrix templates print the section rubrics as a comma list and a "telegram channel" promo.
        drop="div.date, div.news-detail__rubrics, div.news-detail__promo, a.back-link, h1",
    ),
)
