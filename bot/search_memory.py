"""Recent searches kept in memory so ◀ ▶ buttons carry only a short key."""

from __future__ import annotations

import itertools
from collections import OrderedDict

from bot.query import SearchQuery

MAX_REMEMBERED = 2000


class SearchMemory:
    """A bounded LRU of (user, query); after a restart old buttons ask to search again."""

    def __init__(self, capacity: int = MAX_REMEMBERED) -> None:
        self._items: OrderedDict[int, tuple[int, SearchQuery]] = OrderedDict()
        self._keys = itertools.count(1)
        self._capacity = capacity

    def remember(self, user_id: int, query: SearchQuery) -> int:
        key = next(self._keys)
        self._items[key] = (user_id, query)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def recall(self, user_id: int, key: int) -> SearchQuery | None:
        """The query behind `key`, only for the user who ran it (keys can be forged)."""
        item = self._items.get(key)
        if item is None or item[0] != user_id:
            return None
        self._items.move_to_end(key)
        return item[1]
