"""Watch: live events, replay from a past revision, prefixes, cancel, compaction."""

from __future__ import annotations

import threading

import pytest

from engine.store import CompactedError, Op, Store

from .conftest import Recorder


def test_watch_from_now_sees_only_future_events(store: Store, recorder: Recorder) -> None:
    store.put("/a", b"before")
    store.watch("/", recorder)
    assert recorder.batches == []
    kv = store.update("/a", b"after")
    store.delete("/a")
    assert recorder.summary() == [
        ("PUT", "/a", b"after", kv.mod_revision),
        ("DELETE", "/a", b"", kv.mod_revision + 1),
    ]


def test_event_carries_prev_kv_and_delete_shape(store: Store, recorder: Recorder) -> None:
    store.watch("/", recorder)
    created = store.create("/a", b"1")
    updated = store.update("/a", b"2")
    store.delete("/a")
    put1, put2, gone = recorder.events
    assert put1.prev_kv is None and put1.kv == created
    assert put2.prev_kv == created and put2.kv == updated
    assert gone.type == "DELETE"
    assert gone.prev_kv == updated
    assert (gone.kv.key, gone.kv.value, gone.kv.version) == ("/a", b"", 0)
    assert gone.kv.mod_revision == gone.revision == updated.mod_revision + 1


def test_watch_from_past_revision_replays_in_order_then_goes_live(
    store: Store, recorder: Recorder
) -> None:
    store.put("/a", b"1")  # rev 2
    store.put("/b", b"1")  # rev 3
    store.put("/a", b"2")  # rev 4
    store.watch("/", recorder, start_revision=3)
    assert recorder.summary() == [("PUT", "/b", b"1", 3), ("PUT", "/a", b"2", 4)]
    store.delete("/b")
    assert recorder.summary()[-1] == ("DELETE", "/b", b"", 5)
    revs = [e.revision for e in recorder.events]
    assert revs == sorted(revs) == [3, 4, 5]


def test_watch_from_future_revision_waits_for_it(store: Store, recorder: Recorder) -> None:
    store.put("/a", b"1")
    store.watch("/", recorder, start_revision=store.revision + 2)
    store.put("/a", b"2")
    store.put("/a", b"3")
    assert [e.kv.value for e in recorder.events] == [b"3"]


def test_txn_events_arrive_together_in_one_call(store: Store, recorder: Recorder) -> None:
    store.put("/x/old", b"0")
    store.watch("/x/", recorder)
    _, rev, _ = store.txn([], [Op.put("/x/a", b"1"), Op.put("/y/b", b"1"), Op.delete("/x/old")], [])
    assert len(recorder.batches) == 1
    assert [(e.type, e.kv.key, e.revision) for e in recorder.batches[0]] == [
        ("PUT", "/x/a", rev),
        ("DELETE", "/x/old", rev),
    ]


def test_replayed_txn_is_one_batch_too(store: Store, recorder: Recorder) -> None:
    store.txn([], [Op.put("/a", b"1"), Op.put("/b", b"1")], [])
    store.put("/c", b"1")
    store.watch("/", recorder, start_revision=1)
    assert [[e.kv.key for e in b] for b in recorder.batches] == [["/a", "/b"], ["/c"]]


def test_prefix_watch_and_key_watch(store: Store) -> None:
    pods, one, other = Recorder(), Recorder(), Recorder()
    store.watch("/registry/pods/", pods)
    store.watch("/registry/pods/default/web", one)
    store.watch("/registry/services/", other)
    store.put("/registry/pods/default/web", b"1")
    store.put("/registry/pods/default/web-2", b"1")
    store.put("/registry/pods/kube-system/dns", b"1")
    assert [e.kv.key for e in pods.events] == [
        "/registry/pods/default/web",
        "/registry/pods/default/web-2",
        "/registry/pods/kube-system/dns",
    ]
    # A full key is a prefix too, so it also matches longer keys, as in etcd.
    assert [e.kv.key for e in one.events] == [
        "/registry/pods/default/web",
        "/registry/pods/default/web-2",
    ]
    assert other.events == []


