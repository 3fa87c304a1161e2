"""MVCC basics: revisions, versions, ranges, txns, reads at a past revision."""

from __future__ import annotations

import pytest

from engine.store import (
    ClosedError,
    CompactedError,
    Compare,
    FutureRevisionError,
    KeyValue,
    Op,
    Store,
    StoreError,
)


def test_empty_store_starts_at_revision_1_and_first_write_gets_2(store: Store) -> None:
    assert store.revision == 1
    assert store.compact_revision == 0
    kv = store.create("/a", b"1")
    assert kv == KeyValue("/a", b"1", create_revision=2, mod_revision=2, version=1)
    assert store.revision == 2


def test_each_write_takes_the_next_revision(store: Store) -> None:
    revs = [store.put(f"/k{i}", b"v").mod_revision for i in range(5)]
    assert revs == [2, 3, 4, 5, 6]


def test_update_bumps_mod_revision_and_version_keeps_create_revision(store: Store) -> None:
    created = store.create("/a", b"1")
    assert created is not None
    store.create("/other", b"x")
    updated = store.update("/a", b"2")
    assert updated == KeyValue("/a", b"2", create_revision=2, mod_revision=4, version=2)
    assert store.get("/a") == updated


def test_create_fails_when_key_exists(store: Store) -> None:
    store.create("/a", b"1")
    assert store.create("/a", b"2") is None
    assert store.get("/a").value == b"1"
    assert store.revision == 2


def test_update_of_absent_key_fails(store: Store) -> None:
    assert store.update("/missing", b"x") is None
    assert store.revision == 1


def test_update_with_expected_mod_revision(store: Store) -> None:
    kv = store.create("/a", b"1")
    assert store.update("/a", b"stale", expected_mod_revision=kv.mod_revision + 5) is None
    new = store.update("/a", b"2", expected_mod_revision=kv.mod_revision)
    assert new is not None and new.value == b"2"
    # The old revision no longer matches.
    assert store.update("/a", b"3", expected_mod_revision=kv.mod_revision) is None


def test_delete_returns_previous_value(store: Store) -> None:
    kv = store.create("/a", b"1")
    assert store.delete("/a", expected_mod_revision=kv.mod_revision + 1) is None
    assert store.delete("/a") == kv
    assert store.get("/a") is None
    assert store.revision == 3
    assert store.delete("/a") is None
    assert store.revision == 3


def test_version_restarts_after_delete_and_recreate(store: Store) -> None:
    store.create("/a", b"1")
    store.update("/a", b"2")
    store.delete("/a")
    again = store.create("/a", b"3")
    assert again == KeyValue("/a", b"3", create_revision=5, mod_revision=5, version=1)


def test_values_must_be_bytes(store: Store) -> None:
    with pytest.raises(TypeError):
        store.create("/a", "text")  # type: ignore[arg-type]


def test_range_by_prefix_is_sorted_and_excludes_other_prefixes(store: Store) -> None:
    for key in ["/r/pods/b", "/r/pods/a", "/r/podsx", "/r/svc/a", "/r/pods/c"]:
        store.create(key, key.encode())
    kvs, rev, more = store.range("/r/pods/")
    assert [kv.key for kv in kvs] == ["/r/pods/a", "/r/pods/b", "/r/pods/c"]
    assert rev == store.revision
    assert more is False
    assert [kv.key for kv in store.range("")[0]][0] == "/r/pods/a"
    assert store.count("/r/pods/") == 3
    assert store.count("") == 5


def test_range_with_full_key_as_prefix(store: Store) -> None:
    store.create("/a/x", b"1")
    store.create("/a/xy", b"2")
    assert [kv.key for kv in store.range("/a/x")[0]] == ["/a/x", "/a/xy"]


def test_range_paging_with_start_after_and_limit(store: Store) -> None:
    keys = [f"/p/{i:03d}" for i in range(25)]
    for key in reversed(keys):
        store.create(key, b"v")
    store.create("/q/0", b"v")
    seen: list[str] = []
    start_after = None
    pages = 0
    while True:
        kvs, _, more = store.range("/p/", start_after=start_after, limit=10)
        seen += [kv.key for kv in kvs]
        pages += 1
        if not more:
            break
        start_after = kvs[-1].key
    assert seen == keys
    assert pages == 3


def test_range_more_is_false_when_limit_hits_exactly_the_end(store: Store) -> None:
    for i in range(4):
        store.create(f"/p/{i}", b"v")
    kvs, _, more = store.range("/p/", limit=4)
    assert len(kvs) == 4 and more is False
    kvs, _, more = store.range("/p/", limit=3)
    assert len(kvs) == 3 and more is True


def test_range_skips_deleted_keys_and_sees_recreated_ones(store: Store) -> None:
    for i in range(200):
        store.create(f"/d/{i:03d}", b"v")
    store.range("/d/")
    for i in range(0, 200, 2):
        store.delete(f"/d/{i:03d}")
    store.create("/d/000", b"back")
    keys = [kv.key for kv in store.range("/d/")[0]]
    assert keys == ["/d/000"] + [f"/d/{i:03d}" for i in range(1, 200, 2)]
    assert store.count("/d/") == 101


def test_range_negative_limit_is_rejected(store: Store) -> None:
    with pytest.raises(ValueError):
        store.range("/", limit=-1)


