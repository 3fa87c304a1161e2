"""Taints the node lifecycle controller manages, and toleration matching.

Upstream: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go``
(``UnreachableTaintTemplate``, ``NotReadyTaintTemplate``,
``nodeConditionToTaintKeyStatusMap``), ``k8s.io/api/core/v1``
``Toleration.ToleratesTaint`` and ``pkg/util/taints``.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors

Obj = dict[str, Any]

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
NO_EXECUTE = "NoExecute"
NO_SCHEDULE = "NoSchedule"

# TaintNodesByCondition: condition type -> {status: taint key}.
CONDITION_TAINTS = {
    "Ready": {"False": NOT_READY, "Unknown": UNREACHABLE},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
CONDITION_TAINT_KEYS = frozenset(k for m in CONDITION_TAINTS.values() for k in m.values())


def condition(node: Obj, kind: str) -> Obj | None:
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == kind:
            return cond
    return None


def no_schedule_taints(node: Obj) -> list[Obj]:
    """``doNoScheduleTaintingPass``: the NoSchedule taints the conditions and
    ``spec.unschedulable`` call for."""
    wanted = []
    for cond in (node.get("status") or {}).get("conditions") or ():
        key = CONDITION_TAINTS.get(cond.get("type"), {}).get(cond.get("status"))
        if key:
            wanted.append({"key": key, "effect": NO_SCHEDULE})
    if (node.get("spec") or {}).get("unschedulable"):
        wanted.append({"key": UNSCHEDULABLE, "effect": NO_SCHEDULE})
    return wanted


def reconcile_no_schedule(taints: list[Obj], wanted: list[Obj]) -> list[Obj] | None:
    """The node's taints with the controller's NoSchedule ones made to match
    ``wanted``; None when nothing changes."""
    managed = CONDITION_TAINT_KEYS | {UNSCHEDULABLE}
    current = [t for t in taints if t.get("effect") == NO_SCHEDULE and t.get("key") in managed]
    if _keys(current) == _keys(wanted):
        return None
    kept = [t for t in taints if not (t.get("effect") == NO_SCHEDULE and t.get("key") in managed)]
    return kept + wanted


def with_no_execute(taints: list[Obj], key: str | None, now: str) -> list[Obj] | None:
    """``swapNodeControllerTaint``/``markNodeAsReachable``: at most one of the
    not-ready/unreachable NoExecute taints, ``key`` (None: neither)."""
    ours = [t for t in taints if t.get("effect") == NO_EXECUTE and
            t.get("key") in (NOT_READY, UNREACHABLE)]
    if [t.get("key") for t in ours] == ([key] if key else []):
        return None
    kept = [t for t in taints if t not in ours]
    if key:
        kept.append({"key": key, "effect": NO_EXECUTE, "timeAdded": now})
    return kept


def _keys(taints: list[Obj]) -> set[tuple[str, str]]:
    return {(t.get("key", ""), t.get("effect", "")) for t in taints}


def tolerates(toleration: Obj, taint: Obj) -> bool:
    """``Toleration.ToleratesTaint``."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    operator = toleration.get("operator") or "Equal"
    if key and key != taint.get("key"):
        return False
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def update_taints(client: Any, node: Obj, change: Any) -> Obj | None:
    """Write ``change(taints) -> taints | None`` to the node, re-reading on a conflict."""
    for _ in range(5):
        taints = list((node.get("spec") or {}).get("taints") or ())
        new = change(taints)
        if new is None:
            return node
        spec = {k: v for k, v in (node.get("spec") or {}).items() if k != "taints"}
        if new:
            spec["taints"] = new
        try:
            return client.update("nodes", {**node, "spec": spec})
        except errors.StatusError as err:
            if err.code == 404:
                return None
            if err.reason != "Conflict":
                raise
            node = client.get("nodes", node["metadata"]["name"])
    return None
