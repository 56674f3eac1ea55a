"""The event as a reader names it: a memorandum is not an agreement, an exhibition is not a forum.

The detector's event types are coarse on purpose (they are what the labels and the evaluation
use); a card says more when the headline or lead names the document or the format. Pure text rules.
"""

from __future__ import annotations

import re

# refinements of a detector event type, by words in the headline or lead (ru, en, kk stems)
_REFINE: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "agreement": [
        ("memorandum", re.compile(r"меморандум|memorandum|MoU\b", re.IGNORECASE)),
        ("roadmap", re.compile(r"дорожн\w* карт|road ?map|жол картас", re.IGNORECASE)),
    ],
    "forum": [
        ("exhibition", re.compile(r"выставк|экспозици|ярмарк|exhibition|expo\b|fair\b|көрме", re.IGNORECASE)),
    ],
    "meeting": [
        ("talks", re.compile(r"переговор|talks\b|келіссөз", re.IGNORECASE)),
    ],
    "visit": [
        ("talks", re.compile(r"переговор|talks\b|келіссөз", re.IGNORECASE)),
    ],
}
EVENT_KINDS = ("agreement", "memorandum", "roadmap", "visit", "meeting", "talks", "forum", "exhibition", "trade",
               "other")


def event_kind(event: str | None, *texts: str) -> str:
    """The detector's `event` refined by what the headline and lead say ("memorandum", "exhibition", "talks")."""
    base = event if event in EVENT_KINDS else "other"
    joined = " ".join(texts)
    for kind, pattern in _REFINE.get(base, []):
        if pattern.search(joined):
            return kind
    return base
