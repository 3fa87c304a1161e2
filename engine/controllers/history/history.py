"""Reading and writing a parent's ControllerRevisions.

Upstream: ``pkg/controller/history/controller_history.go`` (``realHistory``:
``ListControllerRevisions``, ``CreateControllerRevision`` with its
collision loop, ``UpdateControllerRevision``, ``DeleteControllerRevision``,
``AdoptControllerRevision``, ``ReleaseControllerRevision``). Reads come from
the shared informer's cache, indexed by controller uid so a parent's
revisions are found without scanning the namespace.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.api.patch import STRATEGIC_MERGE_PATCH
from engine.controllers.history.revision import (
    CONTROLLER_REVISION_HASH_LABEL,
    controller_revision_name,
    equal_revision,
    hash_controller_revision,
)
from engine.controllers.util.owners import (
    CONTROLLER_UID_INDEX,
    controller_of,
    controller_uid_index,
    owned_or_orphaned,
)
from engine.controllers.util.selectors import label_selector
from engine.runtime import SharedInformerFactory

Obj = dict[str, Any]
RESOURCE = "controllerrevisions"


class History:
    """``realHistory`` for one kind of parent (``apps/v1`` StatefulSet or DaemonSet)."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        self.client = client
        self.informer = factory.informer_for(
            RESOURCE, indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        self.indexer = self.informer.get_indexer()

    def list_controller_revisions(self, parent: Obj) -> list[Obj]:
        """``ListControllerRevisions``: revisions the parent's selector matches
        that it owns or that have no controller."""
        selector = label_selector((parent.get("spec") or {}).get("selector"))
        uid = parent["metadata"]["uid"]
        out = []
        for cr in owned_or_orphaned(self.indexer, parent):
            ref = controller_of(cr)
            if ref is not None and ref.get("uid") != uid:
                continue
            if selector.matches(cr["metadata"].get("labels") or {}):
                out.append(cr)
        return out

    def create_controller_revision(self, parent: Obj, revision: Obj,
                                   collision_count: int) -> tuple[Obj, int]:
        """``CreateControllerRevision``: a name collision with different data
        bumps the collision count and tries the next name; one with the same
        data returns the existing revision. Returns (revision, collision count)."""
        ns = parent["metadata"].get("namespace")
        while True:
            body = meta.deep_copy(revision)
            hash_ = hash_controller_revision(body["data"], collision_count)
            body["metadata"]["name"] = controller_revision_name(parent["metadata"]["name"], hash_)
            body["metadata"]["namespace"] = ns
            body["metadata"].setdefault("labels", {})[CONTROLLER_REVISION_HASH_LABEL] = hash_
            try:
                return self.client.create(RESOURCE, body, namespace=ns), collision_count
            except errors.StatusError as err:
                if err.reason != "AlreadyExists":
                    raise
            existing = self.client.get(RESOURCE, body["metadata"]["name"], ns)
            if equal_revision(existing, body):
                return existing, collision_count
            collision_count += 1

    def update_controller_revision(self, revision: Obj, new_revision: int) -> Obj:
        """``UpdateControllerRevision``: give ``revision`` a new number (rollback)."""
        body = meta.deep_copy(revision)
        for _ in range(5):
            if body.get("revision") == new_revision:
                return body
            body["revision"] = new_revision
            try:
                return self.client.update(RESOURCE, body)
            except errors.StatusError as err:
                if err.code != 409:
                    raise
            m = revision["metadata"]
            body = self.client.get(RESOURCE, m["name"], m.get("namespace"))
        raise errors.conflict(RESOURCE, "apps", revision["metadata"]["name"])

    def delete_controller_revision(self, revision: Obj) -> None:
        m = revision["metadata"]
        try:
            self.client.delete(RESOURCE, m["name"], namespace=m.get("namespace"))
        except errors.StatusError as err:
            if err.code != 404:
                raise

    def adopt_controller_revision(self, parent: Obj, api_version: str, kind: str,
                                  revision: Obj) -> Obj:
        """``AdoptControllerRevision``: a strategic merge patch adding the reference."""
        if controller_of(revision) is not None:
            raise ValueError(f"attempt to adopt revision owned by {controller_of(revision)}")
        m = parent["metadata"]
        ref = {"apiVersion": api_version, "kind": kind, "name": m["name"], "uid": m["uid"],
               "controller": True, "blockOwnerDeletion": True}
        body = {"metadata": {"ownerReferences": [ref],
                             "uid": revision["metadata"]["uid"]}}
        rm = revision["metadata"]
        return self.client.patch(RESOURCE, rm["name"], body, STRATEGIC_MERGE_PATCH,
                                 namespace=rm.get("namespace"))

    def release_controller_revision(self, parent: Obj, revision: Obj) -> Obj | None:
        """``ReleaseControllerRevision``: drop the parent's reference."""
        body = {"metadata": {"ownerReferences": [{"$patch": "delete",
                                                  "uid": parent["metadata"]["uid"]}],
                             "uid": revision["metadata"]["uid"]}}
        rm = revision["metadata"]
        try:
            return self.client.patch(RESOURCE, rm["name"], body, STRATEGIC_MERGE_PATCH,
                                     namespace=rm.get("namespace"))
        except errors.StatusError as err:
            if err.code in (404, 409):
                return None
            raise
