"""The node lifecycle controller (kube-controller-manager's ``node-lifecycle-controller``).

Upstream: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go``.

* Every ``--node-monitor-period`` (5 s) it checks each node's health
  (:mod:`.health`): a node whose kubelet went quiet for the grace period gets
  its conditions set to ``Unknown``; a node that turns not-ready records
  ``NodeNotReady`` ("Node x status is now: NodeNotReady") and has its pods'
  ``Ready`` condition set to False (``MarkPodsNotReady``, each pod recording
  ``NodeNotReady`` "Node is not ready").
* Taint-based eviction: a not-ready node gets ``node.kubernetes.io/not-ready``
  and an unknown one ``node.kubernetes.io/unreachable``, effect NoExecute with
  ``timeAdded``, through a per-zone rate limiter (``--node-eviction-rate``
  0.1 nodes/s; ``--secondary-node-eviction-rate`` 0.01 in a partially
  disrupted zone of more than 50 nodes, else none; nothing while a zone is
  fully disrupted, and if every zone is, the taints are lifted - the
  controller assumes it is the one cut off). A Ready node loses them at once.
* TaintNodesByCondition: NoSchedule taints mirror the conditions
  (not-ready, unreachable, memory/disk/pid-pressure, network-unavailable)
  and ``spec.unschedulable`` (``node.kubernetes.io/unschedulable``: cordon).
* ``RegisteredNode`` / ``RemovingNode`` events as nodes come and go.

The pods themselves are evicted by :mod:`.eviction`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from engine.api import errors
from engine.clock import Clock
from engine.controllers.nodelifecycle import health, taints
from engine.events.recorder import EventRecorder
from engine.runtime import SharedInformerFactory, tombstone_object

Obj = dict[str, Any]
log = logging.getLogger(__name__)

MONITOR_PERIOD = 5.0
EVICTION_PERIOD = 0.1
EVICTION_RATE = 0.1
SECONDARY_EVICTION_RATE = 0.01
UNHEALTHY_ZONE_THRESHOLD = 0.55
LARGE_CLUSTER_THRESHOLD = 50
ZONE_LABEL = "topology.kubernetes.io/zone"
NODE_NAME_INDEX = "nodeName"


def node_name_index(pod: Obj) -> list[str]:
    node = (pod.get("spec") or {}).get("nodeName")
    return [node] if node else []


class _Bucket:
    """``flowcontrol.NewTokenBucketRateLimiter(qps, burst=1)`` on the engine clock."""

    def __init__(self, clock: Clock, qps: float) -> None:
        self.clock, self.qps = clock, qps
        self.tokens, self.last = 1.0, clock.monotonic()

    def take(self) -> bool:
        now = self.clock.monotonic()
        self.tokens = min(1.0, self.tokens + (now - self.last) * self.qps)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class NodeLifecycleController:
    """Node health, NoExecute and NoSchedule taints, pods on lost nodes."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        self.client = client
        self.clock: Clock = client.clock
        self.recorder = EventRecorder(client, "node-controller")
        self.nodes = factory.informer_for("nodes")
        self.leases = factory.informer_for("leases", namespace="kube-node-lease")
        self.pods = factory.informer_for("pods", indexers={NODE_NAME_INDEX: node_name_index})
        self.health: dict[str, health.Health] = {}
        self.last_ready: dict[str, str] = {}
        self.zone_buckets: dict[str, _Bucket] = {}
        self.zone_rates: dict[str, float] = {}
        self.taint_queue: dict[str, str] = {}  # node -> zone, waiting for a token
        self._no_schedule: dict[str, None] = {}
        self._flush_scheduled = False
        self._eviction_timer: Any = None
        self.nodes.add_event_handler(on_add=self._node_added, on_update=self._node_updated,
                                     on_delete=self._node_deleted)

    async def run(self) -> None:
        await asyncio.gather(self.nodes.wait_for_cache_sync(), self.leases.wait_for_cache_sync(),
                             self.pods.wait_for_cache_sync())
        while True:
            try:
                self.monitor()
            except errors.StatusError as err:
                log.warning("node health monitoring failed: %s", err)
            await self.clock.sleep(MONITOR_PERIOD)

    # -- node events -------------------------------------------------------------------
    def _node_added(self, node: Obj) -> None:
        name = node["metadata"]["name"]
        self._event(node, "RegisteredNode", f"Node {name} event: Registered Node {name} in "
                    "Controller")
        self._queue_no_schedule(name)

    def _node_updated(self, old: Obj, new: Obj) -> None:
        if (old.get("status") or {}).get("conditions") != (new.get("status") or {}).get(
                "conditions") or (old.get("spec") or {}) != (new.get("spec") or {}):
            self._queue_no_schedule(new["metadata"]["name"])

    def _node_deleted(self, obj: Any) -> None:
        node = tombstone_object(obj)
        name = node["metadata"]["name"]
        self._event(node, "RemovingNode", f"Node {name} event: Removing Node {name} from "
                    "Controller")
        for table in (self.health, self.last_ready, self.taint_queue):
            table.pop(name, None)

    # -- TaintNodesByCondition -----------------------------------------------------------------
    def _queue_no_schedule(self, name: str) -> None:
        self._no_schedule[name] = None
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.clock.loop.call_soon(self._flush_no_schedule)

    def _flush_no_schedule(self) -> None:
        self._flush_scheduled = False
        names, self._no_schedule = list(self._no_schedule), {}
        for name in names:
            node = self.nodes.indexer.get_by_key(name)
            if node is None:
                continue
            wanted = taints.no_schedule_taints(node)
            try:
                taints.update_taints(self.client, node,
                                     lambda current, w=wanted: taints.reconcile_no_schedule(
                                         current, w))
            except errors.StatusError as err:
                log.warning("failed to update NoSchedule taints of %s: %s", name, err)

    # -- monitorNodeHealth ----------------------------------------------------------------------
    def monitor(self) -> None:
        now = self.clock.monotonic()
        nodes = self.nodes.indexer.list()
        for node in nodes:
            self._monitor_one(node, now)
        self._update_zones(nodes)

    def _monitor_one(self, node: Obj, now: float) -> None:
        name = node["metadata"]["name"]
        lease = self.leases.indexer.get_by_key(f"kube-node-lease/{name}")
        state = self.health[name] = health.observe(self.health.get(name), node, lease, now)
        has_ready = taints.condition(node, "Ready") is not None
        grace = health.MONITOR_GRACE_PERIOD if has_ready else health.STARTUP_GRACE_PERIOD
        if now > state.probe_timestamp + grace:
            conditions = health.unknown_conditions(node, self.clock.rfc3339())
            if conditions is not None:
                node = self._write_conditions(node, conditions) or node
                state.heartbeats = health.heartbeats(node)
        ready = taints.condition(node, "Ready")
        status = ready.get("status", "Unknown") if ready else "Unknown"
        self._process_no_execute(node, status)
        if self.last_ready.get(name) == "True" and status != "True":
            self._event(node, "NodeNotReady", f"Node {name} status is now: NodeNotReady")
            self._mark_pods_not_ready(name)
        self.last_ready[name] = status

    def _write_conditions(self, node: Obj, conditions: list[Obj]) -> Obj | None:
        body = {**node, "status": {**(node.get("status") or {}), "conditions": conditions}}
        try:
            return self.client.update_status("nodes", body)
        except errors.StatusError as err:
            log.info("could not mark %s unknown: %s", node["metadata"]["name"], err)
            return None

    def _mark_pods_not_ready(self, node_name: str) -> None:
        """``MarkPodsNotReady``: Ready=False on every pod of the node."""
        for pod in list(self.pods.indexer.by_index(NODE_NAME_INDEX, node_name)):
            conditions = [dict(c) for c in (pod.get("status") or {}).get("conditions") or ()]
            ready = next((c for c in conditions if c.get("type") == "Ready"), None)
            if ready is None or ready.get("status") == "False":
                continue
            ready.update(status="False", lastTransitionTime=self.clock.rfc3339())
            body = {**pod, "status": {**pod["status"], "conditions": conditions}}
            try:
                self.client.update_status("pods", body)
            except errors.StatusError as err:
                log.info("could not mark pod %s not ready: %s", pod["metadata"]["name"], err)
                continue
            self._event(pod, "NodeNotReady", "Node is not ready", "Warning")

    # -- NoExecute taints, rate limited per zone -----------------------------------------------
    def _process_no_execute(self, node: Obj, ready: str) -> None:
        name = node["metadata"]["name"]
        if ready == "True":
            self.taint_queue.pop(name, None)
            self._set_no_execute(node, None)
            return
        want = taints.NOT_READY if ready == "False" else taints.UNREACHABLE
        current = [t.get("key") for t in (node.get("spec") or {}).get("taints") or ()
                   if t.get("effect") == taints.NO_EXECUTE]
        if want not in current:
            self.taint_queue[name] = _zone(node)
            self._arm_eviction_pass()

    def _arm_eviction_pass(self) -> None:
        if self._eviction_timer is None and self.taint_queue:
            self._eviction_timer = self.clock.call_later(0.0, self._eviction_pass)

    def _eviction_pass(self) -> None:
        """``doNoExecuteTaintingPass``: taint queued nodes as the zone limiters allow."""
        self._eviction_timer = None
        for name, zone in list(self.taint_queue.items()):
            node = self.nodes.indexer.get_by_key(name)
            if node is None:
                del self.taint_queue[name]
                continue
            bucket = self._bucket(zone)
            if bucket is None or not bucket.take():
                continue
            del self.taint_queue[name]
            ready = taints.condition(node, "Ready")
            status = ready.get("status", "Unknown") if ready else "Unknown"
            if status != "True":
                key = taints.NOT_READY if status == "False" else taints.UNREACHABLE
                self._set_no_execute(node, key)
        if self.taint_queue:
            self._eviction_timer = self.clock.call_later(EVICTION_PERIOD, self._eviction_pass)

    def _set_no_execute(self, node: Obj, key: str | None) -> None:
        stamp = self.clock.rfc3339()
        try:
            taints.update_taints(self.client, node,
                                 lambda current: taints.with_no_execute(current, key, stamp))
        except errors.StatusError as err:
            log.warning("failed to update NoExecute taints of %s: %s", node["metadata"]["name"],
                        err)

    def _bucket(self, zone: str) -> _Bucket | None:
        rate = self.zone_rates.get(zone, EVICTION_RATE)
        if rate <= 0:
            return None
        bucket = self.zone_buckets.get(zone)
        if bucket is None or bucket.qps != rate:
            bucket = self.zone_buckets[zone] = _Bucket(self.clock, rate)
        return bucket

    def _update_zones(self, nodes: list[Obj]) -> None:
        """``ComputeZoneState`` and ``handleDisruption``."""
        counts: dict[str, list[int]] = {}
        for node in nodes:
            ready = taints.condition(node, "Ready")
            counts.setdefault(_zone(node), [0, 0])[
                0 if ready and ready.get("status") == "True" else 1] += 1
        states = {zone: _zone_state(ok, bad) for zone, (ok, bad) in counts.items()}
        all_down = bool(states) and all(s == "FullDisruption" for s in states.values())
        for zone, state in states.items():
            size = sum(counts[zone])
            if all_down or state == "FullDisruption":
                self.zone_rates[zone] = 0.0
            elif state == "PartialDisruption":
                self.zone_rates[zone] = (SECONDARY_EVICTION_RATE
                                         if size > LARGE_CLUSTER_THRESHOLD else 0.0)
            else:
                self.zone_rates[zone] = EVICTION_RATE
        if all_down:
            for node in nodes:
                self.taint_queue.pop(node["metadata"]["name"], None)
                self._set_no_execute(node, None)

    def _event(self, obj: Obj, reason: str, message: str, event_type: str = "Normal") -> None:
        self.recorder.event(obj, event_type, reason, message)


def _zone(node: Obj) -> str:
    labels = node["metadata"].get("labels") or {}
    region = labels.get("topology.kubernetes.io/region", "")
    zone = labels.get(ZONE_LABEL, "")
    return f"{region}:\x00:{zone}" if region or zone else ""


def _zone_state(ready: int, not_ready: int) -> str:
    if ready == 0 and not_ready > 0:
        return "FullDisruption"
    if not_ready > 2 and not_ready / (ready + not_ready) >= UNHEALTHY_ZONE_THRESHOLD:
        return "PartialDisruption"
    return "Normal"
