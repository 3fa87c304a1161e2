"""The informer cache: objects by key, plus secondary indices.

Upstream: k8s.io/client-go ``tools/cache/thread_safe_store.go`` and
``index.go``. An index function maps an object to the values it is filed
under (the ``namespace`` index files a pod under its namespace); ``by_index``
then answers "every pod in namespace X" or "every pod on node Y" without a scan.

Unlike upstream there is no lock: the cache is confined to the engine loop.
Objects are the watch's shared dicts, stored without copying; callers must
treat them as read-only. Index buckets are insertion-ordered dicts rather
than sets, so iteration order never depends on string hashing and runs are
reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]
IndexFunc = Callable[[Obj], Iterable[str]]
KeyFunc = Callable[[Obj], str]

NAMESPACE_INDEX = "namespace"


def meta_namespace_index_func(obj: Obj) -> list[str]:
    """``MetaNamespaceIndexFunc``: file an object under its namespace."""
    return [obj["metadata"].get("namespace") or ""]


class Indexer:
    """``cache.Indexer``: a keyed store with named indices."""

    def __init__(
        self, key_func: KeyFunc = meta_namespace_key, indexers: dict[str, IndexFunc] | None = None
    ) -> None:
        self.key_func = key_func
        self._items: dict[str, Obj] = {}
        self._indexers: dict[str, IndexFunc] = {}
        self._indices: dict[str, dict[str, dict[str, None]]] = {}
        self.resource_version = ""
        # ``get_by_key`` is the dict's own ``get``: controllers call it once per
        # pod of a 10,000-pod ReplicaSet on every sync; ``_items`` is never rebound.
        self.get_by_key = self._items.get  # type: ignore[method-assign]
        self.add_indexers(indexers or {})

    # -- Store interface (what a Reflector writes to) ------------------------------
    def add(self, obj: Obj) -> None:
        self.put(self.key_func(obj), obj)

    def update(self, obj: Obj) -> None:
        self.put(self.key_func(obj), obj)

    def delete(self, obj: Obj) -> None:
        self.pop(self.key_func(obj))

    def replace(self, items: list[Obj], resource_version: str) -> None:
        """Swap the whole contents for a fresh list (a relist)."""
        self._items.clear()
        for name in self._indices:
            self._indices[name] = {}
        for obj in items:
            self.put(self.key_func(obj), obj)
        self.resource_version = resource_version

    # -- keyed access ------------------------------------------------------------------
    def put(self, key: str, obj: Obj) -> Obj | None:
        """Store ``obj`` under ``key``; the previous object, if any."""
        old = self._items.get(key)
        self._items[key] = obj
        if self._indexers:
            self._update_indices(key, old, obj)
        return old

    def pop(self, key: str) -> Obj | None:
        """Remove ``key``; the object it held, if any."""
        old = self._items.pop(key, None)
        if old is not None and self._indexers:
            self._update_indices(key, old, None)
        return old

    def get_by_key(self, key: str) -> Obj | None:
        return self._items.get(key)

    def get(self, obj: Obj) -> Obj | None:
        return self._items.get(self.key_func(obj))

    def list(self) -> list[Obj]:
        return list(self._items.values())

    def list_keys(self) -> list[str]:
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    # -- indices ---------------------------------------------------------------------
    def add_indexers(self, indexers: dict[str, IndexFunc]) -> None:
        """Register more index functions, indexing what is already stored.

        Upstream refuses once the informer has started; rebuilding here is
        cheap and saves late-created controllers an ordering constraint."""
        for name, func in indexers.items():
            if name in self._indexers:
                if self._indexers[name] is not func:
                    raise ValueError(f"indexer conflict: {name}")
                continue
            self._indexers[name] = func
            bucket: dict[str, dict[str, None]] = {}
            for key, obj in self._items.items():
                for value in func(obj):
                    bucket.setdefault(value, {})[key] = None
            self._indices[name] = bucket

    def get_indexers(self) -> dict[str, IndexFunc]:
        return dict(self._indexers)

    def has_index(self, index_name: str) -> bool:
        return index_name in self._indexers

    def index_keys(self, index_name: str, value: str) -> list[str]:
        """Keys of the objects filed under ``value`` in ``index_name``."""
        return list(self._index(index_name).get(value, ()))

    def by_index(self, index_name: str, value: str) -> list[Obj]:
        """Objects filed under ``value`` in ``index_name``."""
        items = self._items
        return [items[k] for k in self._index(index_name).get(value, ())]

    def index(self, index_name: str, obj: Obj) -> list[Obj]:
        """Objects sharing any of ``obj``'s values in ``index_name``."""
        bucket = self._index(index_name)
        keys: dict[str, None] = {}
        for value in self._indexers[index_name](obj):
            keys.update(bucket.get(value, {}))
        return [self._items[k] for k in keys]

    def list_index_func_values(self, index_name: str) -> list[str]:
        return list(self._index(index_name))

    def _index(self, index_name: str) -> dict[str, dict[str, None]]:
        try:
            return self._indices[index_name]
        except KeyError:
            raise KeyError(f"index with name {index_name} does not exist") from None

    def _update_indices(self, key: str, old: Obj | None, new: Obj | None) -> None:
        for name, func in self._indexers.items():
            old_values = func(old) if old is not None else ()
            new_values = func(new) if new is not None else ()
            if old_values == new_values:
                continue
            bucket = self._indices[name]
            for value in old_values:
                keys = bucket.get(value)
                if keys is not None:
                    keys.pop(key, None)
                    if not keys:
                        del bucket[value]
            for value in new_values:
                bucket.setdefault(value, {})[key] = None
