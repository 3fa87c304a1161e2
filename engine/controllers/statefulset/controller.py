"""The StatefulSet controller: informers, handlers and ``sync``.

Upstream: ``pkg/controller/statefulset/stateful_set.go``
(``StatefulSetController``: ``addPod``/``updatePod``/``deletePod``,
``resolveControllerRef``, ``getStatefulSetsForPod``, ``getPodsForStatefulSet``
claiming by selector *and* name (``isMemberOf``), ``adoptOrphanRevisions``,
``sync``, ``syncStatefulSet`` with its extra sync after ``minReadySeconds``).
Pods are found through an index by controller uid (plus the namespace's
orphans), never by listing the namespace.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.history import History
from engine.controllers.statefulset.control import StatefulSetControl
from engine.controllers.statefulset.identity import API_VERSION, KIND, is_member_of
from engine.controllers.statefulset.podcontrol import StatefulPodControl
from engine.controllers.util.owners import (
    CONTROLLER_UID_INDEX,
    controller_of,
    controller_uid_index,
    owned_or_orphaned,
)
from engine.controllers.util.pods import is_pod_ready
from engine.controllers.util.refmanager import ControllerRefManager
from engine.controllers.util.selectors import label_selector
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import meta_namespace_key, tombstone_object

Obj = dict[str, Any]
COMPONENT = "statefulset-controller"


class StatefulSetController(Controller):
    """``StatefulSetController``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        set_informer = factory.informer_for("statefulsets")
        pod_informer = factory.informer_for("pods",
                                            indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        pvc_informer = factory.informer_for("persistentvolumeclaims")
        self.history = History(client, factory)
        self.set_lister = set_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.control = StatefulSetControl(
            client, self.history, StatefulPodControl(client, self.recorder, pvc_informer.lister()),
            client.clock)
        self.informers += [set_informer, pod_informer, pvc_informer, self.history.informer]
        set_informer.add_event_handler(on_add=self.enqueue,
                                       on_update=lambda old, new: self.enqueue(new),
                                       on_delete=self.enqueue)
        pod_informer.add_event_handler(_PodHandler(self))

    # -- lookups -----------------------------------------------------------------------------
    def resolve(self, namespace: str, ref: Obj | None) -> Obj | None:
        """``resolveControllerRef``."""
        if ref is None or ref.get("kind") != KIND:
            return None
        sts = self.set_lister.get(namespace, ref.get("name", ""))
        if sts is None or sts["metadata"].get("uid") != ref.get("uid"):
            return None
        return sts

    def sets_for_pod(self, pod: Obj) -> list[Obj]:
        """``getStatefulSetsForPod``: sets whose selector matches an orphan."""
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        return [s for s in self.set_lister.list(pod["metadata"].get("namespace"))
                if label_selector(s["spec"].get("selector")).matches(labels)]

    def pods_for(self, sts: Obj) -> list[Obj]:
        """``getPodsForStatefulSet``: adopt and release by selector and name."""
        selector = label_selector(sts["spec"].get("selector"))
        m = sts["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get("statefulsets", m["name"], m["namespace"])
            except errors.StatusError:
                return None

        def matches(pod: Obj) -> bool:
            return (is_member_of(sts, pod)
                    and selector.matches(pod["metadata"].get("labels") or {}))

        manager = ControllerRefManager(self.client, sts, matches, "pods", API_VERSION, KIND,
                                       fresh)
        return manager.claim(owned_or_orphaned(self.pod_indexer, sts))

    def adopt_orphan_revisions(self, sts: Obj) -> None:
        """``adoptOrphanRevisions``."""
        orphans = [r for r in self.history.list_controller_revisions(sts)
                   if controller_of(r) is None]
        if not orphans:
            return
        m = sts["metadata"]
        fresh = self.client.get("statefulsets", m["name"], m["namespace"])
        if fresh["metadata"].get("uid") != m["uid"] or "deletionTimestamp" in fresh["metadata"]:
            raise errors.StatusError(409, "Conflict",
                                     f"can't adopt ControllerRevisions: {m['name']} is gone "
                                     "or being deleted")
        for revision in orphans:
            self.history.adopt_controller_revision(sts, API_VERSION, KIND, revision)

    # -- sync ----------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """``sync``."""
        ns, name = split_meta_namespace_key(key)
        sts = self.set_lister.get(ns, name)
        if sts is None:
            return None
        self.adopt_orphan_revisions(sts)
        status = self.control.update(sts, self.pods_for(sts))
        min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        replicas = sts["spec"].get("replicas", 1)
        if min_ready > 0 and status is not None and status["availableReplicas"] != replicas:
            return float(min_ready) + 1.0  # one second past the window (see the RS controller)
        return None


class _PodHandler(ResourceEventHandler):
    """``addPod`` / ``updatePod`` / ``deletePod``."""

    def __init__(self, ctrl: StatefulSetController) -> None:
        self.ctrl = ctrl

    def on_add(self, pod: Obj) -> None:
        if "deletionTimestamp" in pod["metadata"]:
            self.on_delete(pod)
            return
        ref = controller_of(pod)
        if ref is not None:
            sts = self.ctrl.resolve(pod["metadata"].get("namespace", ""), ref)
            if sts is not None:
                self.ctrl.enqueue(sts)
            return
        for sts in self.ctrl.sets_for_pod(pod):
            self.ctrl.enqueue(sts)

    def on_update(self, old: Obj, new: Obj) -> None:
        om, nm = old["metadata"], new["metadata"]
        if om.get("resourceVersion") == nm.get("resourceVersion"):
            return
        ns = nm.get("namespace", "")
        old_ref, new_ref = controller_of(old), controller_of(new)
        if old_ref is not None and old_ref != new_ref:
            sts = self.ctrl.resolve(ns, old_ref)
            if sts is not None:
                self.ctrl.enqueue(sts)
        if new_ref is not None:
            sts = self.ctrl.resolve(ns, new_ref)
            if sts is None:
                return
            self.ctrl.enqueue(sts)
            min_ready = int(sts["spec"].get("minReadySeconds") or 0)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
                self.ctrl.enqueue_after(sts, float(min_ready) + 1.0)
            return
        if om.get("labels") != nm.get("labels") or old_ref != new_ref:
            for sts in self.ctrl.sets_for_pod(new):
                self.ctrl.enqueue(sts)

    def on_delete(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        sts = self.ctrl.resolve(pod["metadata"].get("namespace", ""), controller_of(pod))
        if sts is not None:
            self.ctrl.queue.add(meta_namespace_key(sts))
