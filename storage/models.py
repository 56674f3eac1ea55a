"""SQLAlchemy models: the tables Coopnews keeps. Portable between SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.clock import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite has no time zones, so we put UTC back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Source(Base):
    """A polled site or feed, with its health."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(10), default="html")
    lang: Mapped[str] = mapped_column(String(5), default="ru")
    home_region: Mapped[str | None] = mapped_column(String(10))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    baseline_done: Mapped[bool] = mapped_column(Boolean, default=False)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    items_found_total: Mapped[int] = mapped_column(Integer, default=0)
    items_found_last: Mapped[int] = mapped_column(Integer, default=0)
    is_down: Mapped[bool] = mapped_column(Boolean, default=False)
    down_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How to poll it (0008): the file's sources are re-seeded at every start; added ones live only here.
    feed_url: Mapped[str | None] = mapped_column(String(1000))  # set: the feed is polled, not `url`
    parser: Mapped[str] = mapped_column(String(40), default="generic", server_default="generic")
    interval: Mapped[int] = mapped_column(Integer, default=600, server_default="600")
    timezone: Mapped[str | None] = mapped_column(String(64))
    selectors: Mapped[dict[str, str] | None] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(10), default="file", server_default="file")  # file|bot|cli
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # an admin's removal: never re-seeded
    added_by: Mapped[int | None] = mapped_column(BigInteger)  # the admin's Telegram id (bot) or None
    added_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HttpValidator(Base):
    """ETag / Last-Modified remembered per URL for conditional GET."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Story(Base):
    """Articles from several sources about one event."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    article_count: Mapped[int] = mapped_column(Integer, default=1)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="ru")
    image_url: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    is_cooperation: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    event_type: Mapped[str | None] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    signature: Mapped[list[int] | None] = mapped_column(JSON)

    regions: Mapped[list[ArticleRegion]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    topics: Mapped[list[ArticleTopic]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin", order_by="ArticleTopic.rank"
    )
    parties: Mapped[list[ArticleParty]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def shown_at(self) -> datetime:
        """The time a reader cares about: publication if known, else when we found it."""
        return self.published_at or self.fetched_at


class ArticleRegion(Base):
    """A place named in an article; `is_party` marks the cooperating sides."""

    __tablename__ = "article_regions"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)
    is_party: Mapped[bool] = mapped_column(Boolean, default=False)


class ArticleTopic(Base):
    __tablename__ = "article_topics"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    rank: Mapped[int] = mapped_column(SmallInteger, default=0)


class ArticleParty(Base):
    """One cooperating pair: the Russian side and its partner (region or country)."""

    __tablename__ = "article_parties"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    ru_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    partner_code: Mapped[str] = mapped_column(String(10), primary_key=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # issue 16: a group, supergroup or channel subscribes like a person; its row's id is the (negative) chat id
    chat_type: Mapped[str] = mapped_column(String(12), default="private", server_default="private")
    first_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="ru")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=9)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    instant_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    no_news_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_start: Mapped[int | None] = mapped_column(SmallInteger)
    quiet_end: Mapped[int | None] = mapped_column(SmallInteger)
    # issue 16: opt-ins for the Monday summary (chart + counts) and for surge alerts
    weekly_summary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    surge_alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Subscription(Base):
    """What a user follows. `kind` says which of region/partner/topic/keyword carry the rule.

    region: region or country code; pair: region + partner; topic: topic; keyword: keyword lemma.
    A region or pair subscription may also carry a topic, meaning "this place AND this topic".
    """

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(10), index=True)
    partner: Mapped[str | None] = mapped_column(String(10), index=True)
    topic: Mapped[str | None] = mapped_column(String(32), index=True)
    keyword: Mapped[str | None] = mapped_column(String(200), index=True)
    # first lemma of `keyword`: matching finds keyword rules by the article's words through this index
    keyword_key: Mapped[str | None] = mapped_column(String(100), index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    mode: Mapped[str] = mapped_column(String(10), default="instant")
    key: Mapped[str] = mapped_column(String(300))
    # the forum topic where /subscribe was given: that subscription's alerts go there
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @staticmethod
    def make_key(
        kind: str, region: str | None, partner: str | None, topic: str | None, keyword: str | None
    ) -> str:
        return "|".join([kind, region or "", partner or "", topic or "", keyword or ""])


class MutedSource(Base):
    __tablename__ = "muted_sources"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)


class Delivery(Base):
    """One message owed to one user: an article alert or an admin notice. The outbox."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "article_id"),
        Index("ix_deliveries_status_due", "status", "not_before", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="alert")  # alert | notice
    mode: Mapped[str] = mapped_column(String(10), default="instant")  # instant | digest
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sending|sent|failed|dropped
    payload: Mapped[str | None] = mapped_column(Text)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)  # forum topic, copied from the subscription
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # PostgreSQL senders claim rows ("sending") for a while; an unfinished claim falls back to pending
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DigestSent(Base):
    """A digest went out for this user and local day: never twice."""

    __tablename__ = "digests_sent"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    digest_date: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    item_count: Mapped[int] = mapped_column(Integer, default=0)


class InstanceLock(Base):
    """A heartbeat row that keeps a second `coopnews run` off the same database."""

    __tablename__ = "instance_lock"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceLease(Base):
    """Which process may poll a source until when: one poller per source across processes (PostgreSQL)."""

    __tablename__ = "source_leases"

    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateSlot(Base):
    """A rate shared by processes: its latest grants (epoch seconds on the database clock), newest last."""

    __tablename__ = "rate_slots"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_at: Mapped[float] = mapped_column(Float)
    recent: Mapped[list[float]] = mapped_column(ARRAY(Float).with_variant(JSON(), "sqlite"))


class Surge(Base):
    """A day on which news about one partner (country or region pair) spiked: recorded once per key and day."""

    __tablename__ = "surges"
    __table_args__ = (UniqueConstraint("key", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32))  # "KZ" (a partner country) or "RU-VLG|KZ-75" (a pair)
    day: Mapped[date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer)
    usual: Mapped[float] = mapped_column(Float)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummarySent(Base):
    """The weekly summary went out for this user and week (its Monday): never twice."""

    __tablename__ = "summaries_sent"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
