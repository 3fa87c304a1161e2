"""The rows of one resource view, kept up to date by watch events.

Events are coalesced by key as they arrive (a pod updated ten times between
two frames is rendered once) and applied in time-boxed slices on the UI
thread, so a flood of events never stalls a frame. Each applied event
renders one row and moves one key in the sorted index; a filtered view is a
second index holding only the matching keys. Big batches (the first list of
100,000 pods) skip the per-row inserts and sort once at the end.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from itertools import compress, repeat
from operator import contains, not_
from typing import Any

from k9py.model.filters import Predicate, Search
from k9py.model.index import SortedIndex, SortKey, SubIndex
from k9py.render.base import Obj, RenderContext, Renderer, Row, key_of

Explode = Callable[[Obj], Iterable[tuple[str, Obj]]]
BULK_MIN = 2000
_INF = math.inf


def default_sort_column(renderer: Renderer) -> int:
    """NAME, or LAST SEEN for events (k9s's defaults)."""
    names = [c.name for c in renderer.columns]
    for wanted in ("LAST SEEN", "NAME"):
        if wanted in names:
            return names.index(wanted)
    return 0


class TableModel:
    """Rows by key, a sorted index of all keys and, when filtered, of the visible ones."""

    def __init__(self, renderer: Renderer, ctx: RenderContext | None = None,
                 explode: Explode | None = None) -> None:
        self.renderer = renderer
        self.columns = renderer.columns
        self.ctx = ctx or RenderContext()
        self.explode = explode
        self.rows: dict[str, Row] = {}
        self.index = SortedIndex()
        self.filtered: SubIndex | None = None
        self.predicate: Predicate | None = None
        self.sort_col = default_sort_column(renderer)
        self.reverse = False
        self.synced = False
        self.changed: set[str] = set()
        self.resized = False
        self._pending: dict[str, tuple[str, Obj]] = {}
        self._children: dict[str, set[str]] = {}
        self._stale = False
        self._last_rebuild = 0.0

    # -- intake ------------------------------------------------------------------
    def feed(self, events: Iterable[Any]) -> None:
        """Queue watch events (``.type``, ``.object``); cheap: one dict write each."""
        pending = self._pending
        for ev in events:
            if ev.type in ("BOOKMARK", "ERROR", "SYNCED"):
                self.synced = self.synced or ev.type == "SYNCED"
                continue
            pending[key_of(ev.object)] = (ev.type, ev.object)

    @property
    def backlog(self) -> int:
        return len(self._pending)

    def process(self, budget: float = 0.02) -> bool:
        """Apply queued events for at most ``budget`` seconds; True if anything changed."""
        if not self._pending:
            return False
        start = time.perf_counter()
        deadline = start + budget
        if len(self._pending) > max(BULK_MIN, len(self.rows) // 4):
            self._stale = True
        pending = self._pending
        done = 0
        while pending:
            key, (kind, obj) = pending.popitem()
            if kind == "DELETED":
                self._delete_parent(key)
            else:
                self._upsert_parent(key, obj)
            done += 1
            if done & 63 == 0 and time.perf_counter() > deadline:
                break
        if self._stale and (not pending or start - self._last_rebuild > 1.0):
            self._rebuild()
        return True

    def rerender(self) -> None:
        """Render every row again (the context changed, e.g. pod counts per node)."""
        for key, row in self.rows.items():
            parent = row.obj.get("pod") if self.explode else row.obj
            self._pending.setdefault(key_of(parent) if self.explode else key,
                                     ("MODIFIED", parent))

    def rerender_keys(self, keys: Iterable[str]) -> None:
        """Render these rows again (their context changed, e.g. a new metrics
        reading), leaving the other rows alone; an exploded model re-renders all."""
        if self.explode:
            self.rerender()
            return
        rows, pending = self.rows, self._pending
        for key in keys:
            row = rows.get(key)
            if row is not None:
                pending.setdefault(key, ("MODIFIED", row.obj))

    def clear(self) -> None:
        self.rows.clear()
        self._children.clear()
        self._pending.clear()
        self.index = SortedIndex()
        self.filtered = self.index.subset((), []) if self.predicate else None
        self.synced = False
        self.resized = True

    # -- rows --------------------------------------------------------------------
    def _upsert_parent(self, key: str, obj: Obj) -> None:
        if self.explode is None:
            self._upsert(key, obj)
            return
        children = dict(self.explode(obj))
        for gone in self._children.get(key, set()) - set(children):
            self._delete(gone)
        self._children[key] = set(children)
        for child_key, child in children.items():
            self._upsert(child_key, child)

    def _delete_parent(self, key: str) -> None:
        if self.explode is None:
            self._delete(key)
            return
        for child in self._children.pop(key, set()):
            self._delete(child)

    def _upsert(self, key: str, obj: Obj) -> None:
        row = self.renderer.row(key, obj, self.ctx)
        row.text  # noqa: B018 - built now, so a filter never builds 100,000 at once
        old = self.rows.get(key)
        if old is None:
            self.resized = True
        self.rows[key] = row
        self.changed.add(key)
        if self._stale:
            return
        filtered = self.filtered
        was_shown = False
        if filtered is not None and old is not None and self.predicate(old):
            filtered.remove(key)  # while its old sort key is still the shared one
            was_shown = True
        sk = self.sort_key(row)
        text = row.text
        self.index.insert(key, sk, text)
        if filtered is not None:
            shown = self.predicate(row)
            if shown:
                filtered.insert(key, sk, text)
            if shown != was_shown:
                self.resized = True

    def _delete(self, key: str) -> None:
        old = self.rows.pop(key, None)
        if old is None:
            return
        self.changed.add(key)
        self.resized = True
        if self.filtered is not None:
            self.filtered.remove(key)
        self.index.remove(key)

    def _text_of(self, key: str) -> str:
        return self.rows[key].text

    def _rebuild(self) -> None:
        self.index.rebuild(((self.sort_key(r), k) for k, r in self.rows.items()), self._text_of)
        if self.predicate is not None:
            self._refilter(self.index)
        self._stale = False
        self._last_rebuild = time.perf_counter()
        self.resized = True

    # -- sorting and filtering ---------------------------------------------------------
    def sort_key(self, row: Row) -> SortKey:
        col = self.columns[self.sort_col]
        value = row.cells[self.sort_col]
        if col.time:
            return (-value if value == value else _INF, row.key)
        if col.num:
            return (_number(value), row.key)
        return (value, row.key)

    def set_sort(self, col: int, reverse: bool = False) -> None:
        changed = col != self.sort_col
        self.sort_col, self.reverse = col, reverse
        if changed:
            visible = set(self.filtered.ids) if self.filtered is not None else None
            self.index.rebuild(((self.sort_key(r), k) for k, r in self.rows.items()),
                               self._text_of)
            if visible is not None:
                mask = [k in visible for k in self.index.ids]
                self.filtered = self.index.subset(compress(self.index.ids, mask),
                                                  list(compress(self.index.texts, mask)))
        self.resized = True

    def set_filter(self, predicate: Predicate | None, narrow: bool = False) -> None:
        """Show only matching rows; ``narrow`` searches only the current matches."""
        self.predicate = predicate
        if predicate is None:
            self.filtered = None
        elif not self._stale:
            base = self.filtered if narrow and self.filtered is not None else self.index
            self._refilter(base)
        self.resized = True

    def _refilter(self, base: SortedIndex | SubIndex) -> None:
        """The matching keys of ``base``, with their texts. A literal or regex
        filter scans ``base``'s aligned texts with C-level ``map``/``compress``
        (a literal as a substring test: 15x a regex search); other predicates
        (fuzzy on keys, faults, owners) test each row."""
        rows, predicate, texts = self.rows, self.predicate, base.texts
        term = getattr(predicate, "term", None)
        if texts is not None and term is not None:
            mask: Any = map(contains, texts, repeat(term))
        elif texts is not None and isinstance(predicate, Search):
            mask = map(predicate.search, texts)
            if predicate.inverse:
                mask = map(not_, mask)
        else:
            ids = [k for k in base.ids if predicate(rows[k])]
            self.filtered = base.subset(ids, [rows[k].text for k in ids])
            return
        mask = list(mask)
        self.filtered = base.subset(compress(base.ids, mask), list(compress(texts, mask)))

    # -- reading ---------------------------------------------------------------------
    @property
    def view(self) -> SortedIndex | SubIndex:
        return self.filtered if self.filtered is not None else self.index

    def __len__(self) -> int:
        return len(self.view)

    def key_at(self, i: int) -> str:
        ids = self.view.ids
        return ids[len(ids) - 1 - i] if self.reverse else ids[i]

    def row_at(self, i: int) -> Row:
        return self.rows[self.key_at(i)]

    def position(self, key: str) -> int | None:
        pos = self.view.position(key)
        if pos is None or not self.reverse:
            return pos
        return len(self.view) - 1 - pos

    def take_changes(self) -> tuple[set[str], bool]:
        changed, resized = self.changed, self.resized
        self.changed, self.resized = set(), False
        return changed, resized


def _number(value: Any) -> tuple[int, float | str]:
    """Numeric cells sort by their leading number; others after, by text."""
    text = str(value)
    digits = ""
    for ch in text:
        if ch.isdigit() or (ch == "." and digits):
            digits += ch
        else:
            break
    try:
        return (0, float(digits))
    except ValueError:
        return (1, text)
