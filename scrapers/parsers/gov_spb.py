"""gov.spb.ru: lists of `li.object-list__item > a`, article `div.block.content` under `h2.block__title`."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="gov_spb",
    timezone="Europe/Moscow",
    selectors=Selectors(
        list_item="li.object-list__item",
        list_link="a",
        list_title=".object-item__title",
        list_date=".object-item__date",
        title="h2.block__title, h1",
        date="div.source__date",
        body="div.block.content",
        image="div.block.content img, .image-block img",
        drop="div.source__date, h2.block__title",
    ),
)
