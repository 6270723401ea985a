"""What the page hands back later (annotated copies, JSON, a report's findings), by opaque id.

Nothing the client sends is ever used as a path: a download is a random id that maps to
bytes held in memory, which expire after a while and are evicted oldest first when the
store grows past its byte budget.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Item:
    value: Any  # bytes for a download, any object for a stored page
    filename: str = ""
    media_type: str = "application/octet-stream"
    size: int = 0
    expires: float = 0.0


class Store:
    def __init__(self, ttl_seconds: float = 2 * 3600, max_bytes: int = 512 * 1024 * 1024,
                 clock=time.monotonic):
        self.ttl, self.max_bytes, self.clock = ttl_seconds, max_bytes, clock
        self._items: OrderedDict[str, Item] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, value: Any, filename: str = "", media_type: str = "application/octet-stream",
            size: int | None = None) -> str:
        """Keep `value` under a new random id; `size` (bytes) counts against the budget, len(value) for bytes."""
        if size is None:
            size = len(value) if isinstance(value, (bytes, bytearray)) else 0
        key = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            while self._items and self._bytes + size > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.size
            self._items[key] = Item(value, filename, media_type, size, self.clock() + self.ttl)
            self._bytes += size
        return key

    def get(self, key: str) -> Item | None:
        with self._lock:
            self._expire()
            return self._items.get(key)

    def _expire(self) -> None:
        now = self.clock()
        for key in [k for k, item in self._items.items() if item.expires <= now]:
            self._bytes -= self._items.pop(key).size
