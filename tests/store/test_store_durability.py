"""Durability: reopen, snapshots, damaged WAL tails, compaction, watch across restart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.store import CompactedError, Op, Store, StoreError

from .conftest import Recorder


def _state(store: Store) -> list:
    return store.range("")[0]


def _wal_files(state_dir: Path) -> list[Path]:
    return sorted(state_dir.glob("wal-*.log"))


def _fill(store: Store, n: int, prefix: str = "/k/") -> None:
    for i in range(n):
        store.put(f"{prefix}{i % 17}", f"v{i}".encode())
        if i % 5 == 4:
            store.delete(f"{prefix}{(i * 3) % 17}")


def test_reopen_restores_state_and_revision(state_dir: Path) -> None:
    with Store(state_dir) as s:
        _fill(s, 100)
        s.txn([], [Op.put("/t/a", b"1"), Op.put("/t/b", b"2")], [])
        before, rev = _state(s), s.revision
    with Store(state_dir) as s:
        assert _state(s) == before
        assert s.revision == rev
        assert s.put("/new", b"x").mod_revision == rev + 1


def test_empty_store_reopens_at_revision_1(state_dir: Path) -> None:
    Store(state_dir).close()
    with Store(state_dir) as s:
        assert s.revision == 1 and _state(s) == []


def test_snapshot_then_more_writes_then_reopen(state_dir: Path) -> None:
    with Store(state_dir) as s:
        _fill(s, 50)
        s.snapshot()
        _fill(s, 50, "/m/")
        before, rev = _state(s), s.revision
    assert len(list(state_dir.glob("snap-*.snap"))) >= 1
    with Store(state_dir) as s:
        assert _state(s) == before
        assert s.revision == rev


def test_automatic_snapshots_rotate_and_prune_files(state_dir: Path) -> None:
    with Store(state_dir, snapshot_count=10) as s:
        _fill(s, 300)
        before, rev = _state(s), s.revision
    # Only the segments back to the second-newest snapshot are kept.
    assert len(_wal_files(state_dir)) <= 3
    assert len(list(state_dir.glob("snap-*.snap"))) <= 3
    with Store(state_dir, snapshot_count=10) as s:
        assert _state(s) == before and s.revision == rev


def test_garbage_after_last_record_is_truncated(state_dir: Path) -> None:
    with Store(state_dir) as s:
        _fill(s, 30)
        before, rev = _state(s), s.revision
    wal = _wal_files(state_dir)[-1]
    size = wal.stat().st_size
    with open(wal, "ab") as f:
        f.write(b"\x17\x00\x00\x00garbage that is not a record")
    with Store(state_dir) as s:
        assert _state(s) == before and s.revision == rev
        s.put("/after", b"1")
        after = _state(s)
    assert wal.stat().st_size > size  # the new record went where the garbage was
    with Store(state_dir) as s:
        assert _state(s) == after


def test_record_cut_in_half_is_dropped(state_dir: Path) -> None:
    with Store(state_dir) as s:
        s.put("/a", b"1")
        s.put("/b", b"2")
        before, rev = _state(s), s.revision
        s.put("/c", b"x" * 100)
    wal = _wal_files(state_dir)[-1]
    size = wal.stat().st_size
    os.truncate(wal, size - 60)
    with Store(state_dir) as s:
        assert _state(s) == before
        assert s.revision == rev
        assert s.put("/d", b"1").mod_revision == rev + 1


def test_flipped_byte_in_last_record_is_dropped(state_dir: Path) -> None:
    with Store(state_dir) as s:
        s.put("/a", b"1")
        before = _state(s)
        s.put("/b", b"payload")
    wal = _wal_files(state_dir)[-1]
    data = bytearray(wal.read_bytes())
    data[-3] ^= 0xFF
    wal.write_bytes(bytes(data))
    with Store(state_dir) as s:
        assert _state(s) == before


def test_zero_filled_tail_is_dropped(state_dir: Path) -> None:
    with Store(state_dir) as s:
        s.put("/a", b"1")
        before = _state(s)
    with open(_wal_files(state_dir)[-1], "ab") as f:
        f.write(b"\x00" * 4096)
    with Store(state_dir) as s:
        assert _state(s) == before


def test_leftover_temporary_snapshot_is_ignored(state_dir: Path) -> None:
    with Store(state_dir) as s:
        s.put("/a", b"1")
        before = _state(s)
    (state_dir / "snap-00000000000000000099.snap.tmp").write_bytes(b"half a snapshot")
    with Store(state_dir) as s:
        assert _state(s) == before
    assert not list(state_dir.glob("*.tmp"))


def test_compaction_survives_restart(state_dir: Path) -> None:
    with Store(state_dir) as s:
        _fill(s, 40)
        s.compact(20)
    with Store(state_dir) as s:
        assert s.compact_revision == 20
        with pytest.raises(CompactedError):
            s.watch("/", Recorder(), start_revision=20)
        r = Recorder()
        s.watch("/", r, start_revision=21)
        assert r.events[0].revision == 21


def test_watch_across_restart_replays_exactly_the_events_after_r(state_dir: Path) -> None:
    with Store(state_dir) as s:
        _fill(s, 20)
        r_rev = s.revision
        live = Recorder()
        s.watch("/", live, start_revision=r_rev + 1)
        _fill(s, 30)
        s.txn([], [Op.put("/t/a", b"1"), Op.delete("/k/1")], [])
        expected = live.summary()
        expected_batches = [[e.kv.key for e in b] for b in live.batches]
    assert len(expected) > 30
    with Store(state_dir) as s:
        replayed = Recorder()
        s.watch("/", replayed, start_revision=r_rev + 1)
        assert replayed.summary() == expected
        assert [[e.kv.key for e in b] for b in replayed.batches] == expected_batches
        assert [e.prev_kv for e in replayed.events] == [e.prev_kv for e in live.events]
        s.put("/later", b"1")
        assert replayed.summary()[-1] == ("PUT", "/later", b"1", s.revision)


def test_watch_across_restart_after_snapshots(state_dir: Path) -> None:
    """History survives back to the second-newest snapshot, and no further."""
    with Store(state_dir, snapshot_count=25) as s:
        _fill(s, 100)
        r_rev = s.revision - 20  # within the last snapshot_count records
        live = Recorder()
        s.watch("/", live, start_revision=r_rev + 1)
        expected = live.summary()
    with Store(state_dir, snapshot_count=25) as s:
        assert s.compact_revision <= r_rev
        replayed = Recorder()
        s.watch("/", replayed, start_revision=r_rev + 1)
        assert replayed.summary() == expected
        with pytest.raises(CompactedError):
            s.watch("/", Recorder(), start_revision=2)


def test_read_at_past_revision_after_restart(state_dir: Path) -> None:
    with Store(state_dir) as s:
        s.put("/a", b"1")
        mid = s.revision
        s.put("/a", b"2")
    with Store(state_dir) as s:
        assert s.get("/a", revision=mid).value == b"1"


def test_directory_cannot_be_opened_twice(state_dir: Path) -> None:
    with Store(state_dir), pytest.raises(StoreError, match="in use"):
        Store(state_dir)
    Store(state_dir).close()


def test_lost_middle_segment_falls_back_to_its_snapshot(state_dir: Path) -> None:
    """Damage before the last segment (a failing disk) still opens."""
    with Store(state_dir, snapshot_count=1000) as s:
        _fill(s, 20)
        s.snapshot()
        _fill(s, 20, "/m/")
        before, rev = _state(s), s.revision
    first = _wal_files(state_dir)[0]
    os.truncate(first, first.stat().st_size // 2)
    with Store(state_dir) as s:
        assert _state(s) == before and s.revision == rev


def test_writes_without_fsync_survive_a_clean_close(state_dir: Path) -> None:
    with Store(state_dir, fsync=False) as s:
        _fill(s, 50)
        before = _state(s)
    with Store(state_dir, fsync=False) as s:
        assert _state(s) == before


def test_crash_after_snapshot_before_new_segment(state_dir: Path) -> None:
    """The snapshot file exists but the segment that follows it does not."""
    with Store(state_dir) as s:
        _fill(s, 30)
        s.snapshot()
        before, rev = _state(s), s.revision
    newest = _wal_files(state_dir)[-1]
    assert newest.stat().st_size == 0
    newest.unlink()
    with Store(state_dir) as s:
        assert _state(s) == before and s.revision == rev
        _fill(s, 10, "/m/")
        after = _state(s)
    with Store(state_dir) as s:
        assert _state(s) == after


def test_crash_after_new_segment_before_snapshot_file(state_dir: Path) -> None:
    """The new segment exists but its snapshot was never written."""
    with Store(state_dir, snapshot_count=20) as s:
        _fill(s, 50)
        s.snapshot()
        _fill(s, 5, "/m/")
        before, rev = _state(s), s.revision
    newest_snap = sorted(state_dir.glob("snap-*.snap"))[-1]
    newest_snap.unlink()
    with Store(state_dir, snapshot_count=20) as s:
        assert _state(s) == before and s.revision == rev
        _fill(s, 80, "/n/")  # more rotations and pruning on top
        after, rev = _state(s), s.revision
    with Store(state_dir, snapshot_count=20) as s:
        assert _state(s) == after and s.revision == rev


def test_group_commit_and_watchers_only_see_durable_writes(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Concurrent writers share fsyncs, and no event is delivered before its fsync."""
    import threading
    import time

    from engine.store import wal as wal_module

    synced_revision = [1]
    calls = [0]
    store: Store | None = None

    def slow_fdatasync(fd: int) -> None:
        assert store is not None
        covered = store.revision  # every record appended so far is covered
        time.sleep(0.002)
        calls[0] += 1
        synced_revision[0] = max(synced_revision[0], covered)

    monkeypatch.setattr(wal_module, "_fdatasync", slow_fdatasync)
    early: list[int] = []

    def check(events: list) -> None:
        if events[0].revision > synced_revision[0]:
            early.append(events[0].revision)

    store = Store(state_dir)
    store.watch("/", check)

    def writer(n: int) -> None:
        for i in range(25):
            store.put(f"/g/{n}/{i}", b"v")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writes = store.revision - 1
    store.close()
    assert writes == 200
    assert calls[0] < writes / 2, f"{calls[0]} fsyncs for {writes} writes"
    assert early == []
    with Store(state_dir) as s:
        assert s.count("/g/") == 200
