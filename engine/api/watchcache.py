"""The API server's watch cache: one store watch, fanned out to API watches.

As upstream's cacher (k8s.io/apiserver ``pkg/storage/cacher``), the API layer
holds a single watch on the store and keeps the recent history of changes, so
each change is decoded once however many clients watch, and a watch that
resumes from a resourceVersion replays from memory. A resourceVersion older
than the history kept (everything since the last compaction) gets
``410 Expired: too old resource version``.

Events of a watch whose selectors stop (or start) matching an object become
DELETED (or ADDED), as the cacher does.

Decoded objects are shared read-only by every watcher (client-go's rule that
informer objects are not mutated). Two shortcuts build on that:

* a *hint*: the API server, about to store an object it built and nobody else
  can change, hands it over (:meth:`WatchCache.hint`), and the change's object
  is that one, stamped with the new resourceVersion, instead of a decode of
  the stored bytes (upstream's cacher decodes each etcd event; here the writer
  is in the same process);
* the *latest* decoded object of each watched key (:meth:`WatchCache.latest`),
  which an opted-in update or a bind reads as its old object instead of
  decoding the store's.

``K9PY_CHECK_SHARED=1`` (read at import) turns on a check: each shared
object's stored bytes are remembered and, when the key's next change arrives,
on :meth:`WatchCache.verify` and at close, the object must still encode to
them; a mismatch names the key (:class:`SharedObjectMutated`).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from engine.api import errors, meta
from engine.api.resources import RESOURCES, ResourceInfo
from engine.store import Event, Store

Obj = dict[str, Any]
Matcher = Callable[[Obj], bool]
log = logging.getLogger(__name__)

CHECK_SHARED = os.environ.get("K9PY_CHECK_SHARED", "") not in ("", "0")
# Where check mode also appends each detection (one line per key), if set.
CHECK_SHARED_LOG = os.environ.get("K9PY_CHECK_SHARED_LOG", "")


class SharedObjectMutated(AssertionError):
    """An object shared with watchers no longer matches the bytes it was made from."""


@dataclass(slots=True)
class WatchEvent:
    """``metav1.WatchEvent``: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.

    The object is shared by every watcher of the change: read it, copy it
    before changing it (client-go's rule for informer caches)."""

    type: str
    object: Obj


class Watch:
    """One client's watch: its events, in revision order."""

    def __init__(self, hub: WatchCache, info: ResourceInfo, prefix: str, matcher: Matcher | None,
                 *, bookmarks: bool, convert: Callable[[Obj], Obj] | None,
                 sink: Callable[[WatchEvent], None] | None = None) -> None:
        self.info = info
        self.sink = sink  # called in the writer's thread instead of queueing
        self.prefix = prefix
        self.matcher = matcher
        self.bookmarks = bookmarks
        self.convert = convert
        self._hub = hub
        self._events: deque[WatchEvent] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self.stopped = False

    # -- producer side (the store's writer thread) -----------------------
    def push(self, event: WatchEvent) -> None:
        if self.stopped:
            return
        if self.sink is not None:
            self.sink(event)
            return
        self._events.append(event)
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if threading.get_ident() == self._loop_thread:
            waiter.set_result(None)
        else:
            self._loop.call_soon_threadsafe(_resolve, waiter)

    # -- consumer side ----------------------------------------------------
    def drain(self) -> list[WatchEvent]:
        """Every event queued so far, without waiting."""
        out = []
        while self._events:
            out.append(self._events.popleft())
        return out

    async def next(self) -> WatchEvent | None:
        """The next event, or None once the watch is stopped."""
        while not self._events:
            if self.stopped:
                return None
            self._loop = asyncio.get_running_loop()
            self._loop_thread = threading.get_ident()
            self._waiter = self._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._events.popleft()

    def __aiter__(self) -> Watch:
        return self

    async def __anext__(self) -> WatchEvent:
        event = await self.next()
        if event is None:
            raise StopAsyncIteration
        return event

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self._hub.remove(self)
        self._wake()

    @property
    def pending(self) -> int:
        return len(self._events)


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def _storage_prefixes() -> dict[str, list[ResourceInfo]]:
    prefixes: dict[str, list[ResourceInfo]] = {}
    for info in RESOURCES:
        prefixes.setdefault(info.key_prefix, []).append(info)
    return prefixes


class WatchCache:
    """The single store watch and the history every API watch resumes from."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._events: list[Event] = []  # in revision order
        self._watches: dict[str, list[Watch]] = {}  # by resource key prefix
        # The prefixes above that have a watch, and the same without their
        # final slash. For a key under /registry/ (all the store watch below
        # sees), _resource_prefix(key) is a prefix of the key or (a key that
        # ends after its resource's segments) the key and a slash, so an
        # event whose key starts with none of the first and is none of the
        # second has no watcher: its resource prefix need not be worked out.
        self._watched: tuple[str, ...] = ()
        self._bare: frozenset[str] = frozenset()
        self._oldest = store.compact_revision  # events after this are all kept
        self.revision = store.revision
        # Objects the API server built for the write of a key: (stored bytes, object).
        self._hints: dict[str, tuple[bytes, Obj]] = {}
        # The decoded object of each key's last dispatched update: (revision, object).
        self._latest: dict[str, tuple[int, Obj]] = {}
        self.check = CHECK_SHARED
        # Check mode: the bytes each shared object was made from, by key.
        self._shared: dict[str, tuple[bytes, Obj]] = {}
        self._store_watch = store.watch(
            "/registry/", self._on_events, start_revision=store.compact_revision + 1
        )

    def close(self) -> None:
        self._store_watch.cancel()
        with self._lock:
            watches = [w for ws in self._watches.values() for w in ws]
        for w in watches:
            w.stop()
        self._hints.clear()
        self._latest.clear()
        if self.check:
            bad = [key for key in list(self._shared) if not self._intact(key)]
            self._shared.clear()
            if bad:
                raise SharedObjectMutated(f"shared objects were mutated: {', '.join(bad)}")

    # -- shortcuts the API server uses ------------------------------------------
    def hint(self, key: str, value: bytes, obj: Obj) -> None:
        """``obj`` is what ``value`` (about to be written to ``key``) decodes to,
        and nobody will change it: the change's watchers may get it as it is."""
        if self.check:
            _check_hint(key, value, obj)
        self._hints[key] = (value, obj)

    def unhint(self, key: str) -> None:
        """The write the hint was for did not happen."""
        self._hints.pop(key, None)

    def latest(self, key: str, revision: int) -> Obj | None:
        """The shared decoded object of ``key`` at ``revision``, if held (read only)."""
        held = self._latest.get(key)
        if held is not None and held[0] == revision:
            if self.check:
                self.verify(key)
            return held[1]
        return None

    def verify(self, key: str) -> None:
        """Check mode: raise if the object shared for ``key`` was mutated."""
        if self.check and not self._intact(key):
            raise SharedObjectMutated(f"shared object {key} was mutated")

    def _intact(self, key: str) -> bool:
        held = self._shared.get(key)
        if held is None or meta.encode(held[1]) == held[0]:
            return True
        message = f"K9PY_CHECK_SHARED: shared object {key} was mutated after it was shared"
        log.error(message)
        if CHECK_SHARED_LOG:
            with open(CHECK_SHARED_LOG, "a") as out:
                out.write(message + "\n")
        del self._shared[key]  # reported once
        return False

    # -- intake -------------------------------------------------------------
    def _on_events(self, events: list[Event]) -> None:
        """Keep one revision's events and hand them to the watches."""
        lock = self._lock
        lock.acquire()  # not ``with``: see engine.store.store's docstring
        try:
            self._events.extend(events)
            self.revision = events[0].kv.mod_revision  # one revision per call
            hints, latest, watched, bare = self._hints, self._latest, self._watched, self._bare
            for event in events:
                key = event.kv.key
                hint = hints.pop(key, None) if hints else None
                if self.check:
                    self._intact(key)
                watchers = (self._watches.get(_resource_prefix(key))
                            if watched and (key.startswith(watched) or key in bare) else None)
                if watchers:
                    self._dispatch(event, watchers, hint)
                elif latest:
                    latest.pop(key, None)
        finally:
            lock.release()

    def _dispatch(self, event: Event, watchers: list[Watch], hint: tuple[bytes, Obj] | None) -> None:
        key = event.kv.key
        change = _Change(event, self._latest.get(key) if self._latest else None)
        if hint is not None and hint[0] is event.kv.value and not change.deleted:
            change.use(hint[1])
        plain = "DELETED" if change.deleted else ("ADDED" if change.created else "MODIFIED")
        for w in watchers:
            if w.stopped or not key.startswith(w.prefix):
                continue
            # Inline of _filter and Watch.push for the common watch without
            # selectors or conversion (every watcher of a busy resource pays this).
            if w.matcher is None and w.convert is None:
                out = WatchEvent(plain, change.cur)
            else:
                out = _filter(w, change)
                if out is None:
                    continue
            if w.sink is not None:
                w.sink(out)
            else:
                w._events.append(out)
                if w._waiter is not None:
                    w._wake()
        self._remember(key, change)

    def _remember(self, key: str, change: _Change) -> None:
        """Keep the decoded object of the key for the next update's old
        object. Like upstream's cacher, which holds every current object of a
        watched resource, this holds the objects the watchers got (until the
        key is deleted or changes without being decoded)."""
        cur = change._cur
        if change.deleted or cur is None:
            self._latest.pop(key, None)
            self._shared.pop(key, None)
            return
        self._latest[key] = (change.event.kv.mod_revision, cur)
        if self.check:
            self._shared[key] = (change.event.kv.value, cur)

    # -- watches ------------------------------------------------------------
    def watch(self, info: ResourceInfo, prefix: str, matcher: Matcher | None, *,
              since: int | None, initial: list[Obj] | None, bookmarks: bool,
              convert: Callable[[Obj], Obj] | None = None,
              sink: Callable[[WatchEvent], None] | None = None) -> Watch:
        """Register a watch that sees every change after revision ``since``
        (after first seeing ``initial`` as ADDED events); with ``sink``, events
        go to that callback in the writer's thread instead of a queue."""
        w = Watch(self, info, prefix, matcher, bookmarks=bookmarks, convert=convert, sink=sink)
        with self._lock:
            if since is not None and since < self._oldest:
                raise errors.too_old_resource_version(since, self._oldest + 1)
            for obj in initial or ():
                w.push(WatchEvent("ADDED", _out(w, obj)))
            if since is not None:
                self._replay(w, since)
            self._watches.setdefault(info.key_prefix, []).append(w)
            self._note_watched()
        return w

    def _note_watched(self) -> None:
        """Recompute :attr:`_watched` after a watch came or went (lock held)."""
        self._watched = tuple(prefix for prefix, ws in self._watches.items() if ws)
        self._bare = frozenset(prefix[:-1] for prefix in self._watched)

    def _replay(self, w: Watch, since: int) -> None:
        start = bisect.bisect_right(self._events, since, key=_revision_of)
        for event in self._events[start:]:
            if event.kv.key.startswith(w.prefix):
                out = _filter(w, _Change(event))
                if out is not None:
                    w.push(out)

    def remove(self, w: Watch) -> None:
        with self._lock:
            watchers = self._watches.get(w.info.key_prefix)
            if watchers and w in watchers:
                watchers.remove(w)
                self._note_watched()

    def compacted(self, revision: int) -> None:
        """Forget history up to ``revision`` (the store compacted it)."""
        with self._lock:
            del self._events[:bisect.bisect_right(self._events, revision, key=_revision_of)]
            self._oldest = max(self._oldest, revision)

    def send_bookmarks(self) -> None:
        """BOOKMARK events carry the current revision to watches that asked
        for them (``allowWatchBookmarks``), so they can resume cheaply."""
        with self._lock:
            rv = str(self.revision)
            for watchers in self._watches.values():
                for w in watchers:
                    if w.bookmarks:
                        w.push(WatchEvent("BOOKMARK", {
                            "kind": w.info.kind, "apiVersion": w.info.api_version,
                            "metadata": {"resourceVersion": rv},
                        }))

    @property
    def watch_count(self) -> int:
        """Client watches (the API server's own lister caches not counted)."""
        with self._lock:
            return sum(1 for ws in self._watches.values() for w in ws if w.sink is None)


_PREFIXES = _storage_prefixes()


def _revision_of(event: Event) -> int:
    return event.kv.mod_revision


def _resource_prefix(key: str) -> str:
    """``/registry/services/specs/ns/name`` -> ``/registry/services/specs/``."""
    parts = key.split("/", 4)
    one = f"/registry/{parts[2]}/"
    if one in _PREFIXES:
        return one
    return f"/registry/{parts[2]}/{parts[3]}/" if len(parts) > 3 else one


class _Change:
    """One store event as the watches see it, decoded on first use and once for
    all of them: the object after the change (for a deletion, the last state
    stamped with the deletion's revision) and, only for watches with selectors,
    the object before it. ``held``: the watch cache's latest decoded object of
    the key, ``(revision, object)``, which is the object before the change
    when the revisions agree (then neither a deletion nor a selector watch
    decodes it again)."""

    __slots__ = ("event", "created", "deleted", "held", "_cur", "_prev")

    def __init__(self, event: Event, held: tuple[int, Obj] | None = None) -> None:
        self.event = event
        self.deleted = event.type == "DELETE"
        self.created = event.prev_kv is None
        self.held = held
        self._cur: Obj | None = None
        self._prev: Obj | None = None

    def _held_prev(self) -> Obj | None:
        held, prev_kv = self.held, self.event.prev_kv
        if held is not None and prev_kv is not None and held[0] == prev_kv.mod_revision:
            return held[1]
        return None

    def use(self, obj: Obj) -> None:
        """The object after the change is ``obj`` (the writer's, see
        :meth:`WatchCache.hint`), stamped with the change's revision where a
        decode puts it: last in ``metadata``. When the writer's metadata has
        it elsewhere, the watchers get a new top level and metadata in decode
        order (sharing the rest), and the writer's object keeps its order."""
        m = obj["metadata"]
        rv = str(self.event.kv.mod_revision)
        if "resourceVersion" in m and next(reversed(m)) != "resourceVersion":
            obj = dict(obj)
            m = obj["metadata"] = {k: v for k, v in m.items() if k != "resourceVersion"}
        m["resourceVersion"] = rv
        self._cur = obj

    @property
    def cur(self) -> Obj:
        cur = self._cur
        if cur is None:
            event = self.event
            if self.deleted:
                cur = self._last_state(event)
            else:
                cur = meta.decode(event.kv.value, event.kv.mod_revision)
            self._cur = cur
        return cur

    def _last_state(self, event: Event) -> Obj:
        """A deleted object's last state, stamped with the deletion's revision:
        the held object with a new top level and metadata (it stays shared as
        it was), else a decode."""
        if event.prev_kv is None:
            return {}
        held = self._held_prev()
        m = held.get("metadata") if held is not None else None
        if type(m) is not dict or next(reversed(m), None) != "resourceVersion":
            return meta.decode(event.prev_kv.value, event.kv.mod_revision)
        cur = dict(held)
        m = cur["metadata"] = dict(m)
        m["resourceVersion"] = str(event.kv.mod_revision)
        return cur

    @property
    def prev(self) -> Obj | None:
        prev = self._prev
        if prev is None and not self.created:
            prev = self._held_prev()
            if prev is None:
                prev_kv = self.event.prev_kv
                prev = meta.decode(prev_kv.value, prev_kv.mod_revision)
            self._prev = prev
        return prev


def _check_hint(key: str, value: bytes, obj: Obj) -> None:
    """Check mode: a hinted object must be exactly what its bytes decode to
    (same keys in the same order, lists not tuples)."""
    if meta.encode(obj) != value or not _same_types(obj, orjson.loads(value)):
        raise SharedObjectMutated(f"the object hinted for {key} is not what is stored")


def _same_types(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return all(k == "resourceVersion" or _same_types(v, b.get(k)) for k, v in a.items())
    if type(a) is list:
        return all(map(_same_types, a, b))
    return True


def _filter(w: Watch, change: _Change) -> WatchEvent | None:
    matcher = w.matcher
    if change.deleted:
        cur = change.cur
        if matcher is None or matcher(cur):
            return WatchEvent("DELETED", _out(w, cur))
        return None
    created = change.created
    if matcher is None:
        return WatchEvent("ADDED" if created else "MODIFIED", _out(w, change.cur))
    cur = change.cur
    now = matcher(cur)
    before = not created and matcher(change.prev)
    if now and before:
        return WatchEvent("MODIFIED", _out(w, cur))
    if now:
        return WatchEvent("ADDED", _out(w, cur))
    if before:
        return WatchEvent("DELETED", _out(w, cur))
    return None


def _out(w: Watch, obj: Obj) -> Obj:
    return w.convert(obj) if w.convert else obj
