"""The write-ahead log: append under the store lock, fsync outside it.

Group commit: a writer appends its record while holding the store lock (a
plain ``os.write``, so a SIGKILL never loses it, only a power cut could) and
notes the log's logical end offset. After releasing the store lock it calls
:meth:`WAL.sync` with that offset: one thread at a time fsyncs, covering
every record appended so far, and threads whose offset is already covered
return without an fsync of their own. Offsets are logical (they keep growing across segments), so
"synced past my record" stays a single integer comparison.
"""

from __future__ import annotations

import os
import threading

from engine.store import layout
from engine.store.errors import StoreError

_fdatasync = getattr(os, "fdatasync", os.fsync)


class WAL:
    """The current WAL segment of a state directory, open for appending."""

    def __init__(self, directory: str, base: int, revision: int, *, fsync: bool) -> None:
        self.directory = directory
        self.fsync = fsync
        self.base = base
        self.records = 0  # records in the current segment
        self._fd = self._open(base)
        self._file_end = os.lseek(self._fd, 0, os.SEEK_END)
        self._end = 0  # logical offset: bytes appended since this WAL opened
        self.written = (0, revision)  # (logical end, revision of the last record)
        self.synced = 0
        self.synced_revision = revision
        self._cond = threading.Condition(threading.Lock())
        self._syncing = False  # a leader is in fsync right now
        self.error: BaseException | None = None

    def _open(self, base: int) -> int:
        path = layout.wal_path(self.directory, base)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if self.fsync:
            layout.fsync_dir(self.directory)
        return fd

    def append(self, record: bytes, revision: int) -> int:
        """Write a framed record (caller holds the store lock); return its end."""
        if self.error is not None:
            raise StoreError(f"WAL unusable after an earlier failure: {self.error}")
        try:
            view = memoryview(record)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as exc:
            self._undo_partial_write(exc)
        self._file_end += len(record)
        self._end += len(record)
        self.written = (self._end, revision)
        self.records += 1
        return self._end

    def _undo_partial_write(self, exc: OSError) -> None:
        """Cut a half-written record off so later records stay reachable."""
        try:
            os.ftruncate(self._fd, self._file_end)
        except OSError as again:
            self.error = again
        raise StoreError(f"WAL write failed: {exc}") from exc

    def sync(self, end: int) -> None:
        """Return once everything up to logical offset ``end`` is durable.

        Leader/follower: the first thread in fsyncs (without holding the
        condition's lock) everything written so far; threads arriving
        meanwhile wait, and are all woken when it finishes: those it covered
        return, one of the rest leads the next fsync."""
        if self.synced >= end:
            return
        with self._cond:
            while self.synced < end:
                if self._syncing:
                    self._cond.wait()
                    continue
                self._syncing = True
                try:
                    self._cond.release()
                    try:
                        target, revision = self._fsync_now()
                    finally:
                        self._cond.acquire()
                    self._advance(target, revision)
                finally:
                    self._syncing = False
                    self._cond.notify_all()

    def _fsync_now(self) -> tuple[int, int]:
        """fsync the segment; return the (offset, revision) it covers."""
        if self.error is not None:
            raise StoreError(f"WAL unusable after an earlier failure: {self.error}")
        target, revision = self.written
        if self.fsync:
            try:
                _fdatasync(self._fd)
            except OSError as exc:
                # After a failed fsync the kernel may have dropped the dirty
                # pages: nothing written since the last good sync is safe.
                self.error = exc
                raise StoreError(f"WAL fsync failed: {exc}") from exc
        return target, revision

    def _advance(self, target: int, revision: int) -> None:
        if target > self.synced:
            self.synced = target
            self.synced_revision = revision

    def _sync_exclusive(self) -> None:
        """Sync with no leader running (caller holds the condition)."""
        while self._syncing:
            self._cond.wait()
        self._advance(*self._fsync_now())

    def rotate(self, base: int) -> None:
        """Seal the current segment (durably) and start ``wal-<base>``."""
        with self._cond:
            self._sync_exclusive()
            os.close(self._fd)
            self._fd = self._open(base)
            self._file_end = 0
            self.base = base
            self.records = 0

    def close(self) -> None:
        """Sync and close the segment file."""
        with self._cond:
            if self._fd < 0:
                return
            try:
                if self.error is None:
                    self._sync_exclusive()
            finally:
                os.close(self._fd)
                self._fd = -1
