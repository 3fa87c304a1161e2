"""Finalizer helpers shared by the protection controllers.

Upstream: ``pkg/controller/volume/protectionutil/utils.go``
(``IsDeletionCandidate``, ``NeedToAddFinalizer``) and the controllers'
``addFinalizer``/``removeFinalizer`` (a plain Update of a deep copy).
"""

from __future__ import annotations

import copy
from typing import Any

from engine.api import errors

Obj = dict[str, Any]


def is_deletion_candidate(obj: Obj, finalizer: str) -> bool:
    """Deleted, and still held by ``finalizer``."""
    meta = obj["metadata"]
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or ())


def need_to_add_finalizer(obj: Obj, finalizer: str) -> bool:
    """Not deleted, and missing ``finalizer``."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") and finalizer not in (meta.get("finalizers") or ())


def with_finalizer(obj: Obj, finalizer: str) -> Obj:
    new = copy.deepcopy(obj)
    new["metadata"]["finalizers"] = [*(new["metadata"].get("finalizers") or ()), finalizer]
    return new


def without_finalizer(obj: Obj, finalizer: str) -> Obj:
    new = copy.deepcopy(obj)
    new["metadata"]["finalizers"] = [f for f in new["metadata"].get("finalizers") or ()
                                     if f != finalizer]
    return new


def update(client: Any, resource: str, obj: Obj) -> None:
    """Update; an object already gone is not an error (nothing left to protect).
    A conflict raises, so the key is retried with a fresh copy from the cache."""
    try:
        client.update(resource, obj)
    except errors.StatusError as err:
        if err.code != 404:
            raise
