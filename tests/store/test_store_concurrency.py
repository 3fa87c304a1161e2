"""Many threads against one store: no lost updates, consistent reads."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator

import pytest

from engine.store import Compare, Op, Store

THREADS = 50
INCREMENTS = 40


@pytest.fixture(autouse=True)
def eager_thread_switches() -> Iterator[None]:
    """Switch threads very often so read-modify-write races really happen."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def test_read_modify_write_with_expected_revision_loses_no_update(store: Store) -> None:
    store.create("/counter", b"0")
    failures = [0] * THREADS
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        barrier.wait()
        for _ in range(INCREMENTS):
            while True:
                kv = store.get("/counter")
                new = str(int(kv.value) + 1).encode()
                time.sleep(0)  # let other threads in between read and write: real contention
                if store.update("/counter", new, expected_mod_revision=kv.mod_revision):
                    break
                failures[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = store.get("/counter")
    assert int(final.value) == THREADS * INCREMENTS
    assert final.version == THREADS * INCREMENTS + 1
    assert sum(failures) > 0, "expected some compare failures under contention"


def test_txn_compare_and_swap_under_contention(store: Store) -> None:
    store.create("/c", b"0")

    def worker() -> None:
        for _ in range(30):
            while True:
                kv = store.get("/c")
                ok, _, _ = store.txn(
                    [Compare("/c", "mod_revision", "=", kv.mod_revision)],
                    [Op.put("/c", str(int(kv.value) + 1).encode())],
                    [],
                )
                if ok:
                    break

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.get("/c").value == b"300"


def test_ranges_during_writes_see_whole_revisions(store: Store) -> None:
    """A txn writes two keys at once; no range may see just one of them."""
    stop = threading.Event()
    torn: list[tuple[bytes, bytes]] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            v = str(i).encode()
            store.txn([], [Op.put("/pair/a", v), Op.put("/pair/b", v)], [])

    t = threading.Thread(target=writer)
    t.start()
    try:
        for _ in range(2000):
            kvs, _, _ = store.range("/pair/")
            if len(kvs) == 2 and kvs[0].value != kvs[1].value:
                torn.append((kvs[0].value, kvs[1].value))
    finally:
        stop.set()
        t.join()
    assert torn == []


def test_creates_from_many_threads_get_unique_revisions(store: Store) -> None:
    revs: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        mine = [store.create(f"/t/{n}/{i}", b"v").mod_revision for i in range(100)]
        with lock:
            revs.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(revs) == list(range(2, 2002))
    assert store.count("/t/") == 2000
