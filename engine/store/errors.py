"""The store's exceptions, worded like etcd's so callers can map them 1:1.

The API layer turns :class:`CompactedError` into a ``410 Gone`` ("too old
resource version") exactly as kube-apiserver does for etcd's ErrCompacted, so
the message text is etcd's own.
"""

from __future__ import annotations


class StoreError(Exception):
    """Every failure the store raises on purpose derives from this."""


class CompactedError(StoreError):
    """A read or watch asked for history that compaction has dropped."""

    def __init__(self, requested: int, compact_revision: int) -> None:
        super().__init__("mvcc: required revision has been compacted")
        self.requested = requested
        self.compact_revision = compact_revision


class FutureRevisionError(StoreError):
    """A read or compaction named a revision the store has not reached yet."""

    def __init__(self, requested: int, current: int) -> None:
        super().__init__("mvcc: required revision is a future revision")
        self.requested = requested
        self.current = current


class ClosedError(StoreError):
    """The store was closed; no further reads or writes are served."""

    def __init__(self) -> None:
        super().__init__("mvcc: store is closed")
