"""An etcd-v3-like MVCC key-value store with watch, compaction and durability.

The API layer keeps every object here as JSON bytes under
``/registry/<resource>/...`` keys, as kube-apiserver does in etcd.

Semantics follow etcd's ``server/storage/mvcc``:

* Revisions: an empty store is at revision 1; each write takes the next one
  (a txn's writes all share one). ``version`` is 1 on create, +1 per update
  and starts again at 1 when a deleted key is re-created.
* History: every event since the last compaction is kept in memory (a list
  of :class:`Event`, each with its ``prev_kv``) to serve watches from a past
  revision and reads at a past revision. :meth:`Store.compact` drops it.
* Durability (``state_dir`` given): each write is one CRC-framed WAL record,
  fsynced before the call returns (group commit). Every ``snapshot_count``
  records the live state is written to a snapshot file and a new WAL segment
  starts; segments are kept back to the second-newest snapshot, and recovery
  replays them from there, so after a restart history reaches back at least
  ``snapshot_count`` records (the compact revision becomes that snapshot's
  revision if it was older). A torn WAL tail is truncated on open.
* Watch callbacks run synchronously after the write is durable, in revision
  order, never concurrently for one watcher, outside the store lock. Unlike
  etcd, a concurrent read or watch replay can see a write in the short window
  between its WAL append and the end of its fsync; a crash in that window
  loses it (it was never acknowledged), and its revision may be reused.
"""

from engine.store.errors import ClosedError, CompactedError, FutureRevisionError, StoreError
from engine.store.model import Compare, Event, KeyValue, Op
from engine.store.store import Store
from engine.store.watch import Watcher

__all__ = [
    "ClosedError",
    "Compare",
    "CompactedError",
    "Event",
    "FutureRevisionError",
    "KeyValue",
    "Op",
    "Store",
    "StoreError",
    "Watcher",
]
