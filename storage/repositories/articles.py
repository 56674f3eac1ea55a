"""Articles, their place/topic/party tags and story membership."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, ArticleParty, ArticleRegion, ArticleTopic, Story


def content_hash(title: str, body: str) -> str:
    """Hash of the normalised text: the same story re-posted under another URL hashes alike."""
    normalised = " ".join(f"{title}\n{body}".lower().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass
class NewArticle:
    """What the ingest step hands storage for one new article."""

    source_id: str
    url: str
    title: str
    body: str = ""
    lead: str = ""
    summary: str = ""
    language: str = "ru"
    image_url: str | None = None
    published_at: datetime | None = None
    is_cooperation: bool = False
    event_type: str | None = None
    confidence: float = 0.0
    mentioned: Sequence[str] = ()
    parties: Sequence[tuple[str, str]] = ()
    topics: Sequence[str] = ()
    signature: list[int] | None = None
    story_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


class ArticleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def partner_countries(self, region: str, limit: int = 12) -> list[str]:
        """Countries this region has cooperation news with, the most items first (ISO 3166-1 codes)."""
        rows = await self.session.execute(
            select(ArticleParty.partner_code, func.count())
            .where(ArticleParty.ru_code == region)
            .group_by(ArticleParty.partner_code)
        )
        by_country: dict[str, int] = {}
        for code, count in rows:
            country = code.split("-", 1)[0]
            by_country[country] = by_country.get(country, 0) + count
        return sorted(by_country, key=lambda c: (-by_country[c], c))[:limit]

    async def get(self, article_id: int) -> Article | None:
        return await self.session.get(Article, article_id)

    async def get_many(self, ids: Iterable[int]) -> list[Article]:
        ids = list(ids)
        if not ids:
            return []
        rows = await self.session.scalars(select(Article).where(Article.id.in_(ids)))
        by_id = {a.id: a for a in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def known_urls(self, urls: Iterable[str]) -> set[str]:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return set()
        found: set[str] = set()
        for start in range(0, len(urls), 500):  # stay under SQLite's bound-parameter limit
            chunk = urls[start : start + 500]
            found.update(await self.session.scalars(select(Article.url).where(Article.url.in_(chunk))))
        return found

    async def by_hash(self, digest: str) -> Article | None:
        return await self.session.scalar(select(Article).where(Article.content_hash == digest).limit(1))

    async def is_duplicate(self, new: NewArticle) -> bool:
        """Stored already: the same URL, or the same text (hashed as `add` hashes it) under another URL."""
        if await self.known_urls([new.url]):
            return True
        return await self.by_hash(content_hash(new.title, new.body)) is not None

    async def add(self, new: NewArticle) -> Article:
        parties = list(dict.fromkeys(new.parties))
        party_codes = {code for pair in parties for code in pair}
        codes = list(dict.fromkeys([*party_codes, *new.mentioned]))
        article = Article(
            source_id=new.source_id,
            url=new.url,
            content_hash=content_hash(new.title, new.body),
            title=new.title,
            lead=new.lead,
            body=new.body,
            summary=new.summary,
            language=new.language,
            image_url=new.image_url,
            published_at=new.published_at,
            is_cooperation=new.is_cooperation,
            event_type=new.event_type,
            confidence=new.confidence,
            signature=new.signature,
            story_id=new.story_id,
            regions=[ArticleRegion(code=c, is_party=c in party_codes) for c in codes],
            topics=[ArticleTopic(topic=t, rank=i) for i, t in enumerate(dict.fromkeys(new.topics))],
            parties=[ArticleParty(ru_code=a, partner_code=b) for a, b in parties],
        )
        self.session.add(article)
        await self.session.flush()
        return article

    async def delete(self, article_id: int) -> None:
        await self.session.execute(delete(Article).where(Article.id == article_id))

    async def count(self, since: datetime | None = None) -> int:
        query = select(func.count(Article.id))
        if since is not None:
            query = query.where(Article.fetched_at >= since)
        return int(await self.session.scalar(query) or 0)

    async def latest(self, limit: int = 20, cooperation_only: bool = True) -> list[Article]:
        query = select(Article).order_by(Article.fetched_at.desc(), Article.id.desc()).limit(limit)
        if cooperation_only:
            query = query.where(Article.is_cooperation.is_(True))
        return list(await self.session.scalars(query))

    # --- stories -------------------------------------------------------------------------
    async def new_story(self, title: str) -> Story:
        story = Story(title=title, article_count=0)
        self.session.add(story)
        await self.session.flush()
        return story

    async def join_story(self, article: Article, story_id: int) -> None:
        article.story_id = story_id
        story = await self.session.get(Story, story_id)
        if story is not None:
            story.article_count += 1

    async def story_articles(self, story_id: int) -> list[Article]:
        rows = await self.session.scalars(
            select(Article).where(Article.story_id == story_id).order_by(Article.id)
        )
        return list(rows)

    async def story_signatures(self, since: datetime, chunk: int = 2_000) -> AsyncIterator[tuple[int, str, list[int]]]:
        """(story id, title, signature) of each recent story's first article, streamed in chunks.

        Streaming keeps start-up memory flat: a two-week window is tens of thousands of rows.
        """
        first_of_story = (
            select(func.min(Article.id))
            .where(Article.fetched_at >= since, Article.story_id.is_not(None), Article.signature.is_not(None))
            .group_by(Article.story_id)
        )
        query = (
            select(Article.story_id, Article.title, Article.signature)
            .where(Article.id.in_(first_of_story))
            .order_by(Article.id)
            .execution_options(yield_per=chunk)
        )
        result = await self.session.stream(query)
        async for rows in result.partitions():
            for story_id, title, sig in rows:
                if story_id is not None and sig:
                    yield story_id, title, sig
