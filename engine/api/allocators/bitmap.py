"""An offset allocator over a contiguous range with a static and a dynamic band.

Upstream: ``pkg/registry/core/service/allocator/bitmap.go`` with the
``AllocateNextWithOffset`` strategy (KEP-3070 / KEP-3668): dynamic
allocations prefer the upper band so the lower one stays free for
user-requested values; when the upper band is full the lower one is used.

Picks are random but deterministic: the random source is seeded by the
caller (the API server derives it from the object's seeded uid).
"""

from __future__ import annotations

import random


class AllocationError(Exception):
    """Why an allocation failed, in upstream's words."""


ERR_ALLOCATED = "provided {what} is already allocated"
ERR_FULL = "range is full"


class RangeAllocator:
    """Offsets ``0..size-1``; offsets below ``static`` form the static band."""

    def __init__(self, size: int, static: int, what: str) -> None:
        self.size = size
        self.static = static
        self.what = what
        self.used: set[int] = set()

    def allocate(self, offset: int) -> None:
        """``Allocate``: reserve a requested offset."""
        if offset in self.used:
            raise AllocationError(ERR_ALLOCATED.format(what=self.what))
        self.used.add(offset)

    def allocate_next(self, rng: random.Random) -> int:
        """``AllocateNext``: a free offset, upper band first."""
        for low, high in ((self.static, self.size), (0, self.static)):
            found = self._pick(rng, low, high)
            if found is not None:
                self.used.add(found)
                return found
        raise AllocationError(ERR_FULL)

    def peek_next(self, rng: random.Random) -> int:
        """What ``allocate_next`` would return, without reserving (dry run)."""
        found = self.allocate_next(rng)
        self.used.discard(found)
        return found

    def _pick(self, rng: random.Random, low: int, high: int) -> int | None:
        if high <= low:
            return None
        start = rng.randrange(low, high)
        span = high - low
        for step in range(span):
            offset = low + (start - low + step) % span
            if offset not in self.used:
                return offset
        return None

    def release(self, offset: int) -> None:
        self.used.discard(offset)

    def has(self, offset: int) -> bool:
        return offset in self.used

    def free(self) -> int:
        return self.size - len(self.used)
