"""Node health as the node lifecycle controller judges it.

Upstream: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go``
(``tryUpdateNodeHealth``). The controller trusts its own clock, not the
timestamps a kubelet writes: it remembers *when it saw* the node's status
heartbeat or its Lease's ``renewTime`` last move (the probe timestamp). When
that is older than the grace period - ``--node-monitor-grace-period``, 50 s
since v1.32 (PR #126287; 40 s before) - or, for a node that never reported,
``--node-startup-grace-period`` (60 s) after its creation, every kubelet
condition becomes ``Unknown`` (``NodeStatusUnknown``, "Kubelet stopped
posting node status.", or ``NodeStatusNeverUpdated``, "Kubelet never posted
node status.").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

MONITOR_GRACE_PERIOD = 50.0
STARTUP_GRACE_PERIOD = 60.0
MONITORED = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")


@dataclass
class Health:
    """``nodeHealthData``."""

    probe_timestamp: float
    ready_transition: float
    heartbeats: tuple
    renew_time: str


def heartbeats(node: Obj) -> tuple:
    """What counts as the kubelet posting status: the conditions' heartbeats."""
    return tuple((c.get("type"), c.get("lastHeartbeatTime"), c.get("status"))
                 for c in (node.get("status") or {}).get("conditions") or ())


def observe(saved: Health | None, node: Obj, lease: Obj | None, now: float) -> Health:
    """Update the probe timestamp when the status or the Lease moved."""
    renew = ((lease or {}).get("spec") or {}).get("renewTime") or ""
    beats = heartbeats(node)
    if saved is None:
        return Health(now, now, beats, renew)
    if beats != saved.heartbeats:
        saved.probe_timestamp = now
        saved.heartbeats = beats
    if renew and renew > saved.renew_time:
        saved.probe_timestamp = now
        saved.renew_time = renew
    return saved


def unknown_conditions(node: Obj, now_stamp: str) -> list[Obj] | None:
    """The conditions with everything the kubelet owns set to Unknown; None if
    they are already Unknown."""
    conditions = [dict(c) for c in (node.get("status") or {}).get("conditions") or ()]
    by_type = {c.get("type"): c for c in conditions}
    changed = False
    created = node["metadata"].get("creationTimestamp") or now_stamp
    for kind in MONITORED:
        cond = by_type.get(kind)
        if cond is None:
            conditions.append({"type": kind, "status": "Unknown",
                               "reason": "NodeStatusNeverUpdated",
                               "message": "Kubelet never posted node status.",
                               "lastHeartbeatTime": created, "lastTransitionTime": now_stamp})
            changed = True
        elif cond.get("status") != "Unknown":
            cond.update(status="Unknown", reason="NodeStatusUnknown",
                        message="Kubelet stopped posting node status.",
                        lastTransitionTime=now_stamp)
            changed = True
    return conditions if changed else None
