"""Users and their settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import utcnow
from storage.models import Delivery, DigestSent, MutedSource, Subscription, SummarySent, User


class Reachable(NamedTuple):
    """What matching needs to know of a user."""

    id: int
    timezone: str
    instant_enabled: bool
    quiet_start: int | None
    quiet_end: int | None


USER_SETTINGS = frozenset(
    {
        "language",
        "timezone",
        "digest_hour",
        "digest_enabled",
        "instant_enabled",
        "no_news_notes",
        "quiet_start",
        "quiet_end",
        "weekly_summary",
        "surge_alerts",
    }
)


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def register(
        self, user_id: int, chat_id: int, first_name: str, language: str, timezone: str
    ) -> tuple[User, bool]:
        """Get or create; a returning user who had blocked the bot becomes active again."""
        user = await self.session.get(User, user_id)
        if user is not None:
            user.chat_id, user.first_name = chat_id, first_name[:200]
            if not user.active:
                user.active, user.deactivated_at = True, None
            return user, False
        user = User(
            id=user_id,
            chat_id=chat_id,
            first_name=first_name[:200],
            language=language,
            timezone=timezone,
            digest_hour=9,
            digest_enabled=True,
            instant_enabled=True,
            no_news_notes=False,
            active=True,
        )
        self.session.add(user)
        await self.session.flush()
        return user, True

    async def register_chat(
        self, chat_id: int, chat_type: str, title: str, language: str, timezone: str
    ) -> tuple[User, bool]:
        """Get or create the subscriber row of a group, supergroup or channel (id = the chat id).

        A chat the bot returns to becomes active again with its subscriptions and settings as they were.
        """
        user, created = await self.register(chat_id, chat_id, title, language, timezone)
        user.chat_type = chat_type[:12]
        await self.session.flush()
        return user, created

    async def migrate_chat(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup with a new id: its row and everything owed to it follow.

        One transaction (the caller's): a new row with the old settings, children repointed, the
        old row deleted. Idempotent: Telegram announces the upgrade in both chats, and the second
        announcement finds no old row. False when there was nothing to move.
        """
        if old_id == new_id:
            return False
        old = await self.session.get(User, old_id)
        if old is None:
            return False
        new = await self.session.get(User, new_id)
        if new is None:
            new = User(id=new_id, created_at=old.created_at)
            self.session.add(new)
        for name in (*USER_SETTINGS, "first_name", "active", "deactivated_at"):
            setattr(new, name, getattr(old, name))
        new.chat_id, new.chat_type = new_id, "supergroup"
        await self.session.flush()
        await self._repoint_children(old_id, new_id)
        await self.session.delete(old)
        await self.session.flush()
        return True

    async def _repoint_children(self, old_id: int, new_id: int) -> None:
        """Move rows that reference the old user id; where the new id already has one, the new one stays."""
        session = self.session
        # subscriptions, deliveries, mutes and claims are unique per user: drop the old duplicates first
        new_keys = select(Subscription.key).where(Subscription.user_id == new_id).scalar_subquery()
        await session.execute(
            delete(Subscription).where(Subscription.user_id == old_id, Subscription.key.in_(new_keys))
        )
        new_articles = (
            select(Delivery.article_id)
            .where(Delivery.user_id == new_id, Delivery.article_id.is_not(None))
            .scalar_subquery()
        )
        await session.execute(
            delete(Delivery).where(Delivery.user_id == old_id, Delivery.article_id.in_(new_articles))
        )
        new_sources = select(MutedSource.source_id).where(MutedSource.user_id == new_id).scalar_subquery()
        await session.execute(
            delete(MutedSource).where(MutedSource.user_id == old_id, MutedSource.source_id.in_(new_sources))
        )
        new_days = select(DigestSent.digest_date).where(DigestSent.user_id == new_id).scalar_subquery()
        await session.execute(
            delete(DigestSent).where(DigestSent.user_id == old_id, DigestSent.digest_date.in_(new_days))
        )
        new_weeks = select(SummarySent.week_start).where(SummarySent.user_id == new_id).scalar_subquery()
        await session.execute(
            delete(SummarySent).where(SummarySent.user_id == old_id, SummarySent.week_start.in_(new_weeks))
        )
        for model in (Subscription, Delivery, MutedSource, DigestSent, SummarySent):
            await session.execute(update(model).where(model.user_id == old_id).values(user_id=new_id))

    async def update_settings(self, user_id: int, **changes: Any) -> User | None:
        unknown = set(changes) - USER_SETTINGS
        if unknown:
            raise ValueError(f"not user settings: {sorted(unknown)}")
        user = await self.session.get(User, user_id)
        if user is not None:
            for name, value in changes.items():
                setattr(user, name, value)
        return user

    async def deactivate(self, user_id: int) -> None:
        """The user blocked the bot (or removed it from a chat): stop sending and drop what was still owed.

        Subscriptions and settings stay, so a return (/start, or the bot added back) resumes them.
        """
        await self.session.execute(
            update(User).where(User.id == user_id).values(active=False, deactivated_at=utcnow())
        )
        await self.session.execute(
            update(Delivery)
            .where(Delivery.user_id == user_id, Delivery.status.in_(("pending", "sending")))
            .values(status="dropped", last_error="user blocked the bot")
        )

    async def reachable(self, user_ids: list[int], *, not_muting: str | None = None) -> list[Reachable]:
        """Active users among `user_ids` (minus those who muted a source), as light rows for matching."""
        if not user_ids:
            return []
        query = select(*(getattr(User, name) for name in Reachable._fields)).where(
            User.id.in_(user_ids), User.active.is_(True)
        )
        if not_muting is not None:
            muted = select(MutedSource.user_id).where(
                MutedSource.user_id == User.id, MutedSource.source_id == not_muting
            )
            query = query.where(~muted.exists())
        return [Reachable(*row) for row in await self.session.execute(query)]

    async def get_many(self, user_ids: Iterable[int]) -> list[User]:
        ids = set(user_ids)
        return list(await self.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []

    async def digest_readers(self) -> list[User]:
        """Active users who take the daily digest, by id."""
        query = select(User).where(User.active.is_(True), User.digest_enabled.is_(True)).order_by(User.id)
        return list(await self.session.scalars(query))

    async def active_users(self) -> list[User]:
        return list(await self.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))

    async def count(self, active_only: bool = True) -> int:
        query = select(func.count(User.id))
        if active_only:
            query = query.where(User.active.is_(True))
        return int(await self.session.scalar(query) or 0)
