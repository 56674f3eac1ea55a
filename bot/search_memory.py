"""Recent searches kept in memory so ◀ ▶ buttons carry only a short key."""

from __future__ import annotations

from bot.keyed_memory import KeyedMemory
from bot.query import SearchQuery

MAX_REMEMBERED = 2000


class SearchMemory(KeyedMemory[SearchQuery]):
    """A bounded LRU of (user, query); after a restart old buttons ask to search again."""

    def __init__(self, capacity: int = MAX_REMEMBERED) -> None:
        super().__init__(capacity)
