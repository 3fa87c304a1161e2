"""Pods: Name, Ready, Status, Restarts, Age (+ IP, Node, Nominated Node,
Readiness Gates). The STATUS cell is upstream ``printPod``'s reason: the
phase, overridden by init progress (``Init:0/1``), container waiting or
terminated reasons (``CrashLoopBackOff``, ``Completed``) and ``Terminating``.
"""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    NAME,
    NONE,
    Column,
    dig,
    human_duration,
    meta,
    name,
    parse_time,
    since,
    wide,
)

Obj = dict[str, Any]

COLUMNS = (
    NAME,
    Column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
    Column("Status", description="The aggregate status of the containers in this pod."),
    Column("Restarts", description="The number of times the containers in this pod have been "
                                   "restarted and when the last container in this pod has "
                                   "restarted."),
    AGE,
    wide("IP", "IP address allocated to the pod. Routable at least within the cluster."),
    wide("Node", "Name of the Node this pod is scheduled on."),
    wide("Nominated Node", "Name of the Node where this pod is nominated to run."),
    wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod "
                            "readiness."),
)


def _restartable(container: Obj | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


class _Count:
    """Restart and readiness tallies while walking container statuses."""

    def __init__(self) -> None:
        self.restarts = 0
        self.last_restart: float | None = None
        self.sidecar_restarts = 0
        self.sidecar_last: float | None = None
        self.ready = 0

    @staticmethod
    def _later(a: float | None, status: Obj) -> float | None:
        finished = parse_time(dig(status, "lastState", "terminated", "finishedAt"))
        if finished is not None and (a is None or finished > a):
            return finished
        return a


def _terminated_reason(term: Obj, prefix: str) -> str:
    if term.get("reason"):
        return prefix + term["reason"]
    if term.get("signal"):
        return f"{prefix}Signal:{term['signal']}"
    return f"{prefix}ExitCode:{term.get('exitCode', 0)}"


def _init_reason(pod: Obj, count: _Count, reason: str) -> tuple[str, bool]:
    """Walk init containers; returns the reason and whether the pod is initializing."""
    spec_init = {c.get("name"): c for c in dig(pod, "spec", "initContainers", default=[])}
    total_init = len(spec_init)
    for i, status in enumerate(dig(pod, "status", "initContainerStatuses", default=[])):
        count.restarts += status.get("restartCount", 0)
        count.last_restart = count._later(count.last_restart, status)
        container = spec_init.get(status.get("name"))
        if _restartable(container):
            count.sidecar_restarts += status.get("restartCount", 0)
            count.sidecar_last = count._later(count.sidecar_last, status)
        state = status.get("state") or {}
        term, waiting = state.get("terminated"), state.get("waiting")
        if term is not None and term.get("exitCode", 0) == 0:
            continue
        if _restartable(container) and status.get("started"):
            if status.get("ready"):
                count.ready += 1
            continue
        if term is not None:
            return _terminated_reason(term, "Init:"), True
        if waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            return "Init:" + waiting["reason"], True
        return f"Init:{i}/{total_init}", True
    return reason, False


def _containers_reason(pod: Obj, count: _Count, reason: str) -> str:
    count.restarts = count.sidecar_restarts
    count.last_restart = count.sidecar_last
    running = False
    for status in reversed(dig(pod, "status", "containerStatuses", default=[])):
        count.restarts += status.get("restartCount", 0)
        count.last_restart = count._later(count.last_restart, status)
        state = status.get("state") or {}
        waiting, term = state.get("waiting"), state.get("terminated")
        if waiting is not None and waiting.get("reason"):
            reason = waiting["reason"]
        elif term is not None:
            reason = _terminated_reason(term, "")
        elif status.get("ready") and state.get("running") is not None:
            running = True
            count.ready += 1
    if reason == "Completed" and running:
        ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                    for c in dig(pod, "status", "conditions", default=[]))
        reason = "Running" if ready else "NotReady"
    return reason


def _initialized(pod: Obj) -> bool:
    return any(c.get("type") == "Initialized" and c.get("status") == "True"
               for c in dig(pod, "status", "conditions", default=[]))


def pod_status(pod: Obj, count: _Count | None = None) -> str:
    """The STATUS cell (upstream ``printPod``)."""
    count = count or _Count()
    status = pod.get("status") or {}
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    reason, initializing = _init_reason(pod, count, reason)
    if not initializing or _initialized(pod):
        reason = _containers_reason(pod, count, reason)
    deleting = meta(pod).get("deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason


def _readiness_gates(pod: Obj) -> str:
    gates = dig(pod, "spec", "readinessGates", default=[])
    if not gates:
        return NONE
    conditions = dig(pod, "status", "conditions", default=[])
    true = 0
    for gate in gates:
        for cond in conditions:
            if cond.get("type") == gate.get("conditionType"):
                true += cond.get("status") == "True"
                break
    return f"{true}/{len(gates)}"


def _row(pod: Obj, now: float) -> list[Any]:
    count = _Count()
    reason = pod_status(pod, count)
    spec = pod.get("spec") or {}
    total = len(spec.get("containers") or []) + sum(
        1 for c in spec.get("initContainers") or [] if _restartable(c))
    restarts = str(count.restarts)
    if count.restarts and count.last_restart is not None:
        restarts = f"{count.restarts} ({human_duration(now - count.last_restart)} ago)"
    ips = dig(pod, "status", "podIPs", default=[])
    ip = (ips[0].get("ip") if ips else "") or NONE
    return [name(pod), f"{count.ready}/{total}", reason, restarts,
            since(meta(pod).get("creationTimestamp"), now), ip,
            spec.get("nodeName") or NONE,
            dig(pod, "status", "nominatedNodeName") or NONE, _readiness_gates(pod)]


register("", "pods", COLUMNS, _row)
