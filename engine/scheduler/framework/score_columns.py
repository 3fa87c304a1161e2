"""Compact score entries kept per position of the scheduler cache's node list.

Part of the score phase's compact path (``scoring.py``): for each score key,
a column holds one byte per position of the cache's node list, a code
standing for the entry id the node at that position had when it was last
scored. A node's slot is cleared when the cache logs a change of it, so a
cycle whose nodes are a window of the list (:meth:`Cache.window_runs`)
slices the window's codes, counts them and finds tied nodes in C, and scores
again only the nodes that changed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from engine.scheduler.framework.node_info import NodeInfo


class Column:
    """A key's entries per position of the cache's node list, as one byte each:
    a code of the column (0: not known; those positions also in ``unknown``)
    standing for an entry id (``entry_of``), brought up to date from the
    cache's change log. Bytes are counted and sliced in C."""

    __slots__ = ("listed", "log", "seen", "ids", "unknown", "small", "entry_of", "code_of")

    def __init__(self, listed: list[NodeInfo], log: list[int]) -> None:
        self.listed = listed
        self.log = log
        self.seen = 0
        self.ids = bytearray(len(listed))
        self.unknown: set[int] = set(range(len(listed)))
        self.small = False  # whether ``unknown`` was made small (see window)
        self.entry_of: list[int] = [0]  # code -> entry id (code 0: unknown)
        self.code_of: dict[int, int] = {}

    def code(self, entry: int) -> int | None:
        """The column's code for ``entry`` (None: all 255 codes taken)."""
        found = self.code_of.get(entry)
        if found is None:
            if len(self.entry_of) > MAX_CODES:
                return None
            found = self.code_of[entry] = len(self.entry_of)
            self.entry_of.append(entry)
        return found

    def sync(self) -> None:
        """Clear the slots of the nodes logged as changed since the last call."""
        log = self.log
        if self.seen < len(log):
            slots, unknown = self.ids, self.unknown
            for i in log[self.seen:]:
                slots[i] = 0
                unknown.add(i)
            self.seen = len(log)

    def window(self, runs: list[tuple[int, int]]) -> tuple[bytearray, list[int]]:
        """The codes of the window made of ``runs``, and the window positions whose
        code is not known (found from ``unknown`` when it is small)."""
        slots = self.ids
        if len(runs) == 1:
            first, length = runs[0]
            ids = slots[first:first + length]
        else:
            ids = bytearray()
            for first, length in runs:
                ids += slots[first:first + length]
        unknown = self.unknown
        if not unknown:
            return ids, []
        if len(unknown) > 16:
            return ids, zeros(ids)
        if not self.small:
            # A set keeps the table it grew to (every position, when the column was
            # made): iterating it would scan that table. A copy is sized to fit.
            self.unknown = unknown = set(unknown)
            self.small = True
        at: list[int] = []
        offset = 0
        for first, length in runs:
            end = first + length
            at.extend(offset + p - first for p in unknown if first <= p < end)
            offset += length
        at.sort()
        return ids, at

    def known(self, position: int, code: int) -> None:
        """Record the code found for the node at ``position`` of the list."""
        self.ids[position] = code
        self.unknown.discard(position)

    def present(self, ids: bytearray) -> dict[int, int]:
        """The codes in ``ids`` and how many nodes have each, counted in C, newest
        code first, until every node is accounted for."""
        return count_each(ids, range(len(self.entry_of) - 1, 0, -1))


_COLUMNS: OrderedDict[int, Column] = OrderedDict()
MAX_COLUMNS = 8
MAX_CODES = 255  # codes of a column (one byte each, 0 meaning unknown)


def count_each(ids: Any, values: Iterable[int]) -> dict[int, int]:
    """How many of ``ids`` hold each of ``values`` (the likeliest first), each
    counted in C, until every id is accounted for; values not found are left out."""
    out: dict[int, int] = {}
    left = len(ids)
    for value in values:
        n = ids.count(value)
        if n:
            out[value] = n
            left -= n
            if not left:
                break
    return out


def forget(key: int) -> None:
    """Drop the key's column (its codes ran out): the next cycle makes a new one."""
    _COLUMNS.pop(key, None)


def column_for(cache: Any, key: int, nodes: list[NodeInfo]
            ) -> tuple[bytearray, Column, list[int]] | None:
    """The codes of ``nodes`` sliced from the key's column, the column, and the
    positions in ``nodes`` whose code is not known (0: a node changed since
    it was entered); None when ``nodes`` are not runs of the cache's list
    (:meth:`Cache.window_runs`). The column reads no node: a node's slot is
    cleared when the cache logs a change of it."""
    runs = cache.window_runs(nodes)
    if runs is None:
        return None
    listed, log = cache.list(), cache.changes
    col = _COLUMNS.get(key)
    if col is None or col.listed is not listed or col.log is not log:
        col = _COLUMNS[key] = Column(listed, log)
        if len(_COLUMNS) > MAX_COLUMNS:
            _COLUMNS.popitem(last=False)
    else:
        _COLUMNS.move_to_end(key)
    col.sync()
    ids, unknown = col.window(runs)
    return ids, col, unknown


def zeros(ids: Any) -> list[int]:
    """The positions of the 0s in ``ids``, found in C."""
    out = []
    i = _find_zero(ids, 0)
    while i >= 0:
        out.append(i)
        i = _find_zero(ids, i + 1)
    return out


def _find_zero(ids: Any, start: int) -> int:
    try:
        return ids.index(0, start)
    except ValueError:
        return -1
