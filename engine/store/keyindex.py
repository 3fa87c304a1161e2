"""The sorted key order that prefix ranges and paging walk.

Keys are kept sorted in chunks (a list of sorted lists, each at most
``2 * _LOAD`` long, plus the largest key of each), as sortedcontainers'
SortedList does: adding or removing a key is a bisect over the chunk maxima
and an insert into one short list, so neither writes nor the first range
after a burst of writes grows with the store (a single sorted list moved
every later key on each insert, and re-sorted after many).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator, Mapping

# Chunks are split in two once they pass twice this many keys.
_LOAD = 512


class KeyIndex:
    """The keys that are live in ``live``, in sorted order."""

    __slots__ = ("_live", "_chunks", "_maxes", "_present")

    def __init__(self, live: Mapping[str, object]) -> None:
        self._live = live
        self._chunks: list[list[str]] = []  # sorted, non-empty, in order
        self._maxes: list[str] = []  # the last key of each chunk
        self._present: set[str] = set()

    def add(self, key: str) -> None:
        """Record a key that just became live (no-op if it is listed)."""
        if key in self._present:
            return
        self._present.add(key)
        chunks, maxes = self._chunks, self._maxes
        if not chunks:
            chunks.append([key])
            maxes.append(key)
            return
        i = bisect_left(maxes, key)
        if i == len(maxes):  # past every key: the end of the last chunk
            i -= 1
            chunk = chunks[i]
            chunk.append(key)
            maxes[i] = key
        else:
            chunk = chunks[i]
            insort(chunk, key)  # below the chunk's largest key, which stays
        if len(chunk) > 2 * _LOAD:
            chunks.insert(i + 1, chunk[_LOAD:])
            del chunk[_LOAD:]
            maxes.insert(i, chunk[-1])

    def discard(self, key: str) -> None:
        """Forget a deleted key (no-op if it is not listed)."""
        if key not in self._present:
            return
        self._present.remove(key)
        chunks, maxes = self._chunks, self._maxes
        i = bisect_left(maxes, key)
        chunk = chunks[i]
        j = bisect_left(chunk, key)
        del chunk[j]
        if not chunk:
            del chunks[i]
            del maxes[i]
        elif j == len(chunk):
            maxes[i] = chunk[-1]

    def chunks_from(self, start: str, *, after: bool = False) -> Iterator[tuple[list[str], int]]:
        """The sorted chunks holding the keys from ``start`` on (strictly after
        it when ``after``), each with the position of its first such key.
        Do not change the index while walking them."""
        find = bisect_right if after else bisect_left
        chunks, maxes = self._chunks, self._maxes
        i = find(maxes, start)
        if i == len(chunks):
            return
        yield chunks[i], find(chunks[i], start)
        for k in range(i + 1, len(chunks)):
            yield chunks[k], 0

    def keys(self) -> list[str]:
        """Every listed key, sorted (a new list)."""
        return [key for chunk in self._chunks for key in chunk]

    def __len__(self) -> int:
        return len(self._present)
