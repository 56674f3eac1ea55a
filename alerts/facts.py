"""What matching knows about one article, built the same way at ingest time and from a stored article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analysis.lemmas import article_lemmas

if TYPE_CHECKING:
    from analysis.pipeline import ArticleAnalysis
    from storage.models import Article


def country_of(code: str) -> str:
    return code.split("-", 1)[0]


def covers(rule_code: str, place_code: str) -> bool:
    """A place rule covers itself, and a country rule covers that country's regions (KZ covers KZ-19)."""
    return rule_code == place_code or ("-" not in rule_code and country_of(place_code) == rule_code)


@dataclass(frozen=True)
class ArticleFacts:
    """What matching needs to know about one stored article."""

    article_id: int
    source_id: str
    story_id: int | None
    is_cooperation: bool
    parties: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    lemmas: tuple[str, ...] = ()
    _lemma_text: str = field(default="", repr=False)
    # False for the first article of a new story: nobody can have had it yet, skip that query
    story_has_earlier: bool = True

    @classmethod
    def of_analysis(
        cls,
        article_id: int,
        source_id: str,
        story_id: int | None,
        analysis: ArticleAnalysis,
        *,
        story_has_earlier: bool,
    ) -> ArticleFacts:
        """The facts of an article being ingested, from the analysis that was just run on it."""
        coop = analysis.cooperation
        return cls.build(
            article_id=article_id,
            source_id=source_id,
            story_id=story_id,
            is_cooperation=coop.is_cooperation,
            parties=coop.parties,
            topics=analysis.topics,
            lemma_text=analysis.lemmas,
            story_has_earlier=story_has_earlier,
        )

    @classmethod
    def of_stored(cls, article: Article, *, with_words: bool = True) -> ArticleFacts:
        """The same facts, read back from a stored article (its lemmas recomputed as analysis computes them)."""
        return cls.build(
            article_id=article.id,
            source_id=article.source_id,
            story_id=article.story_id,
            is_cooperation=article.is_cooperation,
            parties=[(p.ru_code, p.partner_code) for p in article.parties],
            topics=[t.topic for t in article.topics],
            lemma_text=article_lemmas(article.title, article.body) if with_words else "",
        )

    @classmethod
    def build(
        cls,
        *,
        article_id: int,
        source_id: str,
        story_id: int | None = None,
        is_cooperation: bool = False,
        parties: Iterable[tuple[str, str]] = (),
        topics: Iterable[str] = (),
        lemma_text: str = "",
        story_has_earlier: bool = True,
    ) -> ArticleFacts:
        """Facts from named parts (tests and benches compose them; ingest and /latest use the two above)."""
        words = tuple(lemma_text.split())
        return cls(
            article_id, source_id, story_id, is_cooperation, tuple(parties), tuple(topics), words,
            f" {' '.join(words)} ",
            story_has_earlier,
        )

    def place_codes(self) -> set[str]:
        """Every code a place rule could be keyed on: each party and each party's country."""
        codes: set[str] = set()
        for pair in self.parties:
            for code in pair:
                codes.update((code, country_of(code)))
        return codes

    def words(self) -> set[str]:
        """The article's distinct lemmas: keyword rules are indexed by their first lemma."""
        return set(self.lemmas)

    def has_all(self, keyword: str) -> bool:
        """Every lemma of the keyword occurs in the article (the same AND as /search)."""
        words = keyword.split()
        return bool(words) and all(f" {w} " in self._lemma_text for w in words)
