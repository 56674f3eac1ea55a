"""The delivery outbox: rows written with the match, drained by the sender."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.clock import utcnow
from storage.models import Delivery, DigestSent
from storage.repositories._upsert import insert_ignore


@dataclass(frozen=True)
class Owed:
    """One delivery to write: who, which article, why."""

    user_id: int
    article_id: int
    story_id: int | None
    subscription_id: int | None
    mode: str
    thread_id: int | None = None  # the forum topic of the subscription, if any


class DigestRow(NamedTuple):
    delivery_id: int
    article_id: int | None
    story_id: int | None
    subscription_id: int | None


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, owed: list[Owed], not_before: datetime | None = None) -> int:
        """Insert deliveries; (user, article) pairs that exist already are left alone."""
        if not owed:
            return 0
        rows = [
            {
                "user_id": o.user_id,
                "article_id": o.article_id,
                "story_id": o.story_id,
                "subscription_id": o.subscription_id,
                "kind": "alert",
                "mode": o.mode,
                "thread_id": o.thread_id,
                "status": "pending" if o.mode == "instant" else "digest",
                "attempts": 0,
                "created_at": utcnow(),
                "not_before": not_before,
            }
            for o in owed
        ]
        result = await self.session.execute(insert_ignore(self.session, Delivery.__table__), rows)
        return int(getattr(result, "rowcount", 0) or 0)

    async def enqueue_notice(self, user_id: int, text: str) -> None:
        self.session.add(
            Delivery(user_id=user_id, kind="notice", mode="instant", status="pending", payload=text, attempts=0)
        )

    async def users_with_story(self, story_id: int, user_ids: list[int]) -> set[int]:
        """Users already owed an article of this story: a second source must not alert them again."""
        if not user_ids:
            return set()
        rows = await self.session.scalars(
            select(Delivery.user_id).where(Delivery.story_id == story_id, Delivery.user_id.in_(user_ids))
        )
        return set(rows)

    async def due(self, limit: int, now: datetime | None = None) -> list[Delivery]:
        """Pending instant deliveries whose time has come, oldest first."""
        now = now or utcnow()
        query = (
            select(Delivery)
            .where(
                Delivery.status == "pending",
                (Delivery.not_before.is_(None)) | (Delivery.not_before <= now),
            )
            .order_by(Delivery.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def claim_due(
        self, limit: int, holder: str, until: datetime, *, per_chat: int, now: datetime | None = None
    ) -> list[Delivery]:
        """PostgreSQL: take due rows for this sender alone (`FOR UPDATE SKIP LOCKED`), at most `per_chat` a chat.

        Claimed rows turn `sending` until `until`; one whose sender died before recording it is due
        again after that (at-least-once, as on SQLite after a restart). Chats whose rows another live
        sender holds are left to it, so one chat's messages keep their order and its 1 msg/s.
        """
        now = now or utcnow()
        held = Delivery.__table__.alias("held")
        busy_chat = (
            select(held.c.id)
            .where(held.c.user_id == Delivery.user_id, held.c.status == "sending", held.c.claimed_until > now)
            .exists()
        )
        query = (
            select(Delivery)
            .where(
                or_(
                    and_(Delivery.status == "pending", or_(Delivery.not_before.is_(None), Delivery.not_before <= now)),
                    and_(Delivery.status == "sending", Delivery.claimed_until <= now),
                ),
                ~busy_chat,
            )
            .order_by(Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        taken: list[Delivery] = []
        per_user: dict[int, int] = {}
        for delivery in await self.session.scalars(query):
            if per_user.get(delivery.user_id, 0) < per_chat:
                per_user[delivery.user_id] = per_user.get(delivery.user_id, 0) + 1
                taken.append(delivery)
        if taken:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_([d.id for d in taken]))
                .values(status="sending", claimed_by=holder, claimed_until=until)
                .execution_options(synchronize_session=False)
            )
            for delivery in taken:  # as stored, without a second UPDATE of each row at commit
                set_committed_value(delivery, "status", "sending")
                set_committed_value(delivery, "claimed_by", holder)
                set_committed_value(delivery, "claimed_until", until)
        return taken

    async def claim_holders(self) -> set[str]:
        """Senders that hold claimed rows right now."""
        rows = await self.session.scalars(
            select(Delivery.claimed_by).where(Delivery.status == "sending", Delivery.claimed_by.is_not(None)).distinct()
        )
        return {holder for holder in rows if holder}

    async def release_claims(self, holder: str) -> int:
        """A sender that stops hands back the rows it claimed but did not finish."""
        result = await self.session.execute(
            update(Delivery)
            .where(Delivery.status == "sending", Delivery.claimed_by == holder)
            .values(status="pending", claimed_by=None, claimed_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def mark(self, delivery_id: int, status: str, error: str | None = None) -> None:
        # claimed_by stays: which sender recorded the outcome
        values: dict[str, object] = {"status": status, "attempts": Delivery.attempts + 1, "claimed_until": None}
        if status == "sent":
            values["sent_at"] = utcnow()
        if error is not None:
            values["last_error"] = error[:1000]
        await self.session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))

    async def postpone(self, delivery_id: int, until: datetime, error: str | None = None) -> None:
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(not_before=until, attempts=Delivery.attempts + 1, last_error=error, status="pending",
                    claimed_by=None, claimed_until=None)
        )

    async def defer(self, delivery_ids: list[int], until: datetime) -> None:
        """Not before `until`, without counting an attempt: the chat's rate window is full, nothing failed."""
        if delivery_ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(delivery_ids))
                .values(not_before=until, status="pending", claimed_by=None, claimed_until=None)
            )

    async def next_due_at(self, now: datetime | None = None) -> datetime | None:
        """When the earliest pending delivery that waits for a later time becomes due (None: none waits)."""
        now = now or utcnow()
        return await self.session.scalar(
            select(func.min(Delivery.not_before)).where(Delivery.status == "pending", Delivery.not_before > now)
        )

    async def count_by_status(self) -> dict[str, int]:
        rows = await self.session.execute(select(Delivery.status, func.count(Delivery.id)).group_by(Delivery.status))
        return {status: int(n) for status, n in rows}

    # --- digests ----------------------------------------------------------------------------
    async def digest_claims(self, user_ids: Iterable[int]) -> set[tuple[int, date]]:
        """(user, local day) pairs whose digest was already claimed."""
        ids = set(user_ids)
        if not ids:
            return set()
        rows = await self.session.execute(
            select(DigestSent.user_id, DigestSent.digest_date).where(DigestSent.user_id.in_(ids))
        )
        return {(user_id, day) for user_id, day in rows}

    async def digest_items(self, user_id: int, since: datetime, now: datetime) -> list[DigestRow]:
        """A user's alert deliveries since `since` that wait for the digest: digest-only, or instant held back."""
        held_or_digest = or_(
            Delivery.status == "digest",
            and_(Delivery.status == "pending", Delivery.not_before.is_not(None), Delivery.not_before > now),
        )
        rows = await self.session.execute(
            select(Delivery.id, Delivery.article_id, Delivery.story_id, Delivery.subscription_id)
            .where(Delivery.user_id == user_id, Delivery.kind == "alert", Delivery.created_at >= since)
            .where(held_or_digest)
            .order_by(Delivery.id)
        )
        return [DigestRow(*row) for row in rows]

    async def mark_digested(self, delivery_ids: list[int], at: datetime | None) -> None:
        """Items went out in a digest (`at`), or, with None, back to waiting for the next one."""
        if delivery_ids:
            status = "digested" if at is not None else "digest"
            await self.session.execute(
                update(Delivery).where(Delivery.id.in_(delivery_ids)).values(status=status, digested_at=at)
            )

    async def release_digest(self, user_id: int, day: object) -> None:
        """Undo a digest claim whose sending failed, so the next minute tries again."""
        await self.session.execute(
            delete(DigestSent).where(DigestSent.user_id == user_id, DigestSent.digest_date == day)
        )

    async def digest_sent(self, user_id: int, day: object) -> bool:
        return await self.session.get(DigestSent, (user_id, day)) is not None

    async def record_digest(self, user_id: int, day: object, item_count: int) -> bool:
        """Claim the digest for (user, day); False when it was already claimed."""
        result = await self.session.execute(
            insert_ignore(self.session, DigestSent.__table__),
            [{"user_id": user_id, "digest_date": day, "sent_at": utcnow(), "item_count": item_count}],
        )
        return bool(getattr(result, "rowcount", 0))
