"""The durable side of a store: directory lock, WAL, snapshots, pruning.

:class:`engine.store.Store` calls :meth:`Disk.log` and :meth:`Disk.after_apply`
while holding its lock and :meth:`Disk.finish` after releasing it, so the
only disk work done under the store lock is one ``write`` per commit (plus,
every ``snapshot_count`` records, sealing the segment). Encoding and writing
the snapshot file happens afterwards, in the writer that triggered it.
"""

from __future__ import annotations

import os
import threading

from engine.store import layout, snapshot
from engine.store.model import KeyValue
from engine.store.mvcc import MVCC
from engine.store.recovery import recover
from engine.store.wal import WAL

# Segments are kept back to the second-newest snapshot, so after a restart
# history (for watches) reaches back at least ``snapshot_count`` records.
KEEP_BASES = 2

_Job = tuple[int, int, list[KeyValue]]  # revision, compact revision, live values


class Disk:
    """An open state directory. Create with :meth:`open`."""

    def __init__(
        self, directory: str, lock_fd: int, wal: WAL, *, snapshot_count: int, fsync: bool
    ) -> None:
        self.directory = directory
        self.wal = wal
        self.fsync = fsync
        self.snapshot_count = snapshot_count
        self._lock_fd = lock_fd
        self._job: _Job | None = None
        self._job_lock = threading.Lock()  # guards _job
        self._write_lock = threading.Lock()  # one snapshot writer at a time

    @classmethod
    def open(cls, directory: str, *, snapshot_count: int, fsync: bool) -> tuple[Disk, MVCC]:
        """Lock the directory (creating it if needed) and recover its state."""
        os.makedirs(directory, exist_ok=True)
        lock_fd = layout.lock_directory(directory)
        try:
            state, base, records = recover(directory)
            wal = WAL(directory, base, state.revision, fsync=fsync)
        except BaseException:
            layout.unlock_directory(lock_fd)
            raise
        wal.records = records
        disk = cls(directory, lock_fd, wal, snapshot_count=snapshot_count, fsync=fsync)
        return disk, state

    def log(self, record: bytes, revision: int) -> int:
        """Append a framed record (store lock held); return its WAL end offset."""
        return self.wal.append(record, revision)

    def after_apply(self, state: MVCC) -> None:
        """Rotate if this segment is full (store lock held, state applied)."""
        if self.wal.records >= self.snapshot_count:
            self.rotate(state)

    def rotate(self, state: MVCC) -> None:
        """Seal the segment, start one at the current revision, queue a snapshot.

        Only the cheap part runs here, under the store lock: an fsync of the
        old segment and a copy of the list of live values (they are
        immutable, so the copy is a consistent snapshot)."""
        if self.wal.base != state.revision:
            self.wal.rotate(state.revision)
        job = (state.revision, state.compact_revision, list(state.kvs.values()))
        with self._job_lock:
            self._job = job

    def finish(self, end: int) -> int | None:
        """After the store lock: make the log durable up to ``end``, write a
        queued snapshot. Returns the durable revision (None: not tracked)."""
        durable = None
        if self.fsync:
            self.wal.sync(end)
            durable = self.wal.synced_revision
        if self._job is not None:
            self.write_snapshot(wait=False)
        return durable

    def write_snapshot(self, *, wait: bool = True) -> None:
        """Write the queued snapshot, then drop files no longer needed.

        Writers pass ``wait=False``: if another thread is writing a snapshot
        they go on (a job queued meanwhile is taken by a later write, or by
        close) instead of stalling behind the file write."""
        if not self._write_lock.acquire(blocking=wait):
            return
        try:
            with self._job_lock:
                job, self._job = self._job, None
            if job is not None:
                self._write(*job)
        finally:
            self._write_lock.release()

    def _write(self, revision: int, compact_revision: int, kvs: list[KeyValue]) -> None:
        data = snapshot.encode(revision, compact_revision, kvs)
        snapshot.write(layout.snap_path(self.directory, revision), data, fsync=self.fsync)
        if self.fsync:
            layout.fsync_dir(self.directory)
        layout.prune(self.directory, KEEP_BASES, fsync=self.fsync)

    def close(self) -> None:
        """Sync and close the WAL, write a queued snapshot, unlock the directory.

        The caller guarantees no further appends (the store is marked closed)."""
        try:
            self.wal.close()
            self.write_snapshot()
        finally:
            layout.unlock_directory(self._lock_fd)
