"""Owner references: the controller of an object, and references to write.

Upstream: ``metav1.GetControllerOf``, ``metav1.NewControllerRef`` and
``pkg/controller/controller_utils.go`` (``pod-controller-uid`` index, here
``PodControllerUIDIndex`` with orphans filed per namespace).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

CONTROLLER_UID_INDEX = "podControllerUID"
ORPHAN_KEY = "_ORPHAN_POD"


def controller_of(obj: Obj) -> Obj | None:
    """``metav1.GetControllerOf``: the ownerReference with ``controller: true``."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def controller_ref(owner: Obj, api_version: str, kind: str) -> Obj:
    """``metav1.NewControllerRef``: controller and blockOwnerDeletion set."""
    m = owner["metadata"]
    return {"apiVersion": api_version, "kind": kind, "name": m["name"], "uid": m["uid"],
            "controller": True, "blockOwnerDeletion": True}


def controller_uid_index(obj: Obj) -> list[str]:
    """File an object under its controller's uid, or as an orphan of its namespace.

    Upstream files every orphan under one ``_ORPHAN_POD`` key and filters by
    namespace afterwards; filing per namespace saves that scan."""
    ref = controller_of(obj)
    if ref is not None:
        return [ref.get("uid", "")]
    return [f"{ORPHAN_KEY}/{obj['metadata'].get('namespace', '')}"]


def owned_or_orphaned_keys(indexer: Any, owner: Obj) -> list[str]:
    """The keys :func:`owned_or_orphaned` would return the objects of."""
    m = owner["metadata"]
    return [*indexer.index_keys(CONTROLLER_UID_INDEX, m["uid"]),
            *indexer.index_keys(CONTROLLER_UID_INDEX, f"{ORPHAN_KEY}/{m.get('namespace', '')}")]


def owned_or_orphaned(indexer: Any, owner: Obj) -> list[Obj]:
    """``FilterPodsByOwner``: objects ``owner`` controls, then its namespace's orphans."""
    m = owner["metadata"]
    return [*indexer.by_index(CONTROLLER_UID_INDEX, m["uid"]),
            *indexer.by_index(CONTROLLER_UID_INDEX, f"{ORPHAN_KEY}/{m.get('namespace', '')}")]
