"""Any site: article-looking links, the best-scoring subtree of text blocks, trafilatura last."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="generic",
    timezone="Europe/Moscow",
    selectors=Selectors(
        title="h1",
        date="time[datetime], .date, .news-date, .article-date, .publish-date",
        body="",  # no selector: the first <article> is often a promo card; block scoring finds the text
        image="article img",
    ),
)
