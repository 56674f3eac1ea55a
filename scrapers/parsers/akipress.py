"""akipress.org: the `table#last50` of `a.newslink` rows (links carry a `?from=` tag we strip)."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="akipress",
    timezone="Asia/Bishkek",
    # Besides ?from=, akipress tags links with the block they were clicked in.
    tracking_params=frozenset({"place"}),
    selectors=Selectors(
        list_item="table#last50 a.newslink",
        list_link="",
        title="h1",
        date=".news-date, .date, time",
        body="div.news-text, div#newstext, article",
        image="div.news-text img",
        drop=".news-date, .date",
    ),
)
