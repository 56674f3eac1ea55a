"""Store composed cooperation items at chosen times: what the report tests count on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage import Database
from storage.repositories.articles import NewArticle
from storage.repositories.sources import SourceSpec


@dataclass(frozen=True)
class Item:
    when: datetime
    parties: tuple[tuple[str, str], ...]
    topics: tuple[str, ...] = ()
    title: str = ""
    cooperation: bool = True
    event: str = "agreement"


async def store(db: Database, items: Sequence[Item], source: str = "rep-src") -> list[int]:
    ids = []
    async with db.write() as uow:
        await uow.sources.sync_one(SourceSpec(source, "Правительство области", f"http://127.0.0.1/{source}/"))
        for i, item in enumerate(items):
            article = await uow.articles.add(
                NewArticle(
                    source_id=source,
                    url=f"http://127.0.0.1/{source}/news/{i}",
                    title=item.title or f"Соглашение номер {i}",
                    body=f"Текст соглашения номер {i}.",
                    summary=f"Кратко о соглашении {i}.",
                    published_at=item.when,
                    is_cooperation=item.cooperation,
                    event_type=item.event,
                    parties=item.parties,
                    topics=item.topics,
                )
            )
            ids.append(article.id)
        await uow.commit()
    return ids
