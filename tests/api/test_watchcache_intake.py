"""The watch cache's intake shortcuts against the plain intake.

``WatchCache._on_events`` skips the resource-prefix lookup of an event whose
key starts with no watched prefix (and is no watched prefix without its
slash), and keeps no separate list of revisions (replay and compaction bisect
the events). ``PlainCache`` below is the intake without either shortcut: every
event's resource prefix looked up, history cut by a linear scan. Random
writes (hinted or not, on real keys and on keys that end after their
resource's segments), watches that come and go (with and without selectors,
resuming from past revisions), and compactions must leave both caches with
the same events, the same latest objects and the same history.
"""

from __future__ import annotations

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.api import meta
from engine.api.resources import ResourceInfo, resolve
from engine.api.watchcache import Obj, Watch, WatchCache, WatchEvent, _filter, _resource_prefix
from engine.store import Event, Store


class PlainCache(WatchCache):
    """The intake with no shortcut: the reference for :class:`WatchCache`."""

    def _on_events(self, events: list[Event]) -> None:
        with self._lock:
            hints = self._hints
            for event in events:
                kv = event.kv
                self._events.append(event)
                self.revision = kv.mod_revision
                hint = hints.pop(kv.key, None) if hints else None
                if self.check:
                    self._intact(kv.key)
                watchers = self._watches.get(_resource_prefix(kv.key))
                if watchers:
                    self._dispatch(event, watchers, hint)
                elif self._latest:
                    self._latest.pop(kv.key, None)

    def _replay(self, w: Watch, since: int) -> None:
        from engine.api.watchcache import _Change

        for event in self._events:
            if event.kv.mod_revision > since and event.kv.key.startswith(w.prefix):
                out = _filter(w, _Change(event))
                if out is not None:
                    w.push(out)

    def compacted(self, revision: int) -> None:
        with self._lock:
            self._events = [e for e in self._events if e.kv.mod_revision > revision]
            self._oldest = max(self._oldest, revision)


RESOURCES = ["pods", "namespaces", "services", "configmaps", "endpoints"]


def _info(plural: str) -> ResourceInfo:
    return resolve(plural)


def _keys() -> list[str]:
    """Real keys, and keys that end where a resource's prefix does (with and
    without its slash), or after the first of two prefix segments."""
    keys = []
    for plural in RESOURCES:
        info = _info(plural)
        ns = "default" if info.namespaced else None
        keys += [info.key(ns, "a"), info.key(ns, "b"), info.key_prefix[:-1], info.key_prefix]
        if info.namespaced:
            keys.append(info.key_prefix + "default")
    keys += ["/registry/services", "/registry/services/x", "/registry/other/thing",
             "/registry/other", "/registry/"]
    return keys


KEYS = _keys()
WATCHES = st.tuples(
    st.sampled_from(RESOURCES), st.booleans(), st.booleans(), st.integers(-1, 30))
OPS = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(KEYS), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("delete"), st.sampled_from(KEYS)),
    st.tuples(st.just("watch"), WATCHES),
    st.tuples(st.just("stop"), st.integers(0, 20)),
    st.tuples(st.just("compact"), st.integers(0, 30)),
)


def _labelled(obj: Obj) -> bool:
    return (obj.get("metadata") or {}).get("labels", {}).get("a") == "1"


def _object(key: str, n: int) -> Obj:
    return {"kind": "Thing", "metadata": {"name": key.rsplit("/", 1)[-1] or "x",
                                          "labels": {"a": str(n % 2)}}, "spec": {"n": n}}


class _Pair:
    """The same watch opened on both caches, recording what each delivers."""

    def __init__(self, caches: tuple[WatchCache, WatchCache], spec: tuple, store: Store) -> None:
        plural, in_namespace, selector, since = spec
        info = _info(plural)
        prefix = info.key_prefix + ("default/" if in_namespace and info.namespaced else "")
        since = None if since < 0 else min(max(since, caches[0]._oldest), store.revision)
        self.seen: tuple[list[bytes], list[bytes]] = ([], [])
        self.watches = [
            cache.watch(info, prefix, _labelled if selector else None, since=since,
                        initial=None, bookmarks=False, sink=self._sink(out))
            for cache, out in zip(caches, self.seen, strict=True)]

    @staticmethod
    def _sink(out: list[bytes]):  # noqa: ANN205 - a closure
        def sink(event: WatchEvent) -> None:
            out.append(event.type.encode() + orjson.dumps(event.object))
        return sink


def _same(fast: WatchCache, plain: WatchCache, pairs: list[_Pair], store: Store) -> None:
    assert fast._events == plain._events
    assert fast.revision == plain.revision and fast._oldest == plain._oldest
    for pair in pairs:
        assert pair.seen[0] == pair.seen[1]
    for key in KEYS:
        kv = store.get(key)
        if kv is not None:
            got = fast.latest(key, kv.mod_revision), plain.latest(key, kv.mod_revision)
            assert orjson.dumps(got[0]) == orjson.dumps(got[1]), key
    assert set(fast._latest) == set(plain._latest)
    assert fast._hints == plain._hints


@settings(max_examples=300, deadline=None)
@given(ops=st.lists(OPS, max_size=40), check=st.booleans())
# A key that is its resource's prefix without the slash: a hinted write to it
# reaches the resource's watchers' bookkeeping (not their events).
@example(ops=[("watch", ("pods", False, False, -1)), ("write", "/registry/pods", 0, True)],
         check=False)
@example(ops=[("watch", ("services", True, False, -1)),
              ("write", "/registry/services/specs", 0, True)], check=False)
def test_intake_shortcuts_match_the_plain_intake(ops: list[tuple], check: bool) -> None:
    store = Store()
    fast, plain = WatchCache(store), PlainCache(store)
    fast.check = plain.check = check  # K9PY_CHECK_SHARED's checks on both
    pairs: list[_Pair] = []
    for n, op in enumerate(ops):
        if op[0] == "write":
            _, key, version, hinted = op
            obj = _object(key, version + n)
            value = meta.encode(obj)
            if hinted:  # each cache gets its own copy: a hint is stamped in place
                fast.hint(key, value, orjson.loads(value))
                plain.hint(key, value, orjson.loads(value))
            store.put(key, value)
        elif op[0] == "delete":
            store.delete(op[1])
        elif op[0] == "watch":
            pairs.append(_Pair((fast, plain), op[1], store))
        elif op[0] == "stop" and pairs:
            for w in pairs[op[1] % len(pairs)].watches:
                w.stop()
        elif op[0] == "compact" and store.revision > store.compact_revision:
            revision = store.compact_revision + 1 + op[1] % (store.revision - store.compact_revision)
            store.compact(revision)
            fast.compacted(revision)
            plain.compacted(revision)
        _same(fast, plain, pairs, store)
    fast.close()
    plain.close()
    store.close()


def test_a_failing_watcher_leaves_the_cache_lock_free() -> None:
    store = Store()
    cache = WatchCache(store)
    info = _info("configmaps")

    def sink(event: WatchEvent) -> None:
        raise RuntimeError("receiver failed")

    cache.watch(info, info.key_prefix, None, since=None, initial=None, bookmarks=False,
                sink=sink)
    store.put(info.key("default", "a"), meta.encode(_object("a", 1)))
    assert not cache._lock.locked()
    cache.close()
    store.close()
