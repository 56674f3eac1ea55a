"""/latest: the newest cooperation items that any of my subscriptions would have matched."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.gazetteer import Gazetteer, load_gazetteer
from analysis.lemmas import lemmatize_text
from storage.models import Article, Subscription

# How far back /latest looks; the alerts pipeline owns exact matching, this is a reader's view.
LATEST_WINDOW = 300


def _matches(article: Article, sub: Subscription, gaz: Gazetteer, words: set[str]) -> bool:
    topics = {t.topic for t in article.topics}
    if sub.topic and sub.topic not in topics:
        return False
    if sub.kind == "region" and sub.region:
        return any(gaz.covers(sub.region, r.code) for r in article.regions)
    if sub.kind == "pair" and sub.region and sub.partner:
        return any(
            (gaz.covers(sub.region, p.ru_code) and gaz.covers(sub.partner, p.partner_code))
            or (gaz.covers(sub.region, p.partner_code) and gaz.covers(sub.partner, p.ru_code))
            for p in article.parties
        )
    if sub.kind == "topic":
        return bool(sub.topic)
    if sub.kind == "keyword" and sub.keyword:
        return set(sub.keyword.split()) <= words
    return False


def matching_articles(articles: Sequence[Article], subs: Sequence[Subscription], limit: int = 5) -> list[Article]:
    """Articles (newest first as given) matched by at least one subscription."""
    gaz = load_gazetteer()
    needs_words = any(s.kind == "keyword" for s in subs)
    found: list[Article] = []
    for article in articles:
        words = (
            set(lemmatize_text(f"{article.title} {article.lead} {article.summary}").split()) if needs_words else set()
        )
        if any(_matches(article, sub, gaz, words) for sub in subs):
            found.append(article)
            if len(found) >= limit:
                break
    return found