def test_prefix_filter_applies_to_replay(store: Store, recorder: Recorder) -> None:
    store.put("/a/1", b"1")
    store.put("/b/1", b"1")
    store.put("/a/2", b"1")
    store.watch("/a/", recorder, start_revision=1)
    assert [e.kv.key for e in recorder.events] == ["/a/1", "/a/2"]


def test_cancel_stops_delivery(store: Store, recorder: Recorder) -> None:
    w = store.watch("/", recorder)
    store.put("/a", b"1")
    w.cancel()
    store.put("/a", b"2")
    w.cancel()  # idempotent
    assert [e.kv.value for e in recorder.events] == [b"1"]


def test_watch_before_compaction_fails_with_clear_error(store: Store, recorder: Recorder) -> None:
    for i in range(5):
        store.put("/a", str(i).encode())
    store.compact(4)
    with pytest.raises(CompactedError, match="required revision has been compacted") as info:
        store.watch("/", recorder, start_revision=4)
    assert info.value.requested == 4
    assert info.value.compact_revision == 4
    # Nothing was registered.
    store.put("/a", b"later")
    assert recorder.events == []
    # Just after the compaction point still works.
    store.watch("/", recorder, start_revision=5)
    assert [e.revision for e in recorder.events] == [5, 6, 7]


def test_failing_callback_is_cancelled_without_failing_the_writer(store: Store) -> None:
    good = Recorder()

    def bad(events: list) -> None:
        raise RuntimeError("boom")

    w = store.watch("/", bad)
    store.watch("/", good)
    store.put("/a", b"1")
    store.put("/a", b"2")
    assert isinstance(w.error, RuntimeError)
    assert len(good.events) == 2


def test_callback_may_read_and_cancel_inside_delivery(store: Store) -> None:
    reads: list[bytes] = []
    holder: dict = {}

    def cb(events: list) -> None:
        reads.append(store.get("/a").value)
        holder["w"].cancel()

    holder["w"] = store.watch("/", cb)
    store.put("/a", b"1")
    store.put("/a", b"2")
    assert reads == [b"1"]


def test_callback_that_writes_sees_events_in_order(store: Store, recorder: Recorder) -> None:
    def echo(events: list) -> None:
        for e in events:
            if e.kv.key == "/ping":
                store.put("/pong", e.kv.value)

    store.watch("/", echo)
    store.watch("/", recorder)
    store.put("/ping", b"1")
    revs = [e.revision for e in recorder.events]
    assert [e.kv.key for e in recorder.events] == ["/ping", "/pong"]
    assert revs == sorted(revs)


def test_concurrent_writers_deliver_every_revision_once_in_order(store: Store) -> None:
    recorders = [Recorder() for _ in range(5)]
    for r in recorders:
        store.watch("/", r)

    def writer(n: int) -> None:
        for i in range(300):
            store.put(f"/w{n}/{i % 7}", b"x")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = list(range(2, store.revision + 1))
    for r in recorders:
        assert [e.revision for e in r.events] == expected


def test_watch_started_while_writers_run_has_no_gap_or_duplicate(store: Store) -> None:
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            store.put("/k", b"x")

    t = threading.Thread(target=writer)
    t.start()
    try:
        while store.revision < 200:
            pass
        start = store.revision - 50
        r = Recorder()
        store.watch("/", r, start_revision=start)
        while store.revision < 400:
            pass
    finally:
        stop.set()
        t.join()
    revs = [e.revision for e in r.events]
    assert revs == list(range(start, store.revision + 1))


def test_close_ends_watches(recorder: Recorder) -> None:
    s = Store()
    s.watch("/", recorder)
    s.close()
    assert recorder.events == []
