"""24.kg: `div#newslist div.one` with `div.title > a`; article `h1`, text in `div.cont p`."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="kg24",
    timezone="Asia/Bishkek",
    selectors=Selectors(
        list_item="div#newslist div.one",
        list_link="div.title > a",
        list_title="div.title",
        title="h1",
        date="div.newsInfo .time, div.time, time",
        body="div.cont",
        image="div.newsImg img, div.cont img",
        drop="div.time, div.newsInfo",
    ),
)
