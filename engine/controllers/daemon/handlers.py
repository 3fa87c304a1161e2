"""The DaemonSet controller's event handlers.

Upstream: ``pkg/controller/daemon/daemon_controller.go`` (``addPod``,
``updatePod``, ``deletePod`` with expectations; ``addNode``/``updateNode``
enqueue the DaemonSets whose verdict for the node changed, ignoring updates
that touch neither labels nor taints; ``addHistory``/``updateHistory``/
``deleteHistory``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.controllers.daemon import eligibility
from engine.controllers.util.owners import controller_of
from engine.controllers.util.pods import is_pod_ready
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import meta_namespace_key, tombstone_object

if TYPE_CHECKING:
    from engine.controllers.daemon.controller import DaemonSetsController

Obj = dict[str, Any]


class _OwnedHandler(ResourceEventHandler):
    """Enqueue the owning DaemonSet, or every one an orphan could belong to."""

    def __init__(self, ctrl: DaemonSetsController) -> None:
        self.ctrl = ctrl

    def owner(self, obj: Obj) -> Obj | None:
        return self.ctrl.resolve(obj["metadata"].get("namespace", ""), controller_of(obj))

    def on_update(self, old: Obj, new: Obj) -> None:
        om, nm = old["metadata"], new["metadata"]
        if om.get("resourceVersion") == nm.get("resourceVersion"):
            return
        if "deletionTimestamp" in nm:
            self.on_delete(new)
            return
        old_ref, new_ref = controller_of(old), controller_of(new)
        if old_ref is not None and old_ref != new_ref:
            ds = self.owner(old)
            if ds is not None:
                self.ctrl.enqueue(ds)
        if new_ref is not None:
            ds = self.owner(new)
            if ds is not None:
                self.ctrl.enqueue(ds)
                self.updated(ds, old, new)
            return
        if om.get("labels") != nm.get("labels") or old_ref != new_ref:
            for ds in self.ctrl.sets_for(new):
                self.ctrl.enqueue(ds)

    def updated(self, ds: Obj, old: Obj, new: Obj) -> None:
        """Hook for the owner of an updated object."""


class PodHandler(_OwnedHandler):
    def on_add(self, pod: Obj) -> None:
        if "deletionTimestamp" in pod["metadata"]:
            self.on_delete(pod)
            return
        if controller_of(pod) is not None:
            ds = self.owner(pod)
            if ds is not None:
                self.ctrl.expectations.creation_observed(meta_namespace_key(ds))
                self.ctrl.enqueue(ds)
            return
        for ds in self.ctrl.sets_for(pod):
            self.ctrl.enqueue(ds)

    def updated(self, ds: Obj, old: Obj, new: Obj) -> None:
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
            self.ctrl.enqueue_after(ds, float(min_ready) + 1.0)

    def on_delete(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        ds = self.owner(pod)
        if ds is None:
            return
        key = meta_namespace_key(ds)
        self.ctrl.expectations.deletion_observed(key, meta_namespace_key(pod))
        self.ctrl.queue.add(key)


class RevisionHandler(_OwnedHandler):
    def on_add(self, cr: Obj) -> None:
        if "deletionTimestamp" in cr["metadata"]:
            self.on_delete(cr)
            return
        ds = self.owner(cr)
        if ds is not None:
            self.ctrl.enqueue(ds)
            return
        if controller_of(cr) is None:
            for ds in self.ctrl.sets_for(cr):
                self.ctrl.enqueue(ds)

    def on_delete(self, obj: Any) -> None:
        ds = self.owner(tombstone_object(obj))
        if ds is not None:
            self.ctrl.enqueue(ds)


class NodeHandler(ResourceEventHandler):
    def __init__(self, ctrl: DaemonSetsController) -> None:
        self.ctrl = ctrl

    def on_add(self, node: Obj) -> None:
        for ds in self.ctrl.ds_lister.list():
            if eligibility.should_run(node, ds)[0]:
                self.ctrl.enqueue(ds)

    def on_update(self, old: Obj, new: Obj) -> None:
        if (old["metadata"].get("labels") == new["metadata"].get("labels")
                and (old.get("spec") or {}).get("taints") == (new.get("spec") or {}).get("taints")):
            return
        for ds in self.ctrl.ds_lister.list():
            if eligibility.should_run(old, ds) != eligibility.should_run(new, ds):
                self.ctrl.enqueue(ds)
