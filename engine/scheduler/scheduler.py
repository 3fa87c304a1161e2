"""kube-scheduler: informers, cache, queue and the scheduling loop.

Upstream: ``pkg/scheduler/scheduler.go`` (``New``, ``Run``) and
``eventhandlers.go`` (``addAllEventHandlers``: assigned pods feed the cache,
unassigned pods of this scheduler feed the queue, node and storage changes
move unschedulable pods; the pod informer leaves out Succeeded and Failed
pods with a field selector, as ``newPodInformer`` does).

``run_scheduler(cluster)`` is the cluster component
(``engine/components.py``); it puts the :class:`Scheduler` on
``cluster.scheduler``, whose :meth:`Scheduler.explain` returns the latest
scheduling explanation of a pod (see :mod:`engine.scheduler.explain`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import OrderedDict
from typing import Any

import orjson

from engine.api import errors, patch
from engine.api.admission.base import UserInfo
from engine.client import LocalClient
from engine.events.recorder import EventRecorder
from engine.runtime import (
    FilteringEventHandler,
    LeaderCallbacks,
    LeaderElectionConfig,
    LeaderElector,
    LeaseLock,
    SharedInformerFactory,
    tombstone_object,
)
from engine.runtime.handlers import EventHandlerFuncs
from engine.scheduler import config, explain
from engine.scheduler.cache.cache import Cache
from engine.scheduler.event_sink import DeferredRecorder
from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.plugins.default_binder import ANNOTATIONS_KEY
from engine.scheduler.framework.pod_info import PodInfo, QueuedPodInfo
from engine.scheduler.framework.runtime import Framework
from engine.scheduler.framework.selectors import LabelSelector
from engine.scheduler.queue import events as ev
from engine.scheduler.queue.scheduling_queue import SchedulingQueue
from engine.scheduler.schedule_one import schedule_one

log = logging.getLogger(__name__)

Obj = dict[str, Any]

FIELD_MANAGER = "kube-scheduler"  # the binary's user agent, as managedFields show it
SCHEDULER_USER = UserInfo(name="system:kube-scheduler", groups=("system:authenticated",))
# newPodInformer watches with the field selector
# "status.phase!=Succeeded,status.phase!=Failed"; the same filter is applied here
# to the shared pod informer's events (a terminal pod leaves both views as a
# delete), which spares the API server a field evaluation per pod event.
TERMINAL_PHASES = ("Succeeded", "Failed")
# Leader election (kube-scheduler's defaults: --leader-elect-lease-duration 15s,
# --leader-elect-renew-deadline 10s, --leader-elect-retry-period 2s).
LEASE_NAME = "kube-scheduler"
LEASE_NAMESPACE = "kube-system"
LEASE_DURATION = 15.0
RENEW_DEADLINE = 10.0
RETRY_PERIOD = 2.0
BATCH = 16  # pods per turn of the engine loop
MAX_EXPLANATIONS = 100  # full records; older ones are read back from the pod's annotation
# Other informers the plugins read, by the name the handle uses.
LOOKUPS = {
    "namespaces": "namespaces", "pvcs": "persistentvolumeclaims", "pvs": "persistentvolumes",
    "storageclasses": "storageclasses", "services": "services",
    "rcs": "replicationcontrollers", "replicasets": "replicasets",
    "statefulsets": "statefulsets", "pdbs": "poddisruptionbudgets",
}
# Which informer events move unschedulable pods, and as what cluster event.
STORAGE_EVENTS = {"pvcs": ev.PVC, "pvs": ev.PV, "storageclasses": ev.STORAGE_CLASS}


class Scheduler:
    """One kube-scheduler with the default profile."""

    def __init__(self, cluster: Any, *, percentage_of_nodes_to_score: int = 0,
                 annotate: bool = True, seed: int | None = None) -> None:
        self.cluster = cluster
        self.clock = cluster.clock
        assert cluster.api is not None
        self.client = LocalClient(cluster.api, user=SCHEDULER_USER, field_manager=FIELD_MANAGER)
        self.recorder = DeferredRecorder(EventRecorder(self.client, config.SCHEDULER_NAME))
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.annotate = annotate
        seed = cluster.config.seed if seed is None else seed
        self.rng = random.Random(f"kube-scheduler/{seed}")
        self.cache = Cache()
        self.framework = Framework(config.default_plugins(self), config.SCORE_WEIGHTS,
                                   cache=self.cache)
        self.queue = SchedulingQueue(
            self.clock, pre_enqueue=[(p.name, p.pre_enqueue) for p in self.framework.pre_enqueue],
            hints=self.framework.queueing_hints())
        self.next_start_node_index = 0
        self.explanations: OrderedDict[str, explain.AttemptRecord] = OrderedDict()
        self.factory = SharedInformerFactory(self.client)
        self.pod_informer = self.factory.informer_for("pods")
        self.node_informer = self.factory.informer_for("nodes")
        self.informers = {name: self.factory.informer_for(res) for name, res in LOOKUPS.items()}
        self.scheduled = 0
        self.current_record: explain.AttemptRecord | None = None
        self.identity = default_identity(cluster)
        self.elector: LeaderElector | None = None
        # default_selector's answers: (namespace, owner kind, labels) ->
        # (services, owner, selector)
        self._selectors: dict[tuple, tuple[list[Obj], Obj | None, LabelSelector | None]] = {}
        self._register_handlers()

    # -- event handlers (eventhandlers.go) ---------------------------------------------------
    def _register_handlers(self) -> None:
        self.pod_informer.add_event_handler(FilteringEventHandler(_assigned, EventHandlerFuncs(
            self._add_pod_to_cache, self._update_pod_in_cache, self._delete_pod_from_cache)))
        self.pod_informer.add_event_handler(FilteringEventHandler(
            self._responsible_unassigned, EventHandlerFuncs(
                self._add_pod_to_queue, self._update_pod_in_queue, self._delete_pod_from_queue)))
        self.pod_informer.add_event_handler(FilteringEventHandler(
            _not_terminal, EventHandlerFuncs(on_delete=self._forget_explanation)))
        self.node_informer.add_event_handler(
            on_add=self._add_node, on_update=self._update_node, on_delete=self._delete_node)
        for name, resource in STORAGE_EVENTS.items():
            self.informers[name].add_event_handler(
                on_add=lambda obj, r=resource: self._move(ev.ClusterEvent(r, ev.ADD), None, obj),
                on_update=lambda old, new, r=resource: self._move(
                    ev.ClusterEvent(r, ev.UPDATE), old, new))

    def _move(self, event: ev.ClusterEvent, old: Any, new: Any) -> None:
        self.queue.move_all_to_active_or_backoff(event, old, new)

    def _responsible_unassigned(self, obj: Any) -> bool:
        pod = tombstone_object(obj)
        spec = pod.get("spec") or {}
        return not spec.get("nodeName") and _not_terminal(pod) and \
            (spec.get("schedulerName") or config.SCHEDULER_NAME) == config.SCHEDULER_NAME

    def _add_pod_to_cache(self, pod: Obj) -> None:
        pi = self.cache.add_pod(pod)
        self.queue.assigned_pod_added(pi)

    def _update_pod_in_cache(self, old: Obj, new: Obj) -> None:
        if old is new:
            return
        pi = self.cache.update_pod(old, new)
        self.queue.assigned_pod_updated(old, new, pi)

    def _delete_pod_from_cache(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        self.cache.remove_pod(pod)
        self.queue.move_all_to_active_or_backoff(ev.ASSIGNED_POD_DELETE, pod, None)

    def _add_pod_to_queue(self, pod: Obj) -> None:
        self.queue.add(pod)

    def _update_pod_in_queue(self, old: Obj, new: Obj) -> None:
        if old.get("metadata", {}).get("resourceVersion") == \
                new.get("metadata", {}).get("resourceVersion"):
            return
        if self.cache.is_assumed(new["metadata"].get("uid", "")):
            return
        self.queue.update(old, new)

    def _delete_pod_from_queue(self, obj: Any) -> None:
        self.queue.delete(tombstone_object(obj))

    def _forget_explanation(self, obj: Any) -> None:
        self.explanations.pop(_key(tombstone_object(obj)), None)

    def _add_node(self, node: Obj) -> None:
        self.cache.add_node(node)
        self.queue.move_all_to_active_or_backoff(ev.NODE_ADD, None, node)

    def _update_node(self, old: Obj, new: Obj) -> None:
        if old is new:
            return
        self.cache.update_node(old, new)
        for event in ev.node_scheduling_properties_change(new, old):
            self.queue.move_all_to_active_or_backoff(event, old, new)

    def _delete_node(self, obj: Any) -> None:
        node = tombstone_object(obj)
        self.cache.remove_node(node)
        self.queue.move_all_to_active_or_backoff(ev.NODE_DELETE, node, None)

    # -- the handle plugins use ----------------------------------------------------------------
    def lister(self, name: str) -> Any:
        return self.informers[name].indexer

    def namespaces(self) -> dict[str, dict[str, str]]:
        return {ns["metadata"]["name"]: ns["metadata"].get("labels") or {}
                for ns in self.lister("namespaces").list()}

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        ns = self.lister("namespaces").get_by_key(namespace)
        return ((ns or {}).get("metadata") or {}).get("labels") or {}

    def get(self, name: str, namespace: str, obj_name: str) -> Obj | None:
        key = f"{namespace}/{obj_name}" if namespace else obj_name
        return self.lister(name).get_by_key(key)

    def pod_lister_get(self, namespace: str, name: str) -> Obj | None:
        return self.pod_informer.indexer.get_by_key(f"{namespace}/{name}")

    def default_selector(self, pod: Obj) -> LabelSelector | None:
        """``helper.DefaultSelector``: the selectors of the services and the
        controller (RC, ReplicaSet, StatefulSet) that select the pod."""
        m = pod.get("metadata") or {}
        ns, labels = m.get("namespace", ""), m.get("labels") or {}
        services = self.lister("services").by_index("namespace", ns)
        owner = next((o for o in m.get("ownerReferences") or () if o.get("controller")), None)
        kind = owner.get("kind") if owner is not None else None
        found = None
        if owner is not None:
            if kind == "ReplicationController":
                found = self.get("rcs", ns, owner.get("name", ""))
            elif kind in ("ReplicaSet", "StatefulSet"):
                lister = "replicasets" if kind == "ReplicaSet" else "statefulsets"
                found = self.get(lister, ns, owner.get("name", ""))
        # The answer depends on the labels, the owner's kind, the namespace's
        # services and the owner found: pods of one workload share it while
        # those objects stay equal.
        key = (ns, kind, tuple(labels.items()))
        hit = self._selectors.get(key)
        if hit is not None and hit[1] == found and hit[0] == services:
            return hit[2]
        selector = _default_selector(labels, services, kind, found)
        if len(self._selectors) > 1024:
            self._selectors.clear()
        self._selectors[key] = (services, found, selector)
        return selector

    # -- results -------------------------------------------------------------------------------
    def remember(self, record: explain.AttemptRecord) -> None:
        self.explanations[record.pod] = record
        self.explanations.move_to_end(record.pod)
        while len(self.explanations) > MAX_EXPLANATIONS:
            self.explanations.popitem(last=False)
        if record.result == "Scheduled":
            self.scheduled += 1

    def explain(self, namespace: str, name: str) -> dict[str, Any] | None:
        """The latest explanation record of a pod: in full for the last
        :data:`MAX_EXPLANATIONS` pods scheduled or attempted, else the bounded
        copy from the pod's annotation (None if there is neither)."""
        record = self.explanations.get(f"{namespace}/{name}")
        if record is not None:
            return record.to_dict()
        pod = self.pod_lister_get(namespace, name)
        return None if pod is None else explain.from_pod(pod)

    def annotate_binding(self, state: CycleState, record: explain.AttemptRecord) -> None:
        if self.annotate:
            body = orjson.dumps(record.to_annotation()).decode()
            state.write(ANNOTATIONS_KEY, {explain.ANNOTATION: body})

    def annotate_failure(self, pi: PodInfo, record: explain.AttemptRecord) -> None:
        """Write the bounded record on the pod unless only attempt/time changed."""
        if not self.annotate:
            return
        data = record.to_annotation()
        current = ((pi.pod.get("metadata") or {}).get("annotations") or {}).get(
            explain.ANNOTATION)
        if current:
            with contextlib.suppress(ValueError):
                if explain.same_content(orjson.loads(current), data):
                    return
        body = {"metadata": {"annotations": {explain.ANNOTATION: orjson.dumps(data).decode()}}}
        with contextlib.suppress(errors.StatusError):
            self.client.patch("pods", pi.name, body, patch.MERGE_PATCH, namespace=pi.namespace)

    def update_pod_condition(self, pi: PodInfo, reason: str, message: str,
                             nominated: str | None) -> None:
        """``updatePod``: PodScheduled=False and the nominated node, when changed."""
        status = pi.pod.get("status") or {}
        old = next((c for c in status.get("conditions") or ()
                    if c.get("type") == "PodScheduled"), None)
        nnn_changed = nominated is not None and (status.get("nominatedNodeName") or "") != \
            nominated
        cond = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                "lastTransitionTime": self.clock.rfc3339(), "reason": reason, "message": message}
        if old is not None and old.get("status") == "False":
            cond["lastTransitionTime"] = old.get("lastTransitionTime")
        same = old is not None and all(old.get(k) == cond[k] for k in (
            "status", "reason", "message", "lastTransitionTime")) and old.get(
            "lastProbeTime") is None
        if same and not nnn_changed:
            return
        body: Obj = {"status": {"conditions": [cond]}}
        if nnn_changed:
            body["status"]["nominatedNodeName"] = nominated or None
        with contextlib.suppress(errors.StatusError):
            self.client.patch("pods", pi.name, body, patch.STRATEGIC_MERGE_PATCH,
                              namespace=pi.namespace, subresource="status")

    def record_preemption(self, pod: PodInfo, data: dict[str, Any]) -> None:
        """Attach what DefaultPreemption tried to the current attempt's record."""
        if self.current_record is not None and self.current_record.pod == pod.key:
            self.current_record.preemption = data

    def clear_nominated_node_name(self, pi: PodInfo) -> None:
        """``util.ClearNominatedNodeName``."""
        if not ((pi.pod.get("status") or {}).get("nominatedNodeName")):
            return
        with contextlib.suppress(errors.StatusError):
            self.client.patch("pods", pi.name, {"status": {"nominatedNodeName": None}},
                              patch.STRATEGIC_MERGE_PATCH, namespace=pi.namespace,
                              subresource="status")

    def on_binding_failure(self, pi: PodInfo) -> None:
        """``handleBindingCycleError``: the assumed pod is gone, others may fit."""
        self.queue.move_all_to_active_or_backoff(ev.ASSIGNED_POD_DELETE, pi.pod, None)

    # -- running ---------------------------------------------------------------------------------
    async def run(self) -> None:
        """The kube-scheduler process: sync the informers, then schedule while
        holding the ``kube-system/kube-scheduler`` Lease (``leaderElect``)."""
        self.factory.start()
        await self.factory.wait_for_cache_sync()
        flushes = asyncio.get_running_loop().create_task(self.queue.run_flushes())
        try:
            while True:  # upstream exits when leadership is lost; here it contends again
                self.elector = LeaderElector(self._election_config())
                await self.elector.run()
                await asyncio.sleep(0)
        finally:
            if self.elector is not None:
                self.elector.stop()
            flushes.cancel()
            self.queue.close()
            self.factory.stop()

    def _election_config(self) -> LeaderElectionConfig:
        lock = LeaseLock(self.client, LEASE_NAME, self.identity, namespace=LEASE_NAMESPACE)
        return LeaderElectionConfig(lock, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD,
                                    LeaderCallbacks(on_started_leading=self.schedule_loop),
                                    name=LEASE_NAME)

    async def schedule_loop(self) -> None:
        """``Run``'s loop (``ScheduleOne`` until stopped). Up to :data:`BATCH` pods
        are scheduled per turn of the engine loop; their events are written before
        the loop moves on, so a kubelet's events about a pod never come before the
        scheduler's."""
        queue = self.queue
        while True:
            qpi: QueuedPodInfo | None = await queue.pop()
            done = 0
            while qpi is not None:
                try:
                    schedule_one(self, qpi)
                except Exception:  # one pod's failure must not stop the scheduler
                    log.exception("scheduling %s failed", qpi.key)
                    queue.done(qpi.key)
                done += 1
                qpi = queue.pop_nowait() if done < BATCH and queue.active else None
            self.recorder.flush()
            await asyncio.sleep(0)


