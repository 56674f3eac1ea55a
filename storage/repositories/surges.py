"""Surges found (once per key and day), who wants to hear of them, and the weekly summaries sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, Subscription, SummarySent, Surge, User


class SurgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keys_of_day(self, day: date) -> set[str]:
        return set(await self.session.scalars(select(Surge.key).where(Surge.day == day)))

    async def record(self, key: str, day: date, count: int, usual: float, detected_at: datetime) -> None:
        self.session.add(Surge(key=key, day=day, count=count, usual=usual, detected_at=detected_at))
        await self.session.flush()

    async def detected_between(self, start: datetime, end: datetime) -> list[Surge]:
        """Surges found after `start` up to `end` included: what a digest covering that window heads with."""
        query = select(Surge).where(Surge.detected_at > start, Surge.detected_at <= end).order_by(Surge.id)
        return list(await self.session.scalars(query))

    async def readers(self) -> list[tuple[User, list[Subscription]]]:
        """Active users who opted in to surge alerts, with their place and pair subscriptions."""
        users = list(
            await self.session.scalars(
                select(User).where(User.active.is_(True), User.surge_alerts.is_(True)).order_by(User.id)
            )
        )
        if not users:
            return []
        subs = await self.session.scalars(
            select(Subscription).where(
                Subscription.user_id.in_([u.id for u in users]), Subscription.kind.in_(("region", "pair"))
            )
        )
        by_user: dict[int, list[Subscription]] = {u.id: [] for u in users}
        for sub in subs:
            by_user[sub.user_id].append(sub)
        return [(u, by_user[u.id]) for u in users if by_user[u.id]]

    def enqueue(self, user_id: int, payload: str, not_before: datetime | None) -> None:
        """A surge message into the outbox (kind "surge"; the sender words it in the reader's language)."""
        self.session.add(
            Delivery(user_id=user_id, kind="surge", mode="instant", status="pending", payload=payload,
                     attempts=0, not_before=not_before)
        )

    # --- weekly summaries ------------------------------------------------------------------
    async def summary_readers(self) -> list[User]:
        query = select(User).where(User.active.is_(True), User.weekly_summary.is_(True)).order_by(User.id)
        return list(await self.session.scalars(query))

    async def summaries_sent(self, week_start: date) -> set[int]:
        return set(await self.session.scalars(select(SummarySent.user_id).where(SummarySent.week_start == week_start)))

    async def claim_summary(self, user_id: int, week_start: date) -> bool:
        if await self.session.get(SummarySent, (user_id, week_start)) is not None:
            return False
        self.session.add(SummarySent(user_id=user_id, week_start=week_start))
        await self.session.flush()
        return True

    async def release_summary(self, user_id: int, week_start: date) -> None:
        await self.session.execute(
            delete(SummarySent).where(SummarySent.user_id == user_id, SummarySent.week_start == week_start)
        )