def test_read_at_a_past_revision(store: Store) -> None:
    a1 = store.create("/x/a", b"1")
    store.create("/x/b", b"1")
    mid = store.revision
    store.update("/x/a", b"2")
    store.delete("/x/b")
    store.create("/x/c", b"1")
    kvs, rev, more = store.range("/x/", revision=mid)
    assert rev == mid and more is False
    assert [(kv.key, kv.value) for kv in kvs] == [("/x/a", b"1"), ("/x/b", b"1")]
    assert store.get("/x/a", revision=mid) == a1
    assert store.get("/x/c", revision=mid) is None
    kvs, _, more = store.range("/x/", revision=mid, limit=1)
    assert [kv.key for kv in kvs] == ["/x/a"] and more is True
    kvs, _, _ = store.range("/x/", revision=mid, start_after="/x/a")
    assert [kv.key for kv in kvs] == ["/x/b"]


def test_read_at_compacted_or_future_revision_fails(store: Store) -> None:
    for i in range(5):
        store.put("/k", str(i).encode())
    store.compact(4)
    assert store.get("/k", revision=4).value == b"2"  # the compact revision itself is readable
    with pytest.raises(CompactedError):
        store.range("/", revision=3)
    with pytest.raises(FutureRevisionError):
        store.get("/k", revision=store.revision + 1)


def test_txn_compare_and_swap_success(store: Store) -> None:
    kv = store.create("/a", b"1")
    ok, rev, results = store.txn(
        [Compare("/a", "mod_revision", "=", kv.mod_revision)],
        [Op.put("/a", b"2"), Op.get("/a")],
        [Op.get("/a")],
    )
    assert ok is True
    assert rev == kv.mod_revision + 1
    assert [r.value for r in results] == [b"2", b"2"]


def test_txn_compare_failure_runs_failure_branch(store: Store) -> None:
    store.create("/a", b"1")
    ok, rev, results = store.txn(
        [Compare("/a", "value", "=", b"other")],
        [Op.put("/a", b"2")],
        [Op.get("/a")],
    )
    assert ok is False
    assert rev == store.revision == 2  # a read-only branch takes no revision
    assert results[0].value == b"1"


def test_txn_writes_share_one_revision(store: Store) -> None:
    store.create("/gone", b"x")
    ok, rev, results = store.txn(
        [], [Op.put("/a", b"1"), Op.put("/b", b"2"), Op.delete("/gone")], []
    )
    assert ok and rev == 3
    assert store.get("/a").mod_revision == store.get("/b").mod_revision == 3
    assert results[2].key == "/gone"
    assert store.get("/gone") is None


def test_txn_create_if_absent_with_version_zero(store: Store) -> None:
    absent = [Compare("/a", "version", "=", 0)]
    assert store.txn(absent, [Op.put("/a", b"1")], [])[0] is True
    ok, _, results = store.txn(absent, [Op.put("/a", b"2")], [Op.get("/a")])
    assert ok is False and results[0].value == b"1"


@pytest.mark.parametrize(
    ("target", "op", "value", "expected"),
    [
        ("version", ">", 1, True),
        ("version", "<", 2, False),
        ("create_revision", "=", 2, True),
        ("mod_revision", "!=", 3, False),
        ("mod_revision", "<", 4, True),
        ("value", "=", b"2", True),
        ("value", ">", b"1", True),
        ("value", "<", b"2", False),
    ],
)
def test_txn_compare_targets_and_operators(
    store: Store, target: str, op: str, value: int | bytes, expected: bool
) -> None:
    store.create("/a", b"1")
    store.update("/a", b"2")  # create_revision 2, mod_revision 3, version 2
    assert store.txn([Compare("/a", target, op, value)], [], [])[0] is expected


def test_txn_compare_on_absent_key(store: Store) -> None:
    assert store.txn([Compare("/no", "mod_revision", "=", 0)], [], [])[0] is True
    assert store.txn([Compare("/no", "value", "!=", b"x")], [], [])[0] is False


def test_txn_delete_of_absent_key_takes_no_revision(store: Store) -> None:
    ok, rev, results = store.txn([], [Op.delete("/none")], [])
    assert ok and rev == 1 and results == [None]


def test_txn_rejects_duplicate_keys_and_bad_parts(store: Store) -> None:
    with pytest.raises(StoreError, match="duplicate key"):
        store.txn([], [Op.put("/a", b"1"), Op.delete("/a")], [])
    with pytest.raises(ValueError):
        Compare("/a", "lease", "=", 0)
    with pytest.raises(ValueError):
        Compare("/a", "version", ">=", 0)
    assert store.revision == 1


def test_compact_rules(store: Store) -> None:
    store.put("/a", b"1")
    store.put("/a", b"2")
    with pytest.raises(FutureRevisionError):
        store.compact(store.revision + 1)
    store.compact(2)
    assert store.compact_revision == 2
    with pytest.raises(CompactedError) as info:
        store.compact(2)
    assert info.value.requested == 2 and info.value.compact_revision == 2
    assert store.get("/a").value == b"2"


def test_closed_store_refuses_calls() -> None:
    s = Store()
    s.close()
    s.close()  # idempotent
    with pytest.raises(ClosedError):
        s.put("/a", b"1")
    with pytest.raises(ClosedError):
        s.get("/a")
