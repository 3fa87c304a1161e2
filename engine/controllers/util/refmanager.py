"""Adoption and release by label selector.

Upstream: ``pkg/controller/controller_ref_manager.go``
(``BaseControllerRefManager.ClaimObject``, ``PodControllerRefManager``,
``ReplicaSetControllerRefManager``, ``RecheckDeletionTimestamp``). A
controller owns the objects whose controller reference names its uid; it
adopts orphans its selector matches (unless it is being deleted) and
releases objects it owns that its selector no longer matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api import errors
from engine.api.patch import STRATEGIC_MERGE_PATCH
from engine.controllers.util.owners import controller_of

Obj = dict[str, Any]
Matcher = Callable[[Obj], bool]


class ControllerRefManager:
    """Claims ``resource`` objects for ``controller`` (an apps/v1 or v1 owner)."""

    def __init__(self, client: Any, controller: Obj, matches: Matcher, resource: str,
                 api_version: str, kind: str, fresh: Callable[[], Obj | None]) -> None:
        self.client = client
        self.controller = controller
        self.matches = matches
        self.resource = resource
        self.api_version = api_version
        self.kind = kind
        self._fresh = fresh
        self._can_adopt: bool | None = None

    @property
    def uid(self) -> str:
        return self.controller["metadata"]["uid"]

    def claim(self, objs: list[Obj]) -> list[Obj]:
        """``ClaimPods`` / ``ClaimReplicaSets``: the objects that are ours now."""
        deleting = "deletionTimestamp" in self.controller["metadata"]
        claimed: list[Obj] = []
        for obj in objs:
            ref = controller_of(obj)
            if ref is not None:
                if ref.get("uid") != self.uid:
                    continue
                if self.matches(obj):
                    claimed.append(obj)
                elif not deleting:
                    self._release(obj)
                continue
            if deleting or not self.matches(obj) or "deletionTimestamp" in obj["metadata"]:
                continue
            if obj["metadata"].get("namespace") != self.controller["metadata"].get("namespace"):
                continue
            adopted = self._adopt(obj)
            if adopted is not None:
                claimed.append(adopted)
        return claimed

    def can_adopt(self) -> bool:
        """``RecheckDeletionTimestamp``: a fresh read, once, before the first adoption."""
        if self._can_adopt is None:
            fresh = self._fresh()
            self._can_adopt = (fresh is not None
                               and fresh["metadata"].get("uid") == self.uid
                               and "deletionTimestamp" not in fresh["metadata"])
        return self._can_adopt

    def _adopt(self, obj: Obj) -> Obj | None:
        if not self.can_adopt():
            return None
        m = self.controller["metadata"]
        ref = {"apiVersion": self.api_version, "kind": self.kind, "name": m["name"],
               "uid": m["uid"], "controller": True, "blockOwnerDeletion": True}
        body = {"metadata": {"ownerReferences": [ref], "uid": obj["metadata"]["uid"]}}
        return self._patch(obj, body)

    def _release(self, obj: Obj) -> None:
        body = {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": self.uid}],
                             "uid": obj["metadata"]["uid"]}}
        self._patch(obj, body)

    def _patch(self, obj: Obj, body: Obj) -> Obj | None:
        m = obj["metadata"]
        try:
            return self.client.patch(self.resource, m["name"], body, STRATEGIC_MERGE_PATCH,
                                     namespace=m.get("namespace"))
        except errors.StatusError as err:
            if err.code in (404, 409):  # gone, or uid changed: not ours to claim
                return None
            raise
