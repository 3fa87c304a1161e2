"""The ReplicaSet controller: keep ``spec.replicas`` pods running.

Upstream: ``pkg/controller/replicaset/replica_set.go``. ``syncReplicaSet``:

1. read the ReplicaSet from the lister (gone: forget its expectations);
2. only if the pods it created or deleted have all been observed
   (expectations) may it create or delete more;
3. claim pods: its own and matching orphans (adopt), release its own that no
   longer match;
4. ``manageReplicas``: create the missing pods in slow-start batches
   (1, 2, 4, ... up to 500 per sync), or delete the surplus, best victims
   first;
5. write the status computed from the claimed active pods.

The same class runs ReplicationControllers (see :mod:`.kinds`).
"""

from __future__ import annotations

import logging
from typing import Any

from engine.api import errors
from engine.controllers.replicaset.kinds import REPLICA_SET, WorkloadKind
from engine.controllers.replicaset.podcontrol import PodControl
from engine.controllers.replicaset.status import calculate_status, update_status
from engine.controllers.util.expectations import ControllerExpectations
from engine.controllers.util.owners import (
    CONTROLLER_UID_INDEX,
    controller_of,
    controller_ref,
    controller_uid_index,
    owned_or_orphaned_keys,
)
from engine.controllers.util.podfacts import Fact, PodFacts
from engine.controllers.util.pods import is_pod_ready
from engine.controllers.util.ranking import pods_to_delete
from engine.controllers.util.refmanager import ControllerRefManager
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import deletion_handling_key, meta_namespace_key, tombstone_object

Obj = dict[str, Any]
log = logging.getLogger(__name__)

# BurstReplicas: at most this many creations or deletions per sync.
BURST_REPLICAS = 500
# SlowStartInitialBatchSize.
SLOW_START_INITIAL_BATCH = 1
# Pod status changes (not adds, deletes, label or owner changes) queue their
# owner after this many seconds, so a burst of kubelet updates is one sync
# and one status write instead of one per pod. Upstream queues at once (its
# Job controller batches pod events the same way, for 1 s).
POD_STATUS_BATCH_PERIOD = 0.1


