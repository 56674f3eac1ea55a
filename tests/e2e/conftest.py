"""End-to-end helpers: a throttled bot on the fake API, bulk-seeded users, stored and matched articles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from pydantic import SecretStr
from sqlalchemy import insert, select

from alerts.matcher import MatchResult, match_article
from alerts.rules import ArticleFacts
from app.settings import Settings
from bot.sender import Sender
from bot.throttle import TelegramThrottle
from sandbox.fake_api import FakeTelegram
from storage import Database
from storage.clock import utcnow
from storage.models import Delivery, Subscription, User
from storage.repositories import NewArticle
from storage.repositories.sources import SourceSpec

ADMIN_ID = 990_001


def throttled_bot(tg: FakeTelegram, *, global_rate: float = 25.0, per_chat_rate: float = 1.0) -> Bot:
    """A Bot on the fake API with its own throttle: Settings caps the global rate at Telegram's 30/s,
    scaled-up tests need more, so the throttle is built here rather than through build_bot()."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(tg.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    bot.session.middleware(TelegramThrottle(global_rate, per_chat_rate))
    return bot


def e2e_settings(tg: FakeTelegram, db_url: str, **overrides: object) -> Settings:
    """Settings for the real App against the fake API (no .env is read)."""
    base = Settings(_env_file=None)
    values: dict[str, object] = {
        "database_url": db_url,
        "telegram_api_url": tg.base_url,
        "bot_token": SecretStr(tg.token),
        "admin_ids": [ADMIN_ID],
        "min_poll_interval": 3600,  # tests poll on purpose (scrape_now), not on the scheduler's whim
    }
    values.update(overrides)
    return base.model_copy(update=values)


async def add_users(
    db: Database,
    ids: Iterable[int],
    *,
    region: str | None = None,
    mode: str = "instant",
    **settings: object,
) -> list[int]:
    """Bulk-insert users (chat id = user id), each optionally subscribed to `region`."""
    ids = list(ids)
    now = utcnow()
    user_rows = [
        {
            "id": user_id,
            "chat_id": user_id,
            "first_name": f"user{user_id}",
            "language": "ru",
            "timezone": "Europe/Moscow",
            "digest_hour": 9,
            "digest_enabled": True,
            "instant_enabled": True,
            "no_news_notes": False,
            "active": True,
            "created_at": now,
            **settings,
        }
        for user_id in ids
    ]
    async with db.write() as uow:
        await uow.session.execute(insert(User), user_rows)
        if region is not None:
            key = Subscription.make_key("region", region, None, None, None)
            sub_rows = [
                {"user_id": i, "kind": "region", "region": region, "label": "", "mode": mode, "key": key,
                 "created_at": now}
                for i in ids
            ]
            await uow.session.execute(insert(Subscription), sub_rows)
        await uow.commit()
    return ids


@dataclass(frozen=True)
class StoredArticle:
    id: int
    story_id: int
    parties: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    source_id: str


async def add_article(
    db: Database,
    title: str,
    *,
    parties: Sequence[tuple[str, str]] = (("RU-VLG", "KZ-19"),),
    topics: Sequence[str] = ("agriculture",),
    source_id: str = "vologda-ru",
    summary: str = "",
    url: str | None = None,
    story_id: int | None = None,
    published_at: datetime | None = None,
) -> StoredArticle:
    """Store one composed cooperation article (and its source and story)."""
    async with db.write() as uow:
        # sync_one, not sync: sync would disable every source missing from its list
        await uow.sources.sync_one(SourceSpec(source_id, f"Источник {source_id}", f"http://127.0.0.1/{source_id}/"))
        if story_id is None:
            story_id = (await uow.articles.new_story(title)).id
        article = await uow.articles.add(
            NewArticle(
                source_id=source_id,
                url=url or f"http://127.0.0.1/{source_id}/{abs(hash((title, summary)))}",
                title=title,
                body=summary,
                summary=summary,
                published_at=published_at or utcnow() - timedelta(minutes=5),
                is_cooperation=bool(parties),
                event_type="agreement" if parties else None,
                parties=parties,
                topics=topics,
                story_id=story_id,
            )
        )
        await uow.commit()
        return StoredArticle(article.id, story_id, tuple(parties), tuple(topics), source_id)


async def match(db: Database, article: StoredArticle, now: datetime | None = None) -> MatchResult:
    """Run the matcher for a stored article and commit the deliveries it owes."""
    facts = ArticleFacts.build(
        article_id=article.id,
        source_id=article.source_id,
        story_id=article.story_id,
        is_cooperation=bool(article.parties),
        parties=article.parties,
        topics=article.topics,
        story_has_earlier=False,
    )
    async with db.write() as uow:
        result = await match_article(uow, facts, now)
        await uow.commit()
    return result


async def drain(sender: Sender) -> int:
    """Drain until nothing is due; returns how many deliveries were handled."""
    total = 0
    while handled := await sender.drain_once():
        total += handled
    return total


async def statuses(db: Database) -> dict[str, int]:
    async with db.read() as uow:
        return await uow.deliveries.count_by_status()


async def deliveries_of(db: Database, user_id: int) -> list[Delivery]:
    async with db.read() as uow:
        return list(
            await uow.session.scalars(select(Delivery).where(Delivery.user_id == user_id).order_by(Delivery.id))
        )


@pytest.fixture
def db_url(any_engine_db_url: str) -> str:
    """Delivery end to end runs on both engines: SQLite and PostgreSQL (see tests/engines.py)."""
    return any_engine_db_url
