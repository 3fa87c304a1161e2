"""The sorted key order that prefix ranges and paging walk.

Writes must stay O(1), so the index is lazy: a create appends the key to an
unsorted ``_added`` list and a delete does nothing but count; the next range
folds ``_added`` in and, when deleted keys pile up, filters them out. Readers
skip any listed key that is no longer live, so a stale entry is harmless.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping

# Up to this many new keys are inserted one by one (bisect + memmove); more
# are appended and the list re-sorted, which timsort does as one merge.
_INSORT_MAX = 32


class KeyIndex:
    """Sorted list of keys that are (or recently were) live in ``live``."""

    __slots__ = ("_live", "_sorted", "_added", "_present", "_garbage")

    def __init__(self, live: Mapping[str, object]) -> None:
        self._live = live
        self._sorted: list[str] = []
        self._added: list[str] = []
        self._present: set[str] = set()  # keys in _sorted or _added
        self._garbage = 0

    def add(self, key: str) -> None:
        """Record a key that just became live (no-op if it is still listed)."""
        if key not in self._present:
            self._present.add(key)
            self._added.append(key)

    def discard(self, key: str) -> None:
        """Note a deleted key; it stays listed until the next cleanup."""
        self._garbage += 1

    def keys(self) -> list[str]:
        """The sorted list (may hold dead keys: check liveness while reading)."""
        if self._added:
            self._fold()
        if self._garbage > 64 and self._garbage * 2 > len(self._sorted):
            self._sweep()
        return self._sorted

    def _fold(self) -> None:
        added, self._added = self._added, []
        if len(added) <= _INSORT_MAX:
            for key in added:
                insort(self._sorted, key)
        else:
            self._sorted.extend(added)
            self._sorted.sort()

    def _sweep(self) -> None:
        live = self._live
        self._sorted = [k for k in self._sorted if k in live]
        self._present = set(self._sorted)
        self._garbage = 0
