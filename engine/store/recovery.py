"""Opening a state directory: load the base snapshot, replay the WAL.

Recovery starts at the oldest WAL segment, whose base is always loadable (the
empty store, or a snapshot kept for it by :func:`layout.prune`), and replays
every segment in order. Replaying rather than loading the newest snapshot
rebuilds the event history too, so watches from any revision after the base
keep working across a restart; the base itself becomes the compact revision.

A torn or corrupt tail of the last segment (a crash mid-append, or garbage)
is truncated away: such a record was never fsynced, so never acknowledged.
Damage anywhere else (which fsync ordering rules out short of a failing
disk) is skipped by jumping to the next segment's snapshot, so opening a
store never needs manual repair.
"""

from __future__ import annotations

import logging
import os

from engine.store import codec, layout, snapshot
from engine.store.errors import StoreError
from engine.store.mvcc import INITIAL_REVISION, MVCC, make_delete, make_put

log = logging.getLogger(__name__)


def load_base(directory: str, base: int) -> MVCC | None:
    """The state at a segment's base, or None if its snapshot is unusable."""
    if base == INITIAL_REVISION:
        return MVCC()
    try:
        snap = snapshot.read(layout.snap_path(directory, base))
    except (OSError, ValueError) as exc:
        log.warning("store: snapshot at revision %d unusable: %s", base, exc)
        return None
    # History before the snapshot is gone, so it is the compaction point.
    state = MVCC(snap.revision, max(snap.compact_revision, snap.revision))
    state.load(snap.kvs)
    return state


def newest_snapshot(directory: str) -> MVCC | None:
    """The newest loadable snapshot's state (for a directory without a WAL)."""
    for rev in reversed(layout.snapshots(directory)):
        state = load_base(directory, rev)
        if state is not None:
            return state
    return None


def apply_record(state: MVCC, payload: bytes) -> None:
    """Replay one WAL record onto ``state`` (records already in it are skipped)."""
    kind, revision, ops = codec.decode(payload)
    if kind == codec.COMPACT:
        if revision > state.compact_revision:
            state.compact(min(revision, state.revision))
        return
    if revision <= state.revision:
        return
    events = []
    for op, key, value in ops:
        prev = state.kvs.get(key)
        if op == codec.OP_PUT:
            events.append(make_put(key, value, revision, prev))
        elif prev is not None:
            events.append(make_delete(prev, revision))
    state.apply(events, revision)


def replay_segment(directory: str, base: int, state: MVCC, *, last: bool) -> int:
    """Apply one segment's intact records; return how many there were."""
    path = layout.wal_path(directory, base)
    with open(path, "rb") as f:
        data = f.read()
    good, count = 0, 0
    for payload, end in codec.scan(data):
        try:
            apply_record(state, payload)
        except (ValueError, IndexError, UnicodeDecodeError):
            break
        good, count = end, count + 1
    if good < len(data):
        log.warning("store: dropping %d damaged bytes at the end of %s", len(data) - good, path)
        if last:
            os.truncate(path, good)
    return count


def at_boundary(directory: str, base: int, state: MVCC | None) -> MVCC | None:
    """The state to replay segment ``base`` onto.

    Normally the previous segment ended exactly at ``base``. If it did not
    (damage), restart from this segment's snapshot; failing that, keep going
    with revisions moved past ``base`` so they stay monotonic.
    """
    if state is not None and state.revision == base:
        return state
    fresh = load_base(directory, base)
    if fresh is not None or state is None:
        return fresh
    log.warning("store: WAL gap before revision %d; continuing without it", base)
    state.revision = max(state.revision, base)
    state.compact(state.revision)
    return state


def recover(directory: str) -> tuple[MVCC, int, int]:
    """``(state, base of the last segment, records in it)`` for a directory.

    The last segment is created (empty) if the directory has none.
    """
    os.makedirs(directory, exist_ok=True)
    layout.remove_temporaries(directory)
    bases = layout.segments(directory)
    if not bases:
        fresh = newest_snapshot(directory) or MVCC()
        return fresh, fresh.revision, 0
    state: MVCC | None = None
    count = 0
    for i, base in enumerate(bases):
        state = at_boundary(directory, base, state)
        if state is not None:
            last = i == len(bases) - 1
            count = replay_segment(directory, base, state, last=last)
    if state is None:
        raise StoreError(f"no usable snapshot or WAL in {directory}")
    return state, bases[-1], count
