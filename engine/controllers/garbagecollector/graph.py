"""The dependency graph: every object with owners or dependents, by uid.

Upstream: ``pkg/controller/garbagecollector/graph.go`` (``node``) and
``graph_builder.go`` (``GraphBuilder.processGraphChanges``,
``addDependentToOwners``, ``processTransitions``). Informers over every
deletable resource feed the graph; an owner referenced before it is seen
gets a *virtual* node, which the collector verifies against the API.
Changes that may make an object garbage put it on the attempt-to-delete
queue; an owner deleted with the ``orphan`` finalizer goes to the
attempt-to-orphan queue.

Upstream processes changes from one queue on one goroutine; here the
informer handlers apply them inline, on the engine loop, in event order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from engine.api.deletion import FOREGROUND, ORPHAN

Obj = dict[str, Any]

ABSENT_OWNER_CACHE_SIZE = 500


class Identity(NamedTuple):
    """``objectReference``: an owner reference's coordinates plus a namespace."""

    api_version: str
    kind: str
    namespace: str
    name: str
    uid: str


@dataclass(eq=False)
class Node:
    identity: Identity
    owners: list[Obj] = field(default_factory=list)
    dependents: dict[Node, None] = field(default_factory=dict)
    deleting_dependents: bool = False
    being_deleted: bool = False
    virtual: bool = False

    def blocking_dependents(self) -> list[Node]:
        """Dependents whose reference to this node has blockOwnerDeletion."""
        uid = self.identity.uid
        return [dep for dep in self.dependents
                if any(o.get("uid") == uid and o.get("blockOwnerDeletion") for o in dep.owners)]


def being_deleted(obj: Obj) -> bool:
    return "deletionTimestamp" in obj["metadata"]


def has_finalizer(obj: Obj, name: str) -> bool:
    return name in (obj["metadata"].get("finalizers") or ())


def identity_of(obj: Obj, api_version: str, kind: str) -> Identity:
    m = obj["metadata"]
    return Identity(api_version, kind, m.get("namespace") or "", m["name"], m["uid"])


def owner_identity(ref: Obj, namespace: str) -> Identity:
    return Identity(ref.get("apiVersion", ""), ref.get("kind", ""), namespace,
                    ref.get("name", ""), ref.get("uid", ""))


def _references_diff(old: list[Obj], new: list[Obj]) -> tuple[list[Obj], list[Obj], list[Obj]]:
    """``referencesDiffs``: added, removed, and changed (old versions of) references."""
    old_by = {r.get("uid"): r for r in old}
    new_by = {r.get("uid"): r for r in new}
    added = [r for u, r in new_by.items() if u not in old_by]
    removed = [r for u, r in old_by.items() if u not in new_by]
    changed = [r for u, r in old_by.items() if u in new_by and new_by[u] != r]
    return added, removed, changed


