"""File names in a state directory and the small filesystem helpers.

* ``wal-<base>.log``: a WAL segment holding records with revision > base,
  where base is the revision of the snapshot taken when it was started
  (or 1, the empty store, for the first segment);
* ``snap-<rev>.snap``: the live state at revision ``rev``.

Numbers are zero-padded decimal so names sort in revision order.
"""

from __future__ import annotations

import contextlib
import os

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]

from engine.store.errors import StoreError
from engine.store.mvcc import INITIAL_REVISION

_WAL_PREFIX, _WAL_SUFFIX = "wal-", ".log"
_SNAP_PREFIX, _SNAP_SUFFIX = "snap-", ".snap"


def wal_path(directory: str, base: int) -> str:
    return os.path.join(directory, f"{_WAL_PREFIX}{base:020d}{_WAL_SUFFIX}")


def snap_path(directory: str, revision: int) -> str:
    return os.path.join(directory, f"{_SNAP_PREFIX}{revision:020d}{_SNAP_SUFFIX}")


def _numbers(directory: str, prefix: str, suffix: str) -> list[int]:
    out = []
    for name in os.listdir(directory):
        if name.startswith(prefix) and name.endswith(suffix):
            digits = name[len(prefix) : -len(suffix)]
            if digits.isdigit():
                out.append(int(digits))
    return sorted(out)


def segments(directory: str) -> list[int]:
    """Bases of the WAL segments present, ascending."""
    return _numbers(directory, _WAL_PREFIX, _WAL_SUFFIX)


def snapshots(directory: str) -> list[int]:
    """Revisions of the snapshot files present, ascending."""
    return _numbers(directory, _SNAP_PREFIX, _SNAP_SUFFIX)


def remove_temporaries(directory: str) -> None:
    """Delete half-written snapshot files left by a crash."""
    for name in os.listdir(directory):
        if name.endswith(".tmp"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(directory, name))


def lock_directory(directory: str) -> int:
    """Take an exclusive lock on the directory so two stores cannot share it.

    ``flock`` locks die with the process, so a crash never leaves a stale
    lock behind. Returns the descriptor to pass to :func:`unlock_directory`.
    """
    fd = os.open(os.path.join(directory, "LOCK"), os.O_RDWR | os.O_CREAT, 0o644)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"state directory {directory} is in use by another store") from exc
    return fd


def unlock_directory(fd: int) -> None:
    os.close(fd)


def fsync_dir(directory: str) -> None:
    """Make renames, creations and removals in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(directory: str, keep: int, *, fsync: bool) -> None:
    """Drop segments and snapshots older than the ``keep``-th newest base.

    A base is a segment start that recovery can load: the empty store, or a
    segment whose snapshot file exists. Recovery starts at the oldest
    surviving segment, so it must always be such a base; deleting oldest
    first keeps that true even if a crash interrupts the removals.
    """
    snaps = snapshots(directory)
    have = set(snaps)
    bases = [b for b in segments(directory) if b == INITIAL_REVISION or b in have]
    if len(bases) <= keep:
        return
    oldest = bases[-keep]
    for base in segments(directory):
        if base < oldest:
            os.unlink(wal_path(directory, base))
    for rev in snaps:
        if rev < oldest:
            os.unlink(snap_path(directory, rev))
    if fsync:
        fsync_dir(directory)
