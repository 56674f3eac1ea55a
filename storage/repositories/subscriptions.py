"""Subscriptions: what each user follows, and indexed look-ups for matching."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MutedSource, Source, Subscription

KINDS = ("region", "pair", "topic", "keyword")


class RuleRow(NamedTuple):
    """The columns matching needs from one subscription."""

    id: int
    user_id: int
    kind: str
    region: str | None
    partner: str | None
    topic: str | None
    keyword: str | None
    mode: str
    thread_id: int | None  # the forum topic the subscription's alerts go to


MODES = ("instant", "digest")


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        user_id: int,
        kind: str,
        *,
        region: str | None = None,
        partner: str | None = None,
        topic: str | None = None,
        keyword: str | None = None,
        label: str = "",
        mode: str = "instant",
        thread_id: int | None = None,
    ) -> tuple[Subscription, bool]:
        """Add a subscription; the same rule twice returns the existing one (created=False).

        `thread_id` is the forum topic of a supergroup where it was asked for: its alerts go there,
        so asking again in another topic moves an existing subscription's alerts to that topic.
        """
        if kind not in KINDS or mode not in MODES:
            raise ValueError(f"bad subscription kind/mode: {kind}/{mode}")
        key = Subscription.make_key(kind, region, partner, topic, keyword)
        existing = await self.session.scalar(
            select(Subscription).where(Subscription.user_id == user_id, Subscription.key == key)
        )
        if existing is not None:
            existing.thread_id = thread_id
            return existing, False
        sub = Subscription(
            user_id=user_id,
            kind=kind,
            region=region,
            partner=partner,
            topic=topic,
            keyword=keyword,
            keyword_key=keyword.split()[0][:100] if keyword and keyword.split() else None,
            label=label[:300],
            mode=mode,
            key=key,
            thread_id=thread_id,
        )
        self.session.add(sub)
        await self.session.flush()
        return sub, True

    async def for_user(self, user_id: int) -> list[Subscription]:
        rows = await self.session.scalars(
            select(Subscription).where(Subscription.user_id == user_id).order_by(Subscription.id)
        )
        return list(rows)

    async def owned(self, user_id: int, subscription_id: int) -> Subscription | None:
        """The subscription only if it belongs to this user (callback data can be forged)."""
        return await self.session.scalar(
            select(Subscription).where(Subscription.id == subscription_id, Subscription.user_id == user_id)
        )

    async def remove(self, user_id: int, subscription_id: int) -> bool:
        result = await self.session.execute(
            delete(Subscription).where(Subscription.id == subscription_id, Subscription.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def set_mode(self, user_id: int, subscription_id: int, mode: str) -> Subscription | None:
        if mode not in MODES:
            raise ValueError(f"bad mode {mode}")
        sub = await self.owned(user_id, subscription_id)
        if sub is not None:
            sub.mode = mode
        return sub

    async def get_many(self, subscription_ids: Iterable[int]) -> list[Subscription]:
        ids = set(subscription_ids)
        return list(await self.session.scalars(select(Subscription).where(Subscription.id.in_(ids)))) if ids else []

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count(Subscription.id))) or 0)

    async def candidates(
        self, codes: Iterable[str], topics: Iterable[str], words: Iterable[str]
    ) -> list[RuleRow]:
        """Subscriptions that may match an article, found through the indexed columns only.

        Returns plain rows (no ORM identity map): matching reads thousands of them per article.
        The caller (alerts) applies the exact rules; this only narrows 100k rows to a handful.
        """
        codes, topics, keywords = list(set(codes)), list(set(topics)), list(set(words))
        conditions: list[ColumnElement[bool]] = []
        if codes:
            conditions.append(Subscription.region.in_(codes))
        if topics:
            conditions.append((Subscription.kind == "topic") & Subscription.topic.in_(topics))
        if keywords:
            conditions.append(Subscription.keyword_key.in_(keywords))
        if not conditions:
            return []
        columns = [getattr(Subscription, name) for name in RuleRow._fields]
        rows = await self.session.execute(select(*columns).where(or_(*conditions)))
        return [RuleRow(*row) for row in rows]

    # --- muted sources ---------------------------------------------------------------------
    async def mute_source(self, user_id: int, source_id: str) -> None:
        if await self.session.get(MutedSource, (user_id, source_id)) is None:
            self.session.add(MutedSource(user_id=user_id, source_id=source_id))

    async def unmute_source(self, user_id: int, source_id: str) -> None:
        await self.session.execute(
            delete(MutedSource).where(MutedSource.user_id == user_id, MutedSource.source_id == source_id)
        )

    async def muted_sources(self, user_id: int) -> list[tuple[str, str]]:
        """(source id, source name) of every source this user muted, by name."""
        rows = await self.session.execute(
            select(Source.id, Source.name)
            .join(MutedSource, MutedSource.source_id == Source.id)
            .where(MutedSource.user_id == user_id)
            .order_by(Source.name)
        )
        return [(source_id, name) for source_id, name in rows]

    async def users_muting(self, source_id: str, user_ids: Iterable[int]) -> set[int]:
        ids = list(user_ids)
        if not ids:
            return set()
        rows = await self.session.scalars(
            select(MutedSource.user_id).where(MutedSource.source_id == source_id, MutedSource.user_id.in_(ids))
        )
        return set(rows)
