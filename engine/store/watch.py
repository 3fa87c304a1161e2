"""Watch registration and in-order event delivery.

Writers put each committed revision's events on ``pending`` while holding the
store lock (only when someone watches), so the queue is in revision order.
After the write is durable the writer drains the queue under the hub's own
lock: delivery is serialized (a watcher never runs concurrently with
itself, and sees revisions in order) without holding the store lock, so
callbacks may read the store. A writer returns only after its own events
were delivered, by itself or by whoever held the hub lock before it.

Watchers are grouped by prefix so one event is matched once per distinct
prefix, not once per watcher; groups are copy-on-write tuples so that a
callback may cancel or add watchers while a delivery iterates them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from engine.store.model import Event

log = logging.getLogger(__name__)

Callback = Callable[[list[Event]], None]


class Watcher:
    """A live watch; :meth:`cancel` stops it.

    ``error`` holds the exception if the callback raised, which cancels the
    watch (as etcd closes a watch whose receiver fails) instead of skipping
    events silently.
    """

    __slots__ = ("prefix", "callback", "next_revision", "cancelled", "error", "_hub")

    def __init__(self, hub: WatchHub, prefix: str, callback: Callback) -> None:
        self._hub = hub
        self.prefix = prefix
        self.callback = callback
        self.next_revision = 0  # events below this were replayed or predate the watch
        self.cancelled = False
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Stop delivery; once this returns no callback is running or will run
        (unless called from inside this watcher's own callback)."""
        self._hub.remove(self)


class WatchHub:
    """All watchers of one store and the queue of undelivered revisions."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.pending: deque[list[Event]] = deque()
        self._groups: dict[str, tuple[Watcher, ...]] = {}
        # Read by writers under the store lock: empty means "nobody watches".
        self.groups: tuple[tuple[str, tuple[Watcher, ...]], ...] = ()
        self._draining = False

    def add(self, watcher: Watcher) -> None:
        """Register (caller holds the hub lock and the store lock)."""
        group = self._groups.get(watcher.prefix, ())
        self._groups[watcher.prefix] = (*group, watcher)
        self.groups = tuple(self._groups.items())

    def remove(self, watcher: Watcher) -> None:
        with self.lock:
            watcher.cancelled = True
            group = tuple(w for w in self._groups.get(watcher.prefix, ()) if w is not watcher)
            if group:
                self._groups[watcher.prefix] = group
            else:
                self._groups.pop(watcher.prefix, None)
            self.groups = tuple(self._groups.items())

    def clear(self) -> None:
        with self.lock:
            for _, group in self.groups:
                for w in group:
                    w.cancelled = True
            self._groups.clear()
            self.groups = ()
            self.pending.clear()

    def drain(self, durable: int | None) -> None:
        """Deliver queued revisions in order, up to revision ``durable``
        (None: all). Re-entrant calls (a callback that writes) return at once;
        the outer loop delivers their events after the callback returns."""
        lock = self.lock
        lock.acquire()  # not ``with``: see engine.store.store's docstring
        if self._draining:
            lock.release()
            return
        self._draining = True
        try:
            pending = self.pending
            while pending:
                events = pending[0]
                revision = events[0].kv.mod_revision
                if durable is not None and revision > durable:
                    break
                pending.popleft()
                self.dispatch(events, revision)
        finally:
            self._draining = False
            lock.release()

    def dispatch(self, events: list[Event], revision: int) -> None:
        """Hand one revision's events to every matching watcher."""
        single = events[0].kv.key if len(events) == 1 else None
        for prefix, group in self.groups:
            if single is None:
                matched = select(events, prefix)
            else:  # select's answer for one event, without the call
                matched = events if single.startswith(prefix) else None
            if matched:
                for w in group:
                    if w.next_revision <= revision and not w.cancelled:
                        w.next_revision = revision + 1
                        try:
                            w.callback(matched)
                        except Exception as exc:
                            self.failed(w, exc)

    def failed(self, watcher: Watcher, exc: Exception) -> None:
        """A callback raised: cancel that watcher; the writer never sees it."""
        log.error("store: watch callback for %r failed; cancelling", watcher.prefix, exc_info=exc)
        watcher.error = exc
        self.remove(watcher)


def select(events: list[Event], prefix: str) -> list[Event]:
    """The events whose key starts with ``prefix`` (the same list if all do)."""
    if not prefix:
        return events
    if len(events) == 1:
        return events if events[0].kv.key.startswith(prefix) else []
    matched = [e for e in events if e.kv.key.startswith(prefix)]
    return events if len(matched) == len(events) else matched


def batches(events: list[Event], prefix: str) -> list[list[Event]]:
    """Group replayed history into one list per revision, filtered by prefix."""
    out: list[list[Event]] = []
    last = -1
    for ev in events:
        if prefix and not ev.kv.key.startswith(prefix):
            continue
        if ev.kv.mod_revision != last:
            out.append([])
            last = ev.kv.mod_revision
        out[-1].append(ev)
    return out
