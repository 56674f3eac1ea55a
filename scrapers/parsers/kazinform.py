"""inform.kz (Kazinform): `.allNewsCard` lists, times like "13:51, 15 Август 2025" in UTC+5."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="kazinform",
    # Kazakhstan moved to a single UTC+5 zone in 2024; Asia/Almaty carries that history.
    timezone="Asia/Almaty",
    selectors=Selectors(
        list_item=".allNewsCard",
        list_link="a",
        list_title=".allNewsCard_title",
        list_date=".allNewsCard_time",
        title="h1.article__title, h1",
        date=".article__time, .article__date, time",
        body=".article__body-text",
        image=".article__photo img, .article__image img",
        drop=".article__body-tags, .article__sources",
    ),
)