def _default_selector(labels: dict[str, str], services: list[Obj], kind: str | None,
                      found: Obj | None) -> LabelSelector | None:
    """``helper.DefaultSelector`` from what :meth:`Scheduler.default_selector` looked up."""
    match_labels: dict[str, str] = {}
    for svc in services:
        selector = (svc.get("spec") or {}).get("selector")
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            match_labels.update(selector)
    expressions: list[Obj] = []
    if kind == "ReplicationController":
        if found is not None:
            match_labels.update((found.get("spec") or {}).get("selector") or {})
    elif kind in ("ReplicaSet", "StatefulSet"):
        sel = ((found or {}).get("spec") or {}).get("selector") or {}
        match_labels.update(sel.get("matchLabels") or {})
        expressions.extend(sel.get("matchExpressions") or ())
    if not match_labels and not expressions:
        return None
    return LabelSelector({"matchLabels": match_labels, "matchExpressions": expressions})


def default_identity(cluster: Any) -> str:
    """``<hostname>_<uuid>``: the control-plane node's name, a seeded uuid."""
    specs = cluster.config.node_specs()
    host = next((s.name for s in specs if s.control_plane), cluster.config.name)
    rng = random.Random(f"kube-scheduler-identity/{cluster.config.seed}")
    return f"{host}_{uuid.UUID(int=rng.getrandbits(128), version=4)}"


def _not_terminal(obj: Any) -> bool:
    return (tombstone_object(obj).get("status") or {}).get("phase") not in TERMINAL_PHASES


def _assigned(obj: Any) -> bool:
    pod = tombstone_object(obj)
    return bool((pod.get("spec") or {}).get("nodeName")) and _not_terminal(pod)


def _key(pod: Obj) -> str:
    m = pod.get("metadata") or {}
    return f"{m.get('namespace', '')}/{m.get('name', '')}"


async def run_scheduler(cluster: Any) -> None:
    """The cluster component: one scheduler on ``cluster.scheduler``."""
    scheduler = Scheduler(cluster)
    cluster.scheduler = scheduler
    await scheduler.run()
