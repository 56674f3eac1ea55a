"""Any site: article-looking links, <article>/articleBody or the densest text block, trafilatura last."""

from scrapers.parsers.base import Profile, Selectors

PROFILE = Profile(
    name="generic",
    timezone="Europe/Moscow",
    selectors=Selectors(
        title="h1",
        date="time[datetime], .date, .news-date, .article-date, .publish-date",
        body="[itemprop=articleBody], article .content, article",
        image="article img",
    ),
)
