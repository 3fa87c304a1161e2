"""Object keys and deletion tombstones.

Upstream: k8s.io/client-go ``tools/cache/store.go`` (``MetaNamespaceKeyFunc``,
``SplitMetaNamespaceKey``) and ``delta_fifo.go`` (``DeletedFinalStateUnknown``,
``DeletionHandlingMetaNamespaceKeyFunc``). Keys are ``namespace/name`` for
namespaced objects and ``name`` for cluster-scoped ones, as
``pkg/controller.KeyFunc`` uses; controllers queue keys, never objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeletedFinalStateUnknown:
    """What ``on_delete`` receives when a deletion was missed (the object was
    gone from a relist): the key and the last state the cache had."""

    key: str
    obj: Obj


def meta_namespace_key(obj: Obj) -> str:
    """``namespace/name``, or ``name`` for cluster-scoped objects."""
    m = obj["metadata"]
    ns = m.get("namespace")
    return f"{ns}/{m['name']}" if ns else m["name"]


def deletion_handling_key(obj: Obj | DeletedFinalStateUnknown) -> str:
    """The key of an object or of a tombstone (``DeletionHandlingMetaNamespaceKeyFunc``)."""
    if isinstance(obj, DeletedFinalStateUnknown):
        return obj.key
    return meta_namespace_key(obj)


def split_meta_namespace_key(key: str) -> tuple[str, str]:
    """``(namespace, name)``; namespace is "" for cluster-scoped keys."""
    parts = key.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f'unexpected key format: "{key}"')


def tombstone_object(obj: Obj | DeletedFinalStateUnknown) -> Obj:
    """The object inside a tombstone, or the object itself."""
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
