"""A bounded, thread-safe map of values a process keeps between requests, oldest out first.

For values that are a pure function of their key (a rendered card keyed by everything
it shows) or that a caller invalidates itself (``listings.catalogue_version``). One
per app in ``app.extensions``, so two apps in one process never share one.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Kept:
    """Least-recently-used values under ``max_entries`` keys."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``key``, made (and kept) if there is none."""
        value = self.peek(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
