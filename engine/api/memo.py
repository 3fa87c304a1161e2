"""Bounded memo tables for the API server's pure functions.

The write path memoises results that depend only on immutable inputs (canonical
JSON bytes of a subtree, interned strings, frozen sets) so that the same
pod template, managed-fields entry or timestamp is worked out once. Every table
is an LRU of fixed size: the least recently used entry goes when it is full.
Values handed out must be immutable or copied by the caller.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

_MISS: Any = object()

# The largest JSON (in bytes) the per-template tables key on: pod specs and
# templates are a few KiB; a rare huge object (a CRD's schema) is just worked
# out, so a table of a thousand entries stays a few MiB.
MAX_KEY_BYTES = 16 * 1024


def _compact(item: Any) -> Any:
    """Bytes (alone or in a tuple) in allocations of their own size: orjson's
    output keeps its whole growth buffer, 4-16 KiB, behind a few hundred
    bytes (``meta.compact``); a table keeps its entries long. Puts are
    misses, so the copy is paid once per entry."""
    if type(item) is bytes:
        return b"".join((item, b""))
    if type(item) is tuple and any(type(part) is bytes for part in item):
        return tuple(b"".join((part, b"")) if type(part) is bytes else part for part in item)
    return item


class LRU:
    """A least-recently-used map of at most ``size`` entries.

    ``get`` refreshes an entry's place; ``put`` evicts the oldest entry when
    full. Not thread-safe: the API server runs on one thread.
    """

    __slots__ = ("_data", "size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        # OrderedDict: moving and evicting at either end are O(1) in C, where a
        # plain dict would scan the holes evictions leave at its front.
        self._data: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, default: Any = None) -> Any:
        data = self._data
        value = data.get(key, _MISS)
        if value is _MISS:
            return default
        data.move_to_end(key)  # most recently used goes last
        return value

    def put(self, key: Any, value: Any) -> None:
        data = self._data
        data[_compact(key)] = _compact(value)
        data.move_to_end(key)
        if len(data) > self.size:
            data.popitem(last=False)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Any) -> bool:
        return key in self._data
