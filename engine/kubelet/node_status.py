"""The node's status as the kubelet computes and reports it.

Upstream: ``pkg/kubelet/kubelet_node_status.go`` (``syncNodeStatus``,
``tryUpdateNodeStatus``) and ``pkg/kubelet/nodestatus/setters.go``. Every
``nodeStatusUpdateFrequency`` (10 s) the kubelet recomputes the status; it
writes it only when something other than heartbeat times changed, or when
``nodeStatusReportFrequency`` (5 min) has passed since the last write - the
Lease carries liveness in between. A condition that changes status records
the kubelet's node event (``Node x status is now: NodeReady``), with the
condition's ``lastTransitionTime`` moving only then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.bootstrap.nodes import KUBERNETES_VERSION, NodeSpec

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet

Obj = dict[str, Any]

UPDATE_FREQUENCY = 10.0
REPORT_FREQUENCY = 300.0
MAX_IMAGES = 50  # --node-status-max-images

# (type, healthy status, reason, message, event) per kubelet-owned condition.
CONDITIONS = (
    ("MemoryPressure", "False", "KubeletHasSufficientMemory",
     "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
     "NodeHasNoDiskPressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
     "NodeHasSufficientPID"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status", "NodeReady"),
)


def machine_id(spec: NodeSpec) -> str:
    """A stable machine id per node name (systemd's 32 hex digits)."""
    return hashlib.sha256(f"machine:{spec.name}".encode()).hexdigest()[:32]


def node_info(spec: NodeSpec) -> Obj:
    mid = machine_id(spec)
    uuid = f"{mid[:8]}-{mid[8:12]}-{mid[12:16]}-{mid[16:20]}-{mid[20:32]}"
    return {
        "machineID": mid, "systemUUID": uuid, "bootID": uuid[::-1],
        "kernelVersion": "6.1.0-28-amd64", "osImage": "Debian GNU/Linux 12 (bookworm)",
        "containerRuntimeVersion": "containerd://1.7.24", "kubeletVersion": KUBERNETES_VERSION,
        "kubeProxyVersion": KUBERNETES_VERSION, "operatingSystem": "linux",
        "architecture": "amd64",
    }


def resources(spec: NodeSpec) -> Obj:
    return {"cpu": spec.cpu, "ephemeral-storage": spec.ephemeral_storage, "hugepages-1Gi": "0",
            "hugepages-2Mi": "0", "memory": spec.memory, "pods": spec.pods}


def build_status(spec: NodeSpec, images: list[Obj], previous: Obj | None, now: str,
                 record: Callable[[str], None]) -> Obj:
    """The status to report; ``record(event_reason)`` for each condition that changed."""
    return {
        "capacity": resources(spec),
        "allocatable": resources(spec),
        "conditions": conditions(previous, now, record),
        "addresses": [{"type": "InternalIP", "address": spec.internal_ip},
                      {"type": "Hostname", "address": spec.name}],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": node_info(spec),
        "images": images[:MAX_IMAGES],
    }


def conditions(previous: Obj | None, now: str, record: Callable[[str], None]) -> list[Obj]:
    """The kubelet's four conditions, healthy, keeping transition times that did not change."""
    old = {c.get("type"): c for c in (previous or {}).get("conditions") or ()}
    out = []
    for kind, status, reason, message, event in CONDITIONS:
        before = old.get(kind)
        changed = before is None or before.get("status") != status
        if changed and (before is not None or kind != "Ready"):
            record(event)  # a new Ready condition records nothing (setters.go)
        out.append({"type": kind, "status": status, "lastHeartbeatTime": now,
                    "lastTransitionTime": now if changed else before.get("lastTransitionTime"),
                    "reason": reason, "message": message})
    kept = [c for t, c in old.items() if t not in {row[0] for row in CONDITIONS}]
    return out + kept


def status_changed(old: Obj | None, new: Obj) -> bool:
    """``nodeStatusHasChanged``: any difference but the heartbeat times."""
    if old is None:
        return True
    return _without_heartbeats(old) != _without_heartbeats(new)


def _without_heartbeats(status: Obj) -> Obj:
    out = dict(status)
    out["conditions"] = [{k: v for k, v in c.items() if k != "lastHeartbeatTime"}
                         for c in status.get("conditions") or ()]
    return out


class NodeStatusUpdater:
    """The kubelet's periodic node status sync, on the engine clock."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.clock = kubelet.clock
        self.last_report = -1e18
        self._timer: Any = None

    def start(self, offset: float) -> None:
        self._timer = self.clock.call_later(offset, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        self._timer = self.clock.call_later(UPDATE_FREQUENCY, self._tick)
        try:
            self.sync()
        except errors.StatusError as err:
            self.kubelet.log.warning("node status update failed: %s", err)

    def sync(self, force: bool = False) -> None:
        """``tryUpdateNodeStatus``: write when changed or when a report is due."""
        kubelet = self.kubelet
        node = kubelet.current_node()
        if node is None:
            return
        now = self.clock.monotonic()
        events: list[str] = []
        status = build_status(kubelet.spec, kubelet.runtime.image_list(), node.get("status"),
                              self.clock.rfc3339(), events.append)
        due = now - self.last_report >= REPORT_FREQUENCY
        if not (force or due or status_changed(node.get("status"), status)):
            return
        kubelet.write_node_status(status)
        self.last_report = now
        for event in events:
            kubelet.node_event(event, f"Node {kubelet.name} status is now: {event}")
