"""The garbage collector: delete objects whose owners are gone, and carry out
Foreground and Orphan deletions.

Upstream: ``pkg/controller/garbagecollector/garbagecollector.go``
(``attemptToDeleteItem``, ``processDeletingDependentsItem``,
``classifyReferences``, ``isDangling``, ``attemptToOrphanWorker``,
``orphanDependents``) and ``operations.go``. For each queued node:

* being deleted without waiting for dependents: nothing to do yet;
* gone from the API (or another uid): a virtual delete removes it from the graph;
* deleting dependents (``foregroundDeletion``): remove the finalizer once no
  dependent blocks it, else delete the blocking dependents;
* owners all gone (dangling): delete it, honouring its own finalizers;
* some owners live, some gone or deleting in the foreground: drop those
  references;
* only owners deleting in the foreground: delete it in the foreground too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from engine.api import errors, resources
from engine.api.deletion import FOREGROUND, ORPHAN
from engine.api.patch import STRATEGIC_MERGE_PATCH
from engine.controllers.garbagecollector.graph import (
    GraphBuilder,
    Identity,
    Node,
    has_finalizer,
    identity_of,
)
from engine.runtime import Controller, SharedInformerFactory
from engine.runtime.keys import tombstone_object

Obj = dict[str, Any]
log = logging.getLogger(__name__)

COMPONENT = "garbage-collector-controller"
# DefaultIgnoredResources: events are never owners or garbage.
IGNORED = {("", "events"), ("events.k8s.io", "events")}
REQUIRED_VERBS = {"list", "watch", "delete"}


def deletable_resources() -> list[resources.ResourceInfo]:
    """``GetDeletableResources``: what the collector monitors."""
    seen: set[str] = set()
    out = []
    for info in resources.RESOURCES:
        if (info.group, info.plural) in IGNORED or not set(info.verbs) >= REQUIRED_VERBS:
            continue
        if info.key_prefix in seen:
            continue
        seen.add(info.key_prefix)
        out.append(info)
    return out


class _Orphaner(Controller):
    """The attempt-to-orphan queue and its worker."""

    name = "garbage-collector-orphan"

    def __init__(self, gc: GarbageCollector) -> None:
        super().__init__(gc.clock)
        self.gc = gc

    async def reconcile(self, key: str) -> None:
        self.gc.attempt_to_orphan(key)


class GarbageCollector(Controller):
    """``GarbageCollector``: this queue is attempt-to-delete, keyed by uid."""

    name = COMPONENT

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 1) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        self.orphaner = _Orphaner(self)
        self.graph = GraphBuilder(lambda n: self.queue.add(n.identity.uid),
                                  lambda n: self.orphaner.queue.add(n.identity.uid))
        for info in deletable_resources():
            informer = factory.informer_for(info)
            self.informers.append(informer)
            informer.add_event_handler(
                on_add=lambda o, i=info: self.graph.on_upsert(None, o, _ident(o, i)),
                on_update=lambda old, new, i=info: self.graph.on_upsert(old, new,
                                                                        _ident(new, i)),
                on_delete=lambda o, i=info: self.graph.on_delete(
                    tombstone_object(o), _ident(tombstone_object(o), i)))
        self.orphaner.informers = self.informers

    async def run(self, workers: int | None = None) -> None:
        await asyncio.gather(super().run(workers), self.orphaner.run())

    def stop(self) -> None:
        self.orphaner.stop()
        super().stop()

    # -- API access ------------------------------------------------------------------------
    def _get(self, ident: Identity) -> Obj | None:
        info = resources.by_kind(ident.api_version, ident.kind)
        try:
            return self.client.get(info, ident.name, ident.namespace or None)
        except errors.StatusError as err:
            if err.code == 404:
                return None
            raise

    def _patch_owner_refs(self, node: Node, body_refs: list[Obj]) -> None:
        ident = node.identity
        body = {"metadata": {"ownerReferences": body_refs, "uid": ident.uid}}
        info = resources.by_kind(ident.api_version, ident.kind)
        try:
            self.client.patch(info, ident.name, body, STRATEGIC_MERGE_PATCH,
                              namespace=ident.namespace or None)
        except errors.StatusError as err:
            if err.code != 404:
                raise

    def _delete(self, ident: Identity, policy: str) -> None:
        info = resources.by_kind(ident.api_version, ident.kind)
        try:
            self.client.delete(info, ident.name, namespace=ident.namespace or None,
                               propagation_policy=policy, preconditions={"uid": ident.uid})
        except errors.StatusError as err:
            if err.code not in (404, 409):
                raise

    def _remove_finalizer(self, ident: Identity, finalizer: str) -> None:
        """``removeFinalizer``: re-read and update until it sticks."""
        info = resources.by_kind(ident.api_version, ident.kind)
        for _ in range(5):
            obj = self._get(ident)
            if obj is None or obj["metadata"].get("uid") != ident.uid:
                return
            finalizers = obj["metadata"].get("finalizers") or []
            if finalizer not in finalizers:
                return
            obj["metadata"]["finalizers"] = [f for f in finalizers if f != finalizer]
            try:
                self.client.update(info, obj)
                return
            except errors.StatusError as err:
                if err.code == 404:
                    return
                if err.code != 409:
                    raise
        raise errors.conflict(info.plural, info.group, ident.name)

    # -- attempt to delete ---------------------------------------------------------------------
    async def reconcile(self, uid: str) -> None:
        node = self.graph.nodes.get(uid)
        if node is not None:
            self.attempt_to_delete(node)

    def attempt_to_delete(self, node: Node) -> None:
        """``attemptToDeleteItem``."""
        if node.being_deleted and not node.deleting_dependents:
            return
        latest = self._get(node.identity)
        if latest is None or latest["metadata"].get("uid") != node.identity.uid:
            self.graph.virtual_delete(node.identity)
            return
        if node.deleting_dependents:
            self._process_deleting_dependents(node)
            return
        refs = latest["metadata"].get("ownerReferences") or []
        if not refs:
            return
        solid, dangling, waiting = self._classify(node, refs)
        if solid:
            gone = [*dangling, *waiting]
            if gone:
                self._patch_owner_refs(node, [{"$patch": "delete", "uid": r["uid"]}
                                              for r in gone])
            return
        if waiting and node.dependents:
            if any(dep.deleting_dependents for dep in node.dependents):
                self._unblock_owner_references(node, latest)
            self._delete(node.identity, "Foreground")
            return
        if has_finalizer(latest, ORPHAN):
            policy = "Orphan"
        elif has_finalizer(latest, FOREGROUND):
            policy = "Foreground"
        else:
            policy = "Background"
        self._delete(node.identity, policy)

    def _unblock_owner_references(self, node: Node, latest: Obj) -> None:
        """Break a possible cycle: set blockOwnerDeletion false on every reference."""
        refs = [{"uid": r["uid"], "blockOwnerDeletion": False}
                for r in latest["metadata"].get("ownerReferences") or ()
                if r.get("blockOwnerDeletion")]
        if refs:
            self._patch_owner_refs(node, refs)

    def _process_deleting_dependents(self, node: Node) -> None:
        """``processDeletingDependentsItem``."""
        blocking = node.blocking_dependents()
        if not blocking:
            self._remove_finalizer(node.identity, FOREGROUND)
            return
        for dep in blocking:
            if not dep.deleting_dependents:
                self.queue.add(dep.identity.uid)

    def _classify(self, node: Node, refs: list[Obj]) -> tuple[list[Obj], list[Obj], list[Obj]]:
        """``classifyReferences``: solid, dangling, waiting for dependents' deletion."""
        solid, dangling, waiting = [], [], []
        for ref in refs:
            owner = self._owner(node, ref)
            if owner is None:
                dangling.append(ref)
            elif "deletionTimestamp" in owner["metadata"] and has_finalizer(owner, FOREGROUND):
                waiting.append(ref)
            else:
                solid.append(ref)
        return solid, dangling, waiting

    def _owner(self, node: Node, ref: Obj) -> Obj | None:
        """``isDangling``: the owner, or None when it is gone (or another uid)."""
        ns = node.identity.namespace
        for key_ns in ("", ns):
            if Identity(ref.get("apiVersion", ""), ref.get("kind", ""), key_ns,
                        ref.get("name", ""), ref.get("uid", "")) in self.graph.absent_owners:
                return None
        info = resources.by_kind(ref.get("apiVersion", ""), ref.get("kind", ""))
        ident = Identity(ref.get("apiVersion", ""), ref.get("kind", ""),
                         ns if info.namespaced else "", ref.get("name", ""), ref.get("uid", ""))
        owner = self._get(ident)
        if owner is None or owner["metadata"].get("uid") != ident.uid:
            self.graph.mark_absent(ident)
            return None
        return owner

    # -- attempt to orphan ------------------------------------------------------------------------
    def attempt_to_orphan(self, uid: str) -> None:
        """``attemptToOrphanWorker``: drop references to the owner, then its finalizer."""
        node = self.graph.nodes.get(uid)
        if node is None:
            return
        for dep in list(node.dependents):
            self._patch_owner_refs(dep, [{"$patch": "delete", "uid": uid}])
        self._remove_finalizer(node.identity, ORPHAN)


def _ident(obj: Obj, info: resources.ResourceInfo) -> Identity:
    return identity_of(obj, info.api_version, info.kind)
