"""/latest: the newest items that any of my subscriptions would have matched, by the alerts' own rule."""

from __future__ import annotations

from collections.abc import Sequence

from alerts.facts import ArticleFacts
from alerts.rules import rule_matches
from storage.models import Article, Subscription

# How far back /latest looks.
LATEST_WINDOW = 300


def matching_articles(articles: Sequence[Article], subs: Sequence[Subscription], limit: int = 5) -> list[Article]:
    """Articles (newest first as given) matched by at least one subscription, exactly as alerts match them."""
    needs_words = any(s.kind == "keyword" for s in subs)  # lemmatising bodies is the costly part
    found: list[Article] = []
    for article in articles:
        facts = ArticleFacts.of_stored(article, with_words=needs_words)
        if any(rule_matches(sub, facts) for sub in subs):
            found.append(article)
            if len(found) >= limit:
                break
    return found
