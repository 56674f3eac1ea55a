"""Source leases (PostgreSQL): which process may poll a source, until when, on the database's clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SourceLease


class LeaseRepository:
    """Leases are timed on the server's `now()`, so the hosts' clocks never decide who polls."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take(self, source_id: str, holder: str, ttl: timedelta) -> bool:
        """Take (or renew our own) lease for `ttl`; False while another holder's lease has not expired.

        One statement, INSERT … ON CONFLICT DO UPDATE … WHERE: of two processes racing for one
        source, the second waits on the first's row lock and then sees its unexpired lease.
        """
        insert = postgresql.insert(SourceLease).values(
            source_id=source_id, holder=holder, expires_at=func.now() + ttl
        )
        statement = insert.on_conflict_do_update(
            index_elements=[SourceLease.source_id],
            set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
            where=or_(SourceLease.expires_at <= func.now(), SourceLease.holder == holder),
        ).returning(SourceLease.holder)
        return await self.session.scalar(statement) is not None

    async def keep_for(self, source_id: str, holder: str, ttl: timedelta) -> bool:
        """Move our lease's end to `ttl` from now; False when it is no longer ours."""
        result = await self.session.execute(
            update(SourceLease)
            .where(SourceLease.source_id == source_id, SourceLease.holder == holder)
            .values(expires_at=func.now() + ttl)
        )
        return bool(getattr(result, "rowcount", 0))

    async def drop_holder(self, holder: str) -> int:
        """A process that stops gives its leases up (their cool-down stays: the sources were just polled)."""
        result = await self.session.execute(
            update(SourceLease).where(SourceLease.holder == holder).values(holder="")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def holders(self) -> dict[str, str]:
        """Source → holder of every lease not yet expired (for the operator and the tests)."""
        rows = await self.session.execute(
            select(SourceLease.source_id, SourceLease.holder).where(SourceLease.expires_at > func.now())
        )
        return {source_id: holder for source_id, holder in rows}

    async def forget(self, source_id: str) -> None:
        await self.session.execute(delete(SourceLease).where(SourceLease.source_id == source_id))
