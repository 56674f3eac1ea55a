"""Match a new article to subscriptions and write the owed deliveries in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from alerts.quiet import quiet_until
from alerts.rules import ArticleFacts, rule_matches
from storage.clock import utcnow
from storage.repositories.deliveries import Owed
from storage.uow import UnitOfWork


@dataclass
class MatchResult:
    instant: list[int] = field(default_factory=list)
    digest: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.instant) + len(self.digest) + len(self.held)


async def match_article(uow: UnitOfWork, facts: ArticleFacts, now: datetime | None = None) -> MatchResult:
    """Find who should hear of this article and enqueue it for them; the caller commits.

    Candidates come from indexed columns (place codes, topics, first keyword lemmas), so cost follows the
    number of plausible subscriptions, not the number of subscriptions.
    """
    now = now or utcnow()
    candidates = await uow.subscriptions.candidates(
        facts.place_codes(), facts.topics if facts.is_cooperation else (), facts.words()
    )
    best: dict[int, tuple[str, int, int | None]] = {}  # user -> (mode, subscription, thread); instant beats digest
    for sub in candidates:
        if not rule_matches(sub, facts):
            continue
        current = best.get(sub.user_id)
        if current is None or (current[0] == "digest" and sub.mode == "instant"):
            best[sub.user_id] = (sub.mode, sub.id, sub.thread_id)
    if not best:
        return MatchResult()
    user_ids = list(best)
    seen_story = (
        await uow.deliveries.users_with_story(facts.story_id, user_ids)
        if facts.story_id is not None and facts.story_has_earlier
        else set()
    )
    users = {u.id: u for u in await uow.users.reachable(user_ids, not_muting=facts.source_id)}
    result = MatchResult()
    owed_now: list[Owed] = []
    held: dict[datetime, list[Owed]] = {}
    for user_id, (mode, sub_id, thread_id) in best.items():
        user = users.get(user_id)
        if user is None or user_id in seen_story:
            continue
        if not user.instant_enabled:
            mode = "digest"
        owed = Owed(user_id, facts.article_id, facts.story_id, sub_id, mode, thread_id)
        release = quiet_until(now, user.timezone, user.quiet_start, user.quiet_end) if mode == "instant" else None
        if release is not None:
            held.setdefault(release, []).append(owed)
            result.held.append(user_id)
        else:
            owed_now.append(owed)
            (result.instant if mode == "instant" else result.digest).append(user_id)
    await uow.deliveries.enqueue(owed_now)
    for release, group in held.items():
        await uow.deliveries.enqueue(group, not_before=release)
    return result
