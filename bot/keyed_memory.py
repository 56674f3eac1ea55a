"""A bounded per-user memory behind short button keys (callback data is at most 64 bytes).

Searches to page through, removals to undo and keywords awaiting confirmation are kept here in
memory; after a restart old buttons find nothing and say so politely.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class KeyedMemory(Generic[T]):
    """An LRU of (user, value) by a growing integer key; a key only opens for the user it was made for."""

    def __init__(self, capacity: int) -> None:
        self._items: OrderedDict[int, tuple[int, T]] = OrderedDict()
        self._keys = itertools.count(1)
        self._capacity = capacity

    def remember(self, user_id: int, value: T) -> int:
        key = next(self._keys)
        self._items[key] = (user_id, value)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def recall(self, user_id: int, key: int) -> T | None:
        """The value behind `key`, only for its user (keys can be forged); it stays for later taps."""
        item = self._items.get(key)
        if item is None or item[0] != user_id:
            return None
        self._items.move_to_end(key)
        return item[1]

    def take(self, user_id: int, key: int) -> T | None:
        """Like recall, but once: the key is spent."""
        value = self.recall(user_id, key)
        if value is not None:
            del self._items[key]
        return value