class GraphBuilder:
    """``GraphBuilder``: keeps ``nodes`` current and queues work."""

    def __init__(self, attempt_to_delete: Callable[[Node], None],
                 attempt_to_orphan: Callable[[Node], None]) -> None:
        self.nodes: dict[str, Node] = {}
        self.absent_owners: dict[Identity, None] = {}
        self.attempt_to_delete = attempt_to_delete
        self.attempt_to_orphan = attempt_to_orphan

    # -- informer events ---------------------------------------------------------------------
    def on_upsert(self, old: Obj | None, obj: Obj, ident: Identity) -> None:
        node = self.nodes.get(ident.uid)
        if node is not None and node.virtual:
            self._observe(node, ident)
        owners = list(obj["metadata"].get("ownerReferences") or ())
        if node is None:
            node = Node(ident, owners,
                        deleting_dependents=being_deleted(obj) and has_finalizer(obj, FOREGROUND),
                        being_deleted=being_deleted(obj))
            self.nodes[ident.uid] = node
            self._add_dependent_to_owners(node, owners)
        else:
            # Equal lists have no reference added, removed or changed: most
            # updates (status writes) leave the references as they were.
            added, removed, changed = ([], [], []) if node.owners == owners else \
                _references_diff(node.owners, owners)
            if added or removed or changed:
                self._unblocked_owners(removed, changed)
                node.owners = owners
                self._add_dependent_to_owners(node, added)
                self._remove_dependent_from_owners(node, removed)
            if being_deleted(obj):
                node.being_deleted = True
        self._transitions(old, obj, node)

    def on_delete(self, obj: Obj, ident: Identity) -> None:
        node = self.nodes.get(ident.uid)
        if node is None:
            return
        self._remove(node, ident)

    def virtual_delete(self, ident: Identity) -> None:
        """``enqueueVirtualDeleteEvent``: the API says this owner is gone."""
        node = self.nodes.get(ident.uid)
        if node is None:
            return
        if not node.virtual and node.identity != ident:
            matching = [d for d in node.dependents if _refers_as(d, ident)]
            if matching:
                self.mark_absent(ident)
                for dep in matching:
                    self.attempt_to_delete(dep)
            return
        self._remove(node, ident)

    # -- helpers ------------------------------------------------------------------------------------
    def _observe(self, node: Node, ident: Identity) -> None:
        """A virtual node seen by an informer becomes real (``markObserved``)."""
        if node.identity != ident:
            for dep in list(node.dependents):
                if not _refers_as(dep, ident):
                    self.attempt_to_delete(dep)
            node.identity = ident
        node.virtual = False

    def _remove(self, node: Node, ident: Identity) -> None:
        self.nodes.pop(node.identity.uid, None)
        self._remove_dependent_from_owners(node, node.owners)
        if node.dependents:
            self.mark_absent(ident)
        for dep in node.dependents:
            self.attempt_to_delete(dep)
        for ref in node.owners:
            owner = self.nodes.get(ref.get("uid", ""))
            if owner is not None and owner.deleting_dependents:
                self.attempt_to_delete(owner)

    def mark_absent(self, ident: Identity) -> None:
        self.absent_owners[ident] = None
        while len(self.absent_owners) > ABSENT_OWNER_CACHE_SIZE:
            del self.absent_owners[next(iter(self.absent_owners))]

    def _add_dependent_to_owners(self, node: Node, owners: list[Obj]) -> None:
        for ref in owners:
            owner = self.nodes.get(ref.get("uid", ""))
            if owner is None:
                owner = Node(owner_identity(ref, node.identity.namespace), virtual=True)
                self.nodes[owner.identity.uid] = owner
                owner.dependents[node] = None
                self.attempt_to_delete(owner)  # verify it exists
                continue
            owner.dependents[node] = None

    def _remove_dependent_from_owners(self, node: Node, owners: list[Obj]) -> None:
        for ref in owners:
            owner = self.nodes.get(ref.get("uid", ""))
            if owner is not None:
                owner.dependents.pop(node, None)

    def _unblocked_owners(self, removed: list[Obj], changed: list[Obj]) -> None:
        """``addUnblockedOwnersToDeleteQueue``: an owner waiting in foreground
        deletion may finish when a blocking reference goes away."""
        for ref in [*removed, *changed]:
            if not ref.get("blockOwnerDeletion"):
                continue
            owner = self.nodes.get(ref.get("uid", ""))
            if owner is not None and owner.deleting_dependents:
                self.attempt_to_delete(owner)

    def _transitions(self, old: Obj | None, obj: Obj, node: Node) -> None:
        """``processTransitions``: deletion with orphan or foreground finalizers began."""
        if _starts_waiting(old, obj, ORPHAN):
            self.attempt_to_orphan(node)
            return
        if _starts_waiting(old, obj, FOREGROUND):
            node.deleting_dependents = True
            for dep in node.dependents:
                self.attempt_to_delete(dep)
            self.attempt_to_delete(node)


def _starts_waiting(old: Obj | None, new: Obj, finalizer: str) -> bool:
    if not (being_deleted(new) and has_finalizer(new, finalizer)):
        return False
    return old is None or not (being_deleted(old) and has_finalizer(old, finalizer))


def _refers_as(dep: Node, ident: Identity) -> bool:
    """The dependent's reference to ``ident.uid`` agrees with ``ident``'s coordinates."""
    for ref in dep.owners:
        if ref.get("uid") == ident.uid:
            return (ref.get("apiVersion") == ident.api_version and ref.get("kind") == ident.kind
                    and ref.get("name") == ident.name
                    and (not ident.namespace or dep.identity.namespace == ident.namespace))
    return False
