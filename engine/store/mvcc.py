"""The in-memory MVCC state: live keys, event history, revision counters.

Not thread-safe and does no I/O: :class:`engine.store.Store` holds its lock
around every call and logs to the WAL, and recovery replays the WAL through
the same ``make_*``/``apply`` functions, so a replayed store is built by
exactly the code that built the original.

History is a list of :class:`Event` in revision order holding every change
after ``compact_revision``. Because each event keeps its ``prev_kv``, the state
at any retained revision can be rebuilt by walking the history backwards,
which is how reads at a past revision work without a per-key revision index.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from engine.store.errors import CompactedError, FutureRevisionError
from engine.store.keyindex import KeyIndex
from engine.store.model import DELETE, PUT, Event, KeyValue

# An empty store is at revision 1 and its first write gets 2, as in etcd.
INITIAL_REVISION = 1


def _event_revision(event: Event) -> int:
    return event.kv.mod_revision


# Every write builds its key-value and event with this: what a named tuple's
# generated ``__new__`` runs, without that Python-level frame (half the cost).
_new = tuple.__new__


def make_put(key: str, value: bytes, revision: int, prev: KeyValue | None) -> Event:
    """The event for writing ``value`` at ``revision`` over ``prev``."""
    if prev is None:
        return _new(Event, (PUT, _new(KeyValue, (key, value, revision, revision, 1)), None))
    kv = _new(KeyValue, (key, value, prev.create_revision, revision, prev.version + 1))
    return _new(Event, (PUT, kv, prev))


def make_delete(prev: KeyValue, revision: int) -> Event:
    """The event for deleting the live ``prev`` at ``revision``."""
    return _new(Event, (DELETE, _new(KeyValue, (prev.key, b"", 0, revision, 0)), prev))


class MVCC:
    """Live key-values plus the history needed to serve watches and old reads."""

    __slots__ = ("kvs", "index", "history", "revision", "compact_revision")

    def __init__(self, revision: int = INITIAL_REVISION, compact_revision: int = 0) -> None:
        self.kvs: dict[str, KeyValue] = {}
        self.index = KeyIndex(self.kvs)
        self.history: list[Event] = []
        self.revision = revision
        self.compact_revision = compact_revision

    def load(self, kvs: list[KeyValue]) -> None:
        """Fill an empty state from a snapshot's key-values."""
        for kv in kvs:
            self.kvs[kv.key] = kv
            self.index.add(kv.key)

    def apply(self, events: list[Event], revision: int) -> None:
        """Make ``events`` (all at ``revision``) live and append them to history."""
        kvs = self.kvs
        for ev in events:
            key = ev.kv.key
            if ev.type == PUT:
                kvs[key] = ev.kv
                if ev.prev_kv is None:
                    self.index.add(key)
            else:
                del kvs[key]
                self.index.discard(key)
        self.history.extend(events)
        self.revision = revision

    def apply_put(self, event: Event, revision: int) -> None:
        """:meth:`apply` for a revision that is one put (an in-memory
        store's single-key writes), without the walk over a list."""
        kv = event.kv
        self.kvs[kv.key] = kv
        if event.prev_kv is None:
            self.index.add(kv.key)
        self.history.append(event)
        self.revision = revision

    def compact(self, revision: int) -> None:
        """Forget history at or before ``revision`` (live keys are kept)."""
        cut = bisect_right(self.history, revision, key=_event_revision)
        del self.history[:cut]
        self.compact_revision = revision

    def check_revision(self, revision: int) -> None:
        """Raise unless the state at ``revision`` can still be read."""
        if revision < self.compact_revision:
            raise CompactedError(revision, self.compact_revision)
        if revision > self.revision:
            raise FutureRevisionError(revision, self.revision)

    def events_since(self, revision: int) -> list[Event]:
        """A copy of the retained events with revision >= ``revision``."""
        start = bisect_left(self.history, revision, key=_event_revision)
        return self.history[start:]

    def overrides_at(self, revision: int) -> dict[str, KeyValue | None]:
        """For keys changed after ``revision``: their value then (None = absent)."""
        older: dict[str, KeyValue | None] = {}
        for ev in reversed(self.history):
            if ev.kv.mod_revision <= revision:
                break
            older[ev.kv.key] = ev.prev_kv
        return older

    def get_at(self, key: str, revision: int) -> KeyValue | None:
        """The key's value as of ``revision`` (caller checked the revision)."""
        older = self.overrides_at(revision)
        return older[key] if key in older else self.kvs.get(key)

    def range(
        self, prefix: str, start_after: str | None, limit: int
    ) -> tuple[list[KeyValue], bool]:
        """Live keys under ``prefix`` after ``start_after``, at most ``limit``."""
        if start_after is not None and start_after >= prefix:
            chunks = self.index.chunks_from(start_after, after=True)
        else:
            chunks = self.index.chunks_from(prefix)
        kvs = self.kvs
        out: list[KeyValue] = []
        for keys, i in chunks:
            for j in range(i, len(keys)):  # islice would step over the first i keys
                key = keys[j]
                if not key.startswith(prefix):
                    return out, False
                kv = kvs.get(key)
                if kv is None:
                    continue
                if limit and len(out) == limit:
                    return out, True
                out.append(kv)
        return out, False

    def range_at(
        self, prefix: str, start_after: str | None, limit: int, revision: int
    ) -> tuple[list[KeyValue], bool]:
        """Like :meth:`range`, but as the keys stood at a past ``revision``."""
        older = self.overrides_at(revision)
        if not older:
            return self.range(prefix, start_after, limit)
        live, _ = self.range(prefix, start_after, 0)
        merged = {kv.key: kv for kv in live}
        for key, kv in older.items():
            if key.startswith(prefix) and (start_after is None or key > start_after):
                merged[key] = kv
        out = [merged[k] for k in sorted(merged) if merged[k] is not None]
        if limit and len(out) > limit:
            return out[:limit], True
        return out, False

    def count(self, prefix: str) -> int:
        """How many live keys start with ``prefix``."""
        if not prefix:
            return len(self.kvs)
        return len(self.range(prefix, None, 0)[0])
