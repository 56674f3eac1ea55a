"""Daily digests: who is due, and what goes in one (grouped, stories merged). No Telegram here."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from alerts.quiet import zone
from alerts.rules import country_of
from alerts.surges import one_per_partner
from storage.models import Article, Subscription, User
from storage.uow import UnitOfWork

WINDOW = timedelta(hours=24)
OTHER_GROUP = "*"


@dataclass
class DigestItem:
    article: Article
    also_reported_by: list[str] = field(default_factory=list)
    source_name: str = ""
    subscription: Subscription | None = None  # the rule it matched, for the "why" line


@dataclass(frozen=True)
class SurgeHead:
    """A surge the digest opens with: the partner (or pair), the day's count, the usual level."""

    key: str
    day: date
    count: int
    usual: float


@dataclass
class DigestContent:
    user: User
    day: date
    groups: OrderedDict[str, list[DigestItem]]
    delivery_ids: list[int]
    surges: list[SurgeHead] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(items) for items in self.groups.values())

    @property
    def empty(self) -> bool:
        return self.item_count == 0 and not self.surges


def local_digest_day(user: User, now: datetime, grace: timedelta) -> date | None:
    """The local date whose digest is due for this user now, or None.

    Due from the user's digest hour until `grace` after it, so a digest missed while the bot was
    down still goes out on start, but a restart late in the day does not send yesterday's.
    """
    local = now.astimezone(zone(user.timezone))
    scheduled = datetime.combine(local.date(), time(user.digest_hour), tzinfo=local.tzinfo)
    if scheduled <= local <= scheduled + max(grace, timedelta(minutes=1)):
        return local.date()
    return None


async def due_users(uow: UnitOfWork, now: datetime, grace: timedelta) -> list[tuple[User, date]]:
    users = await uow.users.digest_readers()
    due = [(u, day) for u in users if (day := local_digest_day(u, now, grace)) is not None]
    if not due:
        return []
    sent = await uow.deliveries.digest_claims(u.id for u, _ in due)
    return [(u, day) for u, day in due if (u.id, day) not in sent]


def _group_key(article: Article) -> str:
    """Partner country of the first pair ("KZ"), or the catch-all group for keyword matches."""
    if article.is_cooperation and article.parties:
        return country_of(article.parties[0].partner_code)
    return OTHER_GROUP


async def collect(uow: UnitOfWork, user: User, day: date, now: datetime) -> DigestContent:
    """The last 24 h of this user's digest-only items and instant ones still held back."""
    rows = await uow.deliveries.digest_items(user.id, now - WINDOW, now)
    articles = {a.id: a for a in await uow.articles.get_many(r.article_id for r in rows if r.article_id is not None)}
    names = await uow.sources.names()
    sub_ids = {r.subscription_id for r in rows if r.subscription_id is not None}
    subs = {sub.id: sub for sub in await uow.subscriptions.get_many(sub_ids)} if sub_ids else {}
    groups: OrderedDict[str, list[DigestItem]] = OrderedDict()
    by_story: dict[int, DigestItem] = {}
    for _delivery_id, article_id, story_id, sub_id in rows:
        article = articles.get(article_id or 0)
        if article is None:
            continue
        story_item = by_story.get(story_id) if story_id is not None else None
        if story_item is not None:  # the same event from another source: one item, sources listed
            name = names.get(article.source_id, article.source_id)
            if name != story_item.source_name and name not in story_item.also_reported_by:
                story_item.also_reported_by.append(name)
            continue
        item = DigestItem(article, source_name=names.get(article.source_id, article.source_id),
                          subscription=subs.get(sub_id or 0))
        if story_id is not None:
            by_story[story_id] = item
        groups.setdefault(_group_key(article), []).append(item)
    if OTHER_GROUP in groups:  # keyword-only matches go last
        groups.move_to_end(OTHER_GROUP)
    return DigestContent(user, day, groups, [r.delivery_id for r in rows], await surge_heads(uow, user, now))


async def surge_heads(uow: UnitOfWork, user: User, now: datetime) -> list[SurgeHead]:
    """Surges found in the digest's 24 h that the user follows, one per partner country; only for users who
    opted in to surge alerts (the others asked for no surge news, in messages or in the digest)."""
    if not user.surge_alerts:
        return []
    found = await uow.surges.detected_between(now - WINDOW, now)
    if not found:
        return []
    rules = [s for s in await uow.subscriptions.for_user(user.id) if s.kind in ("region", "pair")]
    return [SurgeHead(s.key, s.day, s.count, s.usual) for s in one_per_partner(found, rules)]


async def claim(uow: UnitOfWork, content: DigestContent, now: datetime) -> bool:
    """Record the digest as sent for its day and mark its items; False if it was claimed already."""
    if not await uow.deliveries.record_digest(content.user.id, content.day, content.item_count):
        return False
    await uow.deliveries.mark_digested(content.delivery_ids, now)
    return True
