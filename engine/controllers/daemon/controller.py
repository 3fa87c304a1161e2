"""The DaemonSet controller: informers, lookups and ``syncDaemonSet``.

Upstream: ``pkg/controller/daemon/daemon_controller.go``
(``DaemonSetsController``, ``syncDaemonSet``, ``updateDaemonSet``,
``getDaemonPods``, ``getNodesToDaemonPods``, ``resolveControllerRef``,
``getDaemonSetsForPod``). ``syncDaemonSet``:

1. a DaemonSet selecting everything only gets a ``SelectingAll`` warning;
2. one being deleted is left alone;
3. its revisions are claimed and the current one found or made;
4. until its last creations and deletions are observed, only the status;
5. otherwise manage (one pod per eligible node), roll out (RollingUpdate),
   prune revisions, and write the status.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.daemon import status
from engine.controllers.daemon.backoff import Backoff
from engine.controllers.daemon.expectations import Expectations
from engine.controllers.daemon.handlers import NodeHandler, PodHandler, RevisionHandler
from engine.controllers.daemon.history import API_VERSION, KIND, DaemonHistory
from engine.controllers.daemon.manage import ManageMixin
from engine.controllers.daemon.update import RollingMixin
from engine.controllers.daemon.util import HASH_LABEL, target_node
from engine.controllers.history import History
from engine.controllers.replicaset.podcontrol import PodControl
from engine.controllers.util.owners import (
    CONTROLLER_UID_INDEX,
    controller_uid_index,
    owned_or_orphaned,
)
from engine.controllers.util.refmanager import ControllerRefManager
from engine.controllers.util.selectors import label_selector
from engine.events.recorder import WARNING, EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]
COMPONENT = "daemonset-controller"
SELECTING_ALL = "SelectingAll"


class DaemonSetsController(ManageMixin, RollingMixin, Controller):
    """``DaemonSetsController``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 2) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        self.pod_control = PodControl(client, self.recorder)
        self.expectations = Expectations(client.clock)
        self.failed_backoff = Backoff()
        ds_informer = factory.informer_for("daemonsets")
        pod_informer = factory.informer_for("pods",
                                            indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        node_informer = factory.informer_for("nodes")
        shared = History(client, factory)
        self.history = DaemonHistory(client, shared)
        self.ds_lister = ds_informer.lister()
        self.node_lister = node_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.informers += [ds_informer, pod_informer, node_informer, shared.informer]
        ds_informer.add_event_handler(on_add=self.enqueue,
                                      on_update=lambda old, new: self.enqueue(new),
                                      on_delete=self.enqueue)
        pod_informer.add_event_handler(PodHandler(self))
        node_informer.add_event_handler(NodeHandler(self))
        shared.informer.add_event_handler(RevisionHandler(self))

    # -- lookups ---------------------------------------------------------------------------
    def resolve(self, namespace: str, ref: Obj | None) -> Obj | None:
        """``resolveControllerRef``."""
        if ref is None or ref.get("kind") != KIND:
            return None
        ds = self.ds_lister.get(namespace, ref.get("name", ""))
        if ds is None or ds["metadata"].get("uid") != ref.get("uid"):
            return None
        return ds

    def sets_for(self, obj: Obj) -> list[Obj]:
        """``getDaemonSetsForPod`` / ``getDaemonSetsForHistory``: selectors matching an orphan."""
        labels = obj["metadata"].get("labels")
        if not labels:
            return []
        return [d for d in self.ds_lister.list(obj["metadata"].get("namespace"))
                if label_selector(d["spec"].get("selector")).matches(labels)]

    def daemon_pods(self, ds: Obj) -> list[Obj]:
        """``getDaemonPods``: claim by selector."""
        selector = label_selector(ds["spec"].get("selector"))
        m = ds["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get("daemonsets", m["name"], m["namespace"])
            except errors.StatusError:
                return None

        manager = ControllerRefManager(
            self.client, ds, lambda p: selector.matches(p["metadata"].get("labels") or {}),
            "pods", API_VERSION, KIND, fresh)
        return manager.claim(owned_or_orphaned(self.pod_indexer, ds))

    def node_to_daemon_pods(self, ds: Obj, include_deleted_terminal: bool = False
                            ) -> dict[str, list[Obj]]:
        """``getNodesToDaemonPods``: claimed pods by target node."""
        out: dict[str, list[Obj]] = {}
        for pod in self.daemon_pods(ds):
            terminal = (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded")
            if not include_deleted_terminal and terminal and "deletionTimestamp" in pod["metadata"]:
                continue
            node = target_node(pod)
            if node is not None:
                out.setdefault(node, []).append(pod)
        return out

    # -- sync ------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """``syncDaemonSet``."""
        ns, name = split_meta_namespace_key(key)
        ds = self.ds_lister.get(ns, name)
        if ds is None:
            self.expectations.delete(key)
            return None
        if ds["spec"].get("selector") == {}:
            self.recorder.event(ds, WARNING, SELECTING_ALL,
                                "This daemon set is selecting all pods. A non-empty selector is "
                                "required.")
            return None
        if "deletionTimestamp" in ds["metadata"]:
            return None
        nodes = self.node_lister.list()
        current, old = self.history.construct(ds)
        hash_ = (current["metadata"].get("labels") or {}).get(HASH_LABEL, "")
        if not self.expectations.satisfied(key):
            return self.update_status(ds, nodes, hash_, observe_generation=False)
        error: Exception | None = None
        try:
            self.update_daemon_set(ds, nodes, hash_, key, old)
        except errors.StatusError as err:
            error = err
        after = self.update_status(ds, nodes, hash_, observe_generation=True)
        if error is not None:
            raise error
        return after

    def update_daemon_set(self, ds: Obj, nodes: list[Obj], hash_: str, key: str,
                          old: list[Obj]) -> None:
        """``updateDaemonSet``: manage, roll out, prune history."""
        self.manage(ds, nodes, hash_)
        if self.expectations.satisfied(key):
            strategy = (ds["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
            if strategy == "RollingUpdate":
                self.rolling_update(ds, nodes, hash_)
        live = {(p["metadata"].get("labels") or {}).get(HASH_LABEL)
                for pods in self.node_to_daemon_pods(ds, True).values() for p in pods}
        self.history.cleanup(ds, old, live)

    def update_status(self, ds: Obj, nodes: list[Obj], hash_: str, *,
                      observe_generation: bool) -> float | None:
        """``updateDaemonSetStatus``; a look again after ``minReadySeconds``
        while ready pods are not yet available."""
        counts = status.calculate(ds, nodes, self.node_to_daemon_pods(ds), hash_,
                                  self.clock.now())
        status.store(self.client, ds, counts, observe_generation)
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        if min_ready > 0 and counts["numberReady"] != counts["numberAvailable"]:
            return float(min_ready) + 1.0
        return None
