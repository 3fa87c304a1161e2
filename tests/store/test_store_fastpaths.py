"""The write path's shortcuts against their plain forms.

* ``make_put``/``make_delete`` build named tuples with ``tuple.__new__``:
  they must be the named-tuple types with the fields a constructor call gives.
* The hub matches a one-event revision without calling ``select``: live
  delivery to watchers of assorted prefixes, single writes and txns mixed,
  must equal what ``select`` picks, batch by batch.
* An in-memory store's single puts skip ``_commit`` (``_commit_put``,
  ``MVCC.apply_put``): random writes must leave it exactly as a store whose
  puts take the general path (state, key index, history, watch batches).
* Single-key writes and delivery take their locks with ``acquire``/``finally``
  instead of ``with``: every way out of them (refusals, errors, a callback
  that raises) must leave the locks free.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.store import ClosedError, Event, KeyValue, Op, Store
from engine.store.model import DELETE, PUT
from engine.store.mvcc import make_delete, make_put
from engine.store.watch import select

from .conftest import Recorder

KEYS = st.sampled_from(["/a", "/b", "/c/x", "/c/y", "/cz", "/registry/pods/ns/p"])
PREFIXES = ["", "/", "/c", "/c/", "/a", "/registry/", "/registry/pods/ns/p", "/zz"]
VALUES = st.binary(max_size=4)


def test_make_put_and_make_delete_are_the_named_tuples_a_constructor_makes() -> None:
    created = make_put("/k", b"v", 5, None)
    assert type(created) is Event and type(created.kv) is KeyValue
    assert created == Event(PUT, KeyValue("/k", b"v", 5, 5, 1), None)
    updated = make_put("/k", b"w", 7, created.kv)
    assert type(updated) is Event and type(updated.kv) is KeyValue
    assert updated == Event(PUT, KeyValue("/k", b"w", 5, 7, 2), created.kv)
    assert updated.kv.create_revision == 5 and updated.kv.version == 2
    gone = make_delete(updated.kv, 9)
    assert type(gone) is Event and type(gone.kv) is KeyValue
    assert gone == Event(DELETE, KeyValue("/k", b"", 0, 9, 0), updated.kv)
    assert gone.revision == 9 and gone._asdict()["prev_kv"] is updated.kv


WRITES = st.one_of(
    st.tuples(st.just("put"), KEYS, VALUES),
    st.tuples(st.just("delete"), KEYS, st.just(b"")),
    st.tuples(st.just("txn"), st.lists(KEYS, min_size=1, max_size=4, unique=True), VALUES),
)


@settings(max_examples=150, deadline=None)
@given(writes=st.lists(WRITES, max_size=25))
def test_live_delivery_matches_select_per_revision(writes: list[tuple]) -> None:
    store = Store()
    everything = Recorder()
    store.watch("", everything)
    recorders = {prefix: Recorder() for prefix in PREFIXES}
    for prefix, recorder in recorders.items():
        store.watch(prefix, recorder)
    for kind, key, value in writes:
        if kind == "put":
            store.put(key, value)
        elif kind == "delete":
            store.delete(key)
        else:  # puts of the even positions, deletes of the odd ones: one revision
            ops = [Op.put(k, value) if i % 2 == 0 else Op.delete(k) for i, k in enumerate(key)]
            store.txn([], ops, [])
    for prefix, recorder in recorders.items():
        expected = [b for b in (select(batch, prefix) for batch in everything.batches) if b]
        assert recorder.batches == expected, prefix
    store.close()


class PlainStore(Store):
    """Every write through the general ``_commit``: the reference for the
    single-put shortcut."""

    def _commit_put(self, event: Event, revision: int) -> tuple[int, bool]:
        return self._commit([event], revision)


SINGLE_WRITES = st.one_of(
    st.tuples(st.sampled_from(["create", "update", "put", "delete"]), KEYS, VALUES),
    st.tuples(st.just("txn"), st.lists(KEYS, min_size=1, max_size=3, unique=True), VALUES),
    st.tuples(st.just("compact"), st.just(""), st.just(b"")),
)


def _run(store: Store, kind: str, key: object, value: bytes) -> object:
    if kind == "txn":
        ops = [Op.put(k, value) if i % 2 == 0 else Op.delete(k) for i, k in enumerate(key)]
        return store.txn([], ops, [])
    if kind == "compact":
        if store.revision > store.compact_revision:
            store.compact((store.revision + store.compact_revision + 1) // 2)
        return store.compact_revision
    if kind == "delete":
        return store.delete(key)
    return getattr(store, kind)(key, value)


@settings(max_examples=150, deadline=None)
@given(writes=st.lists(SINGLE_WRITES, max_size=30), watched=st.booleans())
def test_single_puts_in_memory_match_the_general_commit(
    writes: list[tuple], watched: bool
) -> None:
    fast, plain = Store(), PlainStore()
    recorders = (Recorder(), Recorder())
    if watched:
        fast.watch("/c", recorders[0])
        plain.watch("/c", recorders[1])
    for kind, key, value in writes:
        assert _run(fast, kind, key, value) == _run(plain, kind, key, value)
        a, b = fast._mvcc, plain._mvcc
        assert (a.revision, a.compact_revision) == (b.revision, b.compact_revision)
        assert a.kvs == b.kvs and a.history == b.history
        assert a.index.keys() == b.index.keys() == sorted(a.kvs)
        assert fast.range("/c") == plain.range("/c")
    assert recorders[0].batches == recorders[1].batches
    fast.close()
    plain.close()


def _free(lock: threading.Lock | threading.RLock) -> bool:
    """Whether another thread can take ``lock`` now."""
    got: list[bool] = []

    def take() -> None:
        ok = lock.acquire(timeout=2)
        got.append(ok)
        if ok:
            lock.release()

    t = threading.Thread(target=take)
    t.start()
    t.join()
    return got == [True]


def test_refused_and_failed_writes_release_the_store_lock() -> None:
    store = Store()  # not the fixture: closing it would hang on a held lock
    kv = store.create("/a", b"1")
    refused = [
        lambda: store.create("/a", b"2"),
        lambda: store.update("/missing", b"1"),
        lambda: store.update("/a", b"2", kv.mod_revision + 1),
        lambda: store.delete("/missing"),
        lambda: store.delete("/a", kv.mod_revision + 1),
    ]
    for write in refused:
        assert write() is None
        assert not store._lock.locked()
    with pytest.raises(TypeError):
        store.update("/a", "text")  # type: ignore[arg-type]
    store.close()
    for write in (lambda: store.create("/b", b"1"), lambda: store.update("/a", b"3"),
                  lambda: store.put("/a", b"3"), lambda: store.delete("/a")):
        with pytest.raises(ClosedError):
            write()
        assert not store._lock.locked()


class Stop(BaseException):
    """Not an Exception: the hub lets it through to the writer."""


def test_a_callback_escaping_delivery_leaves_the_hub_free() -> None:
    store = Store()
    seen: list[int] = []

    def callback(events: list[Event]) -> None:
        seen.append(events[0].revision)
        if len(seen) == 1:
            raise Stop

    store.watch("", callback)
    with pytest.raises(Stop):
        store.put("/a", b"1")
    assert _free(store._hub.lock) and not store._hub._draining
    store.put("/a", b"2")  # the hub still delivers
    assert seen == [2, 3]
    store.close()
