"""One simulated kubelet: registers its node, heartbeats, runs its pods.

Upstream: ``pkg/kubelet/kubelet.go`` (``Run``: node registration, the node
status and lease loops, the sync loop over pods bound to this node). A
kubelet can be stopped and started again: stopped, it neither heartbeats nor
reports anything and its pods keep their last status, while its node's
container runtime keeps running their containers; started again, it
re-registers, relists the runtime and takes its pods up where they are.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.bootstrap.nodes import NodeSpec
from engine.kubelet import lease, node_status, registration
from engine.kubelet.events import kubelet_recorder
from engine.kubelet.pod_workers import PodWorkers
from engine.kubelet.runtime import NodeRuntime

if TYPE_CHECKING:
    from engine.kubelet.manager import KubeletManager

Obj = dict[str, Any]


class Kubelet:
    """The kubelet of one node."""

    def __init__(self, manager: KubeletManager, spec: NodeSpec, runtime: NodeRuntime) -> None:
        self.manager = manager
        self.spec = spec
        self.name = spec.name
        self.clock = manager.clock
        self.runtime = runtime
        self.client = manager.client_for(spec.name)
        self.recorder = kubelet_recorder(self.client, spec.name)
        self.log = logging.LoggerAdapter(logging.getLogger(__name__), {"node": spec.name})
        self.running = False
        self.node: Obj | None = None
        self.heartbeat = lease.LeaseHeartbeat(self)
        self.status = node_status.NodeStatusUpdater(self)
        self.pods = PodWorkers(self)

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Register (or re-register) the node and begin heartbeating."""
        if self.running:
            return
        self.running = True
        self.node_event("Starting", "Starting kubelet.")
        self.node, created = registration.register(self)
        self.node_event("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
        if created:
            self.status.last_report = self.clock.monotonic()  # created with its status
            for event in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure",
                          "NodeHasSufficientPID"):
                self.node_event(event, f"Node {self.name} status is now: {event}")
        else:
            self.status.sync(force=True)
        offset = self.manager.stagger(self.name)
        self.heartbeat.start(offset)
        self.status.start(offset)
        self.runtime.listener = self.pods.container_exited
        if self.manager.pods_synced:
            self.pods.adopt(self.manager.pods_on(self.name))

    def stop(self) -> None:
        """Stop heartbeating and syncing; containers keep running in the runtime."""
        if not self.running:
            return
        self.running = False
        self.heartbeat.stop()
        self.status.stop()
        self.runtime.listener = None
        self.pods.stop_all()

    # -- the node object ---------------------------------------------------------------
    def current_node(self) -> Obj | None:
        """The newest Node the kubelet has seen (its own writes or the informer's)."""
        cached = self.manager.node_cache(self.name)
        if cached is None:
            return self.node
        if self.node is None or _rv(cached) > _rv(self.node):
            self.node = cached
        return self.node

    def write_node_status(self, status: Obj) -> None:
        """PUT the status subresource; on a conflict re-read once and retry."""
        node = self.current_node()
        assert node is not None
        for attempt in range(2):
            body = {**node, "status": _merge_foreign(node.get("status") or {}, status)}
            try:
                # owned: a new top level over the read-only cached node and a
                # status built afresh (conditions kept from others only read);
                # the result is only read (see LocalClient.update_status).
                self.node = self.client.update_status("nodes", body, owned=True)
                return
            except errors.StatusError as err:
                if err.reason != "Conflict" or attempt:
                    raise
                node = self.client.get("nodes", self.name)

    def node_event(self, reason: str, message: str, event_type: str = "Normal") -> None:
        """An event about the node, referenced as the kubelet does (uid = node name)."""
        ref = {"kind": "Node", "metadata": {"name": self.name, "uid": self.name}}
        self.recorder.event(ref, event_type, reason, message)

    # -- pods -------------------------------------------------------------------------------
    def pod_changed(self, pod: Obj) -> None:
        if self.running:
            self.pods.update(pod)

    def pod_removed(self, pod: Obj) -> None:
        if self.running:
            self.pods.remove(pod)


def _merge_foreign(old: Obj, new: Obj) -> Obj:
    """Keep conditions the kubelet does not own (set by controllers) in the status."""
    ours = {c["type"] for c in new.get("conditions") or ()}
    extra = [c for c in old.get("conditions") or () if c.get("type") not in ours]
    if not extra:
        return new
    return {**new, "conditions": [*new["conditions"], *extra]}


def _rv(obj: Obj) -> int:
    try:
        return int(obj["metadata"].get("resourceVersion") or 0)
    except ValueError:
        return 0
