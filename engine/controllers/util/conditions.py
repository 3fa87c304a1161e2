"""Status conditions of workload objects.

Upstream: ``pkg/controller/deployment/util/deployment_util.go``
(``NewDeploymentCondition``, ``GetDeploymentCondition``,
``SetDeploymentCondition``, ``RemoveDeploymentCondition``) and the
ReplicaSet twins in ``pkg/controller/replicaset/replica_set_utils.go``.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def new_condition(cond_type: str, status: str, reason: str, message: str, now: str) -> Obj:
    """A condition stamped ``now``; ReplicaSet conditions have no lastUpdateTime."""
    return {"type": cond_type, "status": status, "lastUpdateTime": now,
            "lastTransitionTime": now, "reason": reason, "message": message}


def get_condition(status: Obj, cond_type: str) -> Obj | None:
    for cond in status.get("conditions") or ():
        if cond.get("type") == cond_type:
            return cond
    return None


def set_condition(status: Obj, cond: Obj) -> None:
    """Add or replace; the transition time only moves when the status changes,
    and an identical status and reason leave the condition as it was."""
    current = get_condition(status, cond["type"])
    if current is not None and current.get("status") == cond["status"] \
            and current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond = {**cond, "lastTransitionTime": current.get("lastTransitionTime")}
    others = [c for c in status.get("conditions") or () if c.get("type") != cond["type"]]
    status["conditions"] = [*others, cond]


def remove_condition(status: Obj, cond_type: str) -> None:
    conds = [c for c in status.get("conditions") or () if c.get("type") != cond_type]
    if conds:
        status["conditions"] = conds
    else:
        status.pop("conditions", None)
