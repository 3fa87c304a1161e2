"""``--prune`` with an ApplySet: deleting what an earlier apply made and no file holds now.

Why ApplySet and not the legacy prune: kubectl's legacy ``--prune`` deletes
every object carrying a last-applied annotation that matches ``-l`` (or
``--all``) in the namespaces it visited, among a fixed list of kinds — so two
folders applied separately prune each other's objects, and objects in
namespaces this apply did not touch are never pruned. The ApplySet (KEP-3659,
k8s.io/kubectl ``pkg/cmd/apply/applyset.go``, the direction upstream is
taking) records membership explicitly: each object carries the label
``applyset.kubernetes.io/part-of=<id>`` and a parent object (here a Secret, as
kubectl's default) lists the group-kinds and namespaces its members live in,
so pruning lists exactly the members and deletes those no file holds.

The id is kubectl's: ``applyset-`` + base64url(sha256("<name>.<namespace>.<Kind>.<group>"))
+ ``-v1``. The parent's ``applyset.kubernetes.io/tooling`` is ``k9py/v0.1.0``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from engine.api.errors import StatusError
from engine.api.resources import RESOURCES, ResourceInfo
from engine.apply.objects import Key, object_ref
from engine.apply.ordering import deletion_order
from engine.apply.results import DELETED, ERROR, ApplyResult

PART_OF = "applyset.kubernetes.io/part-of"
ID = "applyset.kubernetes.io/id"
TOOLING = "applyset.kubernetes.io/tooling"
CONTAINS = "applyset.kubernetes.io/contains-group-kinds"
NAMESPACES = "applyset.kubernetes.io/additional-namespaces"
TOOL = "k9py/v0.1.0"

_BY_GROUP_KIND = {(r.group, r.kind): r for r in RESOURCES}


def applyset_id(name: str, namespace: str, kind: str = "Secret", group: str = "") -> str:
    """kubectl's ``ApplySet.ID()``."""
    digest = hashlib.sha256(".".join((name, namespace, kind, group)).encode()).digest()
    return "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"


def group_kind(group: str, kind: str) -> str:
    return f"{kind}.{group}" if group else kind


class ApplySet:
    """The parent Secret and its members, through the client interface."""

    def __init__(self, client: Any, name: str, namespace: str, *, dry_run: bool = False,
                 now: Callable[[], float]) -> None:
        self.client = client
        self.name = name
        self.namespace = namespace
        self.dry_run = dry_run
        self.now = now
        self.id = applyset_id(name, namespace)

    @property
    def labels(self) -> dict[str, str]:
        """What each member carries."""
        return {PART_OF: self.id}

    # -- the parent -----------------------------------------------------------------
    def parent(self) -> dict[str, Any] | None:
        try:
            return self.client.get("secrets", self.name, self.namespace)
        except StatusError as err:
            if err.code == 404:
                return None
            raise

    def recorded(self) -> tuple[set[str], set[str]]:
        """Group-kinds and namespaces the parent lists."""
        parent = self.parent()
        notes = ((parent or {}).get("metadata") or {}).get("annotations") or {}
        kinds = {k for k in notes.get(CONTAINS, "").split(",") if k}
        spaces = {n for n in notes.get(NAMESPACES, "").split(",") if n}
        return kinds, spaces | {self.namespace}

    def record(self, keys: Iterable[Key], *, exact: bool = False) -> None:
        """Make the parent list ``keys``' group-kinds and namespaces (added to
        what it lists, or exactly them after a prune), as kubectl does around
        an apply so a crash in between never hides a member."""
        kinds = {group_kind(g, k) for g, k, _, _ in keys}
        spaces = {ns for _, _, ns, _ in keys if ns}
        if not exact:
            old_kinds, old_spaces = self.recorded()
            kinds, spaces = kinds | old_kinds, spaces | old_spaces
        spaces.discard(self.namespace)
        notes = {TOOLING: TOOL, CONTAINS: ",".join(sorted(kinds)),
                 NAMESPACES: ",".join(sorted(spaces))}
        self._write_parent(notes)

    def _write_parent(self, notes: dict[str, str]) -> None:
        if self.dry_run:
            return
        meta = {"name": self.name, "namespace": self.namespace, "labels": {ID: self.id},
                "annotations": notes}
        if self.parent() is None:
            self.client.create("secrets", {"apiVersion": "v1", "kind": "Secret",
                                           "metadata": meta, "type": "Opaque"},
                               namespace=self.namespace)
        else:
            self.client.patch("secrets", self.name, {"metadata": meta},
                              "application/merge-patch+json", namespace=self.namespace)

    # -- pruning -----------------------------------------------------------------------
    def members(self) -> list[tuple[ResourceInfo, dict[str, Any]]]:
        """Every live object labelled as a member, in the kinds and namespaces recorded."""
        kinds, spaces = self.recorded()
        found = []
        for gk in sorted(kinds):
            kind, _, group = gk.partition(".")
            info = _BY_GROUP_KIND.get((group, kind))
            if info is None:
                continue
            for ns in (sorted(spaces) if info.namespaced else [None]):
                items = self.client.list(info, ns, label_selector=f"{PART_OF}={self.id}")
                found.extend((info, obj) for obj in items.get("items", []))
        return found

    def prune(self, keep: set[Key], origin: dict[Key, str] | None = None
              ) -> list[ApplyResult]:
        """Delete members not in ``keep``; then the parent lists exactly ``keep``.

        ``origin`` names the file each object came from, for the log.
        """
        origin = origin or {}
        doomed = []
        for info, obj in self.members():
            meta = obj.get("metadata", {})
            key = (info.group, info.kind, meta.get("namespace", "") if info.namespaced else "",
                   meta.get("name", ""))
            if key not in keep and not meta.get("deletionTimestamp"):
                doomed.append((info.kind, (info, key)))
        results = [self._delete(info, key, origin.get(key, ""))
                   for info, key in deletion_order(doomed)]
        if not any(r.action == ERROR for r in results):
            self.record(keep, exact=True)
        return results

    def _delete(self, info: ResourceInfo, key: Key, source: str) -> ApplyResult:
        _, _, ns, name = key
        ref = object_ref(info, name)
        suffix = " (server dry run)" if self.dry_run else ""
        try:
            self.client.delete(info, name, namespace=ns or None,
                               propagation_policy="Background", dry_run=self.dry_run)
        except StatusError as err:
            if err.code != 404:
                return ApplyResult(self.now(), source, ERROR,
                                   f"error pruning {ref}: {err.message}", ref, ns)
        return ApplyResult(self.now(), source, DELETED, f"{ref} pruned{suffix}", ref, ns,
                           dry_run=self.dry_run)