class ReplicaSetController(Controller):
    """``ReplicaSetController`` over ReplicaSets (or, with another
    :class:`WorkloadKind`, ReplicationControllers)."""

    def __init__(self, client: Any, factory: SharedInformerFactory,
                 kind: WorkloadKind = REPLICA_SET, *, workers: int = 5,
                 burst_replicas: int = BURST_REPLICAS) -> None:
        super().__init__(client.clock, name=kind.component, workers=workers)
        self.client = client
        self.kind = kind
        self.burst_replicas = burst_replicas
        self.recorder = EventRecorder(client, kind.component)
        self.pod_control = PodControl(client, self.recorder)
        self.expectations = ControllerExpectations(client.clock)
        self.facts = PodFacts()
        rs_informer = factory.informer_for(kind.resource)
        pod_informer = factory.informer_for("pods",
                                            indexers={CONTROLLER_UID_INDEX: controller_uid_index})
        self.rs_lister = rs_informer.lister()
        self.pod_indexer = pod_informer.get_indexer()
        self.informers += [rs_informer, pod_informer]
        rs_informer.add_event_handler(_OwnerHandler(self))
        pod_informer.add_event_handler(_PodHandler(self))

    # -- lookups ---------------------------------------------------------------------
    def resolve_controller_ref(self, namespace: str, ref: Obj | None) -> Obj | None:
        """``resolveControllerRef``: the owner named by ``ref``, if it is ours."""
        if ref is None or ref.get("kind") != self.kind.kind:
            return None
        rs = self.rs_lister.get(namespace, ref.get("name", ""))
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        return rs

    def replica_sets_for_pod(self, pod: Obj) -> list[Obj]:
        """``getPodReplicaSets``: every owner whose selector matches an orphan."""
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        ns = pod["metadata"].get("namespace")
        return [rs for rs in self.rs_lister.list(ns) if self.kind.selector(rs).matches(labels)]

    def related_pods(self, rs: Obj) -> list[Obj]:
        """``getIndirectlyRelatedPods``: pods of every owner sharing ``rs``'s controller."""
        ref = controller_of(rs)
        if ref is None:
            return self.pod_indexer.by_index(CONTROLLER_UID_INDEX, rs["metadata"]["uid"])
        ns = rs["metadata"].get("namespace")
        siblings = [o for o in self.rs_lister.list(ns)
                    if (controller_of(o) or {}).get("uid") == ref.get("uid")]
        pods: list[Obj] = []
        for sibling in siblings:
            pods += self.pod_indexer.by_index(CONTROLLER_UID_INDEX, sibling["metadata"]["uid"])
        return pods

    # -- sync ------------------------------------------------------------------------------
    async def reconcile(self, key: str) -> float | None:
        """``syncReplicaSet``."""
        ns, name = split_meta_namespace_key(key)
        rs = self.rs_lister.get(ns, name)
        if rs is None:
            self.expectations.delete(key)
            return None
        needs_sync = self.expectations.satisfied(key)
        keys = owned_or_orphaned_keys(self.pod_indexer, rs)
        facts = [f for f in self.facts.of_keys(self.pod_indexer, keys) if f.active]
        facts = self.claim_pods(rs, facts)
        manage_error: Exception | None = None
        if needs_sync and "deletionTimestamp" not in rs["metadata"]:
            manage_error = self.manage_replicas(key, rs, facts)
        now = self.clock.now()
        status = calculate_status(rs, facts, manage_error, now, self.clock.rfc3339())
        updated = update_status(self.client, self.kind.resource, rs, status)
        if manage_error is not None:
            raise manage_error
        return self._recheck_after(updated)

    def _recheck_after(self, rs: Obj) -> float | None:
        """Pods ready but not yet available: look again once minReadySeconds pass.

        Upstream waits exactly minReadySeconds; on the virtual clock that lands
        on the very second availability is still false (``Before`` is strict),
        so this waits one second more, as the pod handler does."""
        min_ready = (rs.get("spec") or {}).get("minReadySeconds") or 0
        status = rs.get("status") or {}
        if (min_ready > 0 and status.get("readyReplicas", 0) == status.get("replicas", 0)
                and status.get("availableReplicas", 0) != status.get("replicas", 0)):
            return float(min_ready) + 1.0
        return None

    def claim_pods(self, rs: Obj, facts: list[Fact]) -> list[Fact]:
        """``claimPods``: keep ours that match, adopt matching orphans, release
        ours that no longer match (the latter two through the ref manager)."""
        selector = self.kind.selector(rs)
        uid = rs["metadata"]["uid"]
        claimed: list[Fact] = []
        undecided: list[Obj] = []
        for fact in facts:
            if fact.owner_uid == uid and fact.matches(selector):
                claimed.append(fact)
            elif fact.owner_uid is None or fact.owner_uid == uid:
                undecided.append(fact.pod)
        if undecided:
            manager = self._ref_manager(rs, selector)
            claimed += [Fact(pod) for pod in manager.claim(undecided)]
        return claimed

    def _ref_manager(self, rs: Obj, selector: Any) -> ControllerRefManager:
        m = rs["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get(self.kind.resource, m["name"], m.get("namespace"))
            except errors.StatusError:
                return None

        return ControllerRefManager(
            self.client, rs, lambda p: selector.matches(p["metadata"].get("labels") or {}),
            "pods", self.kind.api_version, self.kind.kind, fresh)

    def manage_replicas(self, key: str, rs: Obj, facts: list[Fact]) -> Exception | None:
        """``manageReplicas``: create or delete pods, at most a burst per sync."""
        spec = rs.get("spec") or {}
        diff = len(facts) - spec.get("replicas", 1)
        if diff < 0:
            return self._create(key, rs, min(-diff, self.burst_replicas))
        if diff > 0:
            pods = [f.pod for f in facts]
            return self._delete(key, rs, pods, min(diff, self.burst_replicas))
        return None

    def _create(self, key: str, rs: Obj, count: int) -> Exception | None:
        template = (rs.get("spec") or {}).get("template")
        if not template:
            return None
        self.expectations.expect_creations(key, count)
        ref = controller_ref(rs, self.kind.api_version, self.kind.kind)
        created, error = 0, None
        batch = min(count, SLOW_START_INITIAL_BATCH)
        while batch > 0 and error is None:
            for _ in range(batch):
                try:
                    self.pod_control.create_pod(rs, template, ref)
                    created += 1
                except errors.StatusError as err:
                    if _namespace_terminating(err):
                        created += 1  # upstream counts it: nothing will be created
                        self.expectations.creation_observed(key)
                        continue
                    error = err
                except ValueError as err:
                    error = err
            batch = min(2 * batch, count - created) if error is None else 0
        if created < count:
            self.expectations.lower(key, adds=count - created)
        return error

    def _delete(self, key: str, rs: Obj, pods: list[Obj], count: int) -> Exception | None:
        victims = pods_to_delete(pods, self.related_pods(rs), count, self.clock.now())
        ns = rs["metadata"].get("namespace", "")
        self.expectations.expect_deletions(key, [meta_namespace_key(p) for p in victims])
        error = None
        for pod in victims:
            try:
                self.pod_control.delete_pod(rs, ns, pod["metadata"]["name"])
            except errors.StatusError as err:
                self.expectations.deletion_observed(key, meta_namespace_key(pod))
                if err.code != 404:
                    error = err
        return error


def _namespace_terminating(err: errors.StatusError) -> bool:
    causes = (err.details or {}).get("causes") or ()
    return any(c.get("reason") == "NamespaceTerminating" for c in causes)


class _OwnerHandler(ResourceEventHandler):
    """``addReplicaSet`` / ``updateReplicaSet`` / ``deleteReplicaSet``."""

    def __init__(self, ctrl: ReplicaSetController) -> None:
        self.ctrl = ctrl

    def on_add(self, obj: Obj) -> None:
        self.ctrl.enqueue(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        if old["metadata"].get("uid") != new["metadata"].get("uid"):
            self.on_delete(old)  # deleted and recreated under the same name
        self.ctrl.enqueue(new)

    def on_delete(self, obj: Any) -> None:
        key = deletion_handling_key(obj)
        self.ctrl.expectations.delete(key)
        self.ctrl.queue.add(key)


class _PodHandler(ResourceEventHandler):
    """``addPod`` / ``updatePod`` / ``deletePod``."""

    def __init__(self, ctrl: ReplicaSetController) -> None:
        self.ctrl = ctrl

    def on_add(self, pod: Obj) -> None:
        if "deletionTimestamp" in pod["metadata"]:
            self.on_delete(pod)  # restarted controller: a pod already being deleted
            return
        ns = pod["metadata"].get("namespace", "")
        ref = controller_of(pod)
        if ref is not None:
            rs = self.ctrl.resolve_controller_ref(ns, ref)
            if rs is not None:
                key = meta_namespace_key(rs)
                self.ctrl.expectations.creation_observed(key)
                self.ctrl.queue.add(key)
            return
        for rs in self.ctrl.replica_sets_for_pod(pod):
            self.ctrl.enqueue(rs)

    def on_update(self, old: Obj, new: Obj) -> None:
        om, nm = old["metadata"], new["metadata"]
        if om.get("resourceVersion") == nm.get("resourceVersion"):
            return  # a resync: nothing changed
        labels_changed = om.get("labels") != nm.get("labels")
        if "deletionTimestamp" in nm:
            self.on_delete(new)
            if labels_changed:
                self.on_delete(old)
            return
        ns = nm.get("namespace", "")
        old_ref, new_ref = controller_of(old), controller_of(new)
        if old_ref is not None and old_ref != new_ref:
            rs = self.ctrl.resolve_controller_ref(ns, old_ref)
            if rs is not None:
                self.ctrl.enqueue(rs)
        if new_ref is not None:
            rs = self.ctrl.resolve_controller_ref(ns, new_ref)
            if rs is not None:
                if labels_changed or old_ref != new_ref:
                    self.ctrl.enqueue(rs)
                else:  # a status change: coalesced with its neighbours
                    self.ctrl.enqueue_after(rs, POD_STATUS_BATCH_PERIOD)
                min_ready = (rs.get("spec") or {}).get("minReadySeconds") or 0
                if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
                    self.ctrl.enqueue_after(rs, float(min_ready) + 1.0)
            return
        if labels_changed or old_ref != new_ref:
            for rs in self.ctrl.replica_sets_for_pod(new):
                self.ctrl.enqueue(rs)

    def on_delete(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        self.ctrl.facts.forget(pod)  # at worst recomputed on the next sync
        ref = controller_of(pod)
        if ref is None:
            return
        rs = self.ctrl.resolve_controller_ref(pod["metadata"].get("namespace", ""), ref)
        if rs is None:
            return
        key = meta_namespace_key(rs)
        self.ctrl.expectations.deletion_observed(key, meta_namespace_key(pod))
        self.ctrl.queue.add(key)
