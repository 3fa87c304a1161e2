"""Listers inside the API server, for admission plugins.

kube-apiserver's admission plugins read other objects (limit ranges, quotas,
service accounts, priority classes) from shared informers, not from etcd on
every request. Here a lister is a dict kept current by the watch cache; the
store calls the watch cache synchronously after each write, so a lister is
never behind the write that just returned. Objects are shared: read only.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from engine.api import meta
from engine.api.resources import ResourceInfo
from engine.api.watchcache import WatchEvent

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]

# Generations come from one counter for all listers, so a generation names one
# state of one lister: a lister made afresh never repeats an old one's number.
_GENERATIONS = itertools.count(1)


class APILister:
    """Current objects of one resource, by namespace and name."""

    def __init__(self, api: APIServer, info: ResourceInfo) -> None:
        self.info = info
        # Changes whenever the lister's content may have changed (memos of
        # decisions made from this lister key on it).
        self.generation = next(_GENERATIONS)
        self._by_ns: dict[str, dict[str, Obj]] = {}
        kvs, revision, _ = api.store.range(info.key_prefix)
        for kv in kvs:
            self._put(meta.decode(kv.value, kv.mod_revision))
        self._watch = api.cache.watch(info, info.key_prefix, None, since=revision, initial=None,
                                      bookmarks=False, sink=self._apply)

    def _put(self, obj: Obj) -> None:
        self._by_ns.setdefault(meta.namespace_of(obj), {})[meta.name_of(obj)] = obj

    def _apply(self, event: WatchEvent) -> None:
        if event.type in ("ADDED", "MODIFIED", "DELETED"):
            self.generation = next(_GENERATIONS)
        if event.type == "DELETED":
            self._by_ns.get(meta.namespace_of(event.object), {}).pop(
                meta.name_of(event.object), None)
        elif event.type in ("ADDED", "MODIFIED"):
            self._put(event.object)

    def list(self, namespace: str | None = None) -> list[Obj]:
        """Objects in ``namespace`` (all namespaces when None), sorted by name."""
        if namespace is not None or not self.info.namespaced:
            objs = self._by_ns.get(namespace or "", {})
            return [objs[k] for k in sorted(objs)]
        return [o for ns in sorted(self._by_ns) for o in self.list(ns)]

    def get(self, name: str, namespace: str | None = None) -> Obj | None:
        return self._by_ns.get(namespace or "", {}).get(name)

    def stop(self) -> None:
        self._watch.stop()
