"""The Deployment controller: roll ReplicaSets towards the pod template.

Upstream: ``pkg/controller/deployment/deployment_controller.go``
(``syncDeployment``, the event handlers, ``getReplicaSetsForDeployment``,
``getPodMapForDeployment``). ``syncDeployment``:

1. a Deployment selecting everything only gets a ``SelectingAll`` warning;
2. claim ReplicaSets (adopt matching orphans, release non-matching ones);
3. being deleted: only the status is synced;
4. pause/resume conditions; a paused Deployment only scales;
5. a replica count change is a scaling event: scale proportionally;
6. otherwise roll out by strategy (Recreate or RollingUpdate).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.deployment import conditions as c
from engine.controllers.deployment.progress import ProgressMixin
from engine.controllers.deployment.recreate import RecreateMixin
from engine.controllers.deployment.rolling import RollingMixin
from engine.controllers.deployment.sync import SyncMixin
from engine.controllers.util.owners import CONTROLLER_UID_INDEX, controller_of, controller_uid_index
from engine.controllers.util.refmanager import ControllerRefManager
from engine.controllers.util.selectors import label_selector
from engine.events.recorder import WARNING, EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import tombstone_object

Obj = dict[str, Any]

COMPONENT = "deployment-controller"


class DeploymentController(SyncMixin, RollingMixin, RecreateMixin, ProgressMixin, Controller):
    """``DeploymentController``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client.clock, name=COMPONENT, workers=workers)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        d_informer = factory.informer_for("deployments")
        rs_informer = factory.informer_for("replicasets")
        pod_informer = factory.informer_for("pods",
                                            indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        self.d_lister = d_informer.lister()
        self.rs_lister = rs_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.informers += [d_informer, rs_informer, pod_informer]
        d_informer.add_event_handler(on_add=self.enqueue, on_update=lambda o, n: self.enqueue(n),
                                     on_delete=self.enqueue)
        rs_informer.add_event_handler(_ReplicaSetHandler(self))
        pod_informer.add_event_handler(on_delete=self._pod_deleted)

    # -- lookups ---------------------------------------------------------------------------
    def deployment_for(self, namespace: str, ref: Obj | None) -> Obj | None:
        """``resolveControllerRef``."""
        if ref is None or ref.get("kind") != "Deployment":
            return None
        d = self.d_lister.get(namespace, ref.get("name", ""))
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    def deployments_for_rs(self, rs: Obj) -> list[Obj]:
        """``getDeploymentsForReplicaSet``: Deployments whose selector matches an orphan."""
        labels = rs["metadata"].get("labels")
        if not labels:
            return []
        return [d for d in self.d_lister.list(rs["metadata"].get("namespace"))
                if label_selector(d["spec"].get("selector")).matches(labels)]

    def _pod_deleted(self, obj: Any) -> None:
        """``deletePod``: a Recreate Deployment waits for its old pods to go."""
        pod = tombstone_object(obj)
        ns = pod["metadata"].get("namespace", "")
        ref = controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.rs_lister.get(ns, ref.get("name", ""))
        d = self.deployment_for(ns, controller_of(rs)) if rs is not None else None
        strategy = ((d or {}).get("spec") or {}).get("strategy") or {}
        if d is not None and strategy.get("type") == "Recreate":
            self.enqueue(d)

    def rss_for_deployment(self, d: Obj) -> list[Obj]:
        """``getReplicaSetsForDeployment``: claim by selector."""
        selector = label_selector(d["spec"].get("selector"))
        m = d["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get("deployments", m["name"], m["namespace"])
            except errors.StatusError:
                return None

        manager = ControllerRefManager(
            self.client, d, lambda rs: selector.matches(rs["metadata"].get("labels") or {}),
            "replicasets", "apps/v1", "Deployment", fresh)
        return manager.claim(self.rs_lister.list(m["namespace"]))

    def pod_map(self, rss: list[Obj]) -> dict[str, list[Obj]]:
        """``getPodMapForDeployment``: pods by owning ReplicaSet uid."""
        return {rs["metadata"]["uid"]: self.pod_indexer.by_index(CONTROLLER_UID_INDEX,
                                                                 rs["metadata"]["uid"])
                for rs in rss}

    # -- sync ----------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """``syncDeployment``."""
        ns, name = split_meta_namespace_key(key)
        cached = self.d_lister.get(ns, name)
        if cached is None:
            return None
        d = meta.deep_copy(cached)
        if d["spec"].get("selector") == {}:
            return self._selecting_all(d)
        rss = self.rss_for_deployment(d)
        if "deletionTimestamp" in d["metadata"]:
            new_rs, old = self.all_rss_and_sync_revision(d, rss, False)
            self.sync_status([*old, new_rs], new_rs, d)
            return None
        self.check_paused_conditions(d)
        if d["spec"].get("paused") or self.is_scaling_event(d, rss):
            self.sync(d, rss)
            return None
        strategy = (d["spec"].get("strategy") or {}).get("type")
        if strategy == "Recreate":
            return self.rollout_recreate(d, rss, self.pod_map(rss))
        return self.rollout_rolling(d, rss)

    def _selecting_all(self, d: Obj) -> None:
        self.recorder.event(d, WARNING, c.SELECTING_ALL,
                            "This deployment is selecting all pods. A non-empty selector is "
                            "required.")
        status = d.setdefault("status", {})
        if status.get("observedGeneration", 0) < d["metadata"].get("generation", 0):
            status["observedGeneration"] = d["metadata"]["generation"]
            self.write_status(d)


class _ReplicaSetHandler(ResourceEventHandler):
    """``addReplicaSet`` / ``updateReplicaSet`` / ``deleteReplicaSet``."""

    def __init__(self, ctrl: DeploymentController) -> None:
        self.ctrl = ctrl

    def on_add(self, rs: Obj) -> None:
        if "deletionTimestamp" in rs["metadata"]:
            self.on_delete(rs)
            return
        ref = controller_of(rs)
        if ref is not None:
            d = self.ctrl.deployment_for(rs["metadata"].get("namespace", ""), ref)
            if d is not None:
                self.ctrl.enqueue(d)
            return
        for d in self.ctrl.deployments_for_rs(rs):
            self.ctrl.enqueue(d)

    def on_update(self, old: Obj, new: Obj) -> None:
        om, nm = old["metadata"], new["metadata"]
        if om.get("resourceVersion") == nm.get("resourceVersion"):
            return
        ns = nm.get("namespace", "")
        old_ref, new_ref = controller_of(old), controller_of(new)
        if old_ref is not None and old_ref != new_ref:
            d = self.ctrl.deployment_for(ns, old_ref)
            if d is not None:
                self.ctrl.enqueue(d)
        if new_ref is not None:
            d = self.ctrl.deployment_for(ns, new_ref)
            if d is not None:
                self.ctrl.enqueue(d)
            return
        if om.get("labels") != nm.get("labels") or old_ref != new_ref:
            for d in self.ctrl.deployments_for_rs(new):
                self.ctrl.enqueue(d)

    def on_delete(self, obj: Any) -> None:
        rs = tombstone_object(obj)
        d = self.ctrl.deployment_for(rs["metadata"].get("namespace", ""), controller_of(rs))
        if d is not None:
            self.ctrl.enqueue(d)
