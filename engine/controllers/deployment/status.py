"""A Deployment's status from its ReplicaSets.

Upstream: ``pkg/controller/deployment/sync.go`` (``calculateStatus``,
``syncDeploymentStatus``) and ``progress.go`` (``syncRolloutStatus``,
``getReplicaFailures``, ``requeueStuckDeployment``).
"""

from __future__ import annotations

from typing import Any

from engine.api import meta
from engine.controllers.deployment import conditions as c
from engine.controllers.deployment import util
from engine.controllers.util.conditions import (
    get_condition,
    new_condition,
    remove_condition,
    set_condition,
)
from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]


def calculate_status(all_rss: list[Obj | None], new_rs: Obj | None, d: Obj, now: str) -> Obj:
    """``calculateStatus``: counts summed over the ReplicaSets, and Available."""
    available = util.status_total(all_rss, "availableReplicas")
    unavailable = max(util.spec_total(all_rss) - available, 0)
    old = d.get("status") or {}
    status: Obj = {
        "observedGeneration": d["metadata"].get("generation", 0),
        "replicas": util.status_total(all_rss, "replicas"),
        "updatedReplicas": util.status_total([new_rs], "replicas"),
        "readyReplicas": util.status_total(all_rss, "readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if old.get("conditions"):
        status["conditions"] = meta.deep_copy(old["conditions"])
    if available >= util.replicas(d) - util.max_unavailable(d):
        cond = new_condition(c.AVAILABLE, "True", c.MIN_AVAILABLE, c.MSG_MIN_AVAILABLE, now)
    else:
        cond = new_condition(c.AVAILABLE, "False", c.MIN_UNAVAILABLE, c.MSG_MIN_UNAVAILABLE, now)
    set_condition(status, cond)
    return status


def same_status(old: Obj, new: Obj) -> bool:
    """``reflect.DeepEqual`` of two statuses, where Go omits zero counts."""
    keys = set(old) | set(new)
    return all((old.get(k) or 0) == (new.get(k) or 0) if k != "conditions"
               else (old.get(k) or []) == (new.get(k) or []) for k in keys)


def progress(d: Obj, status: Obj, new_rs: Obj | None, stamp: str, now: float) -> None:
    """The Progressing condition of ``syncRolloutStatus``."""
    if not util.has_progress_deadline(d):
        remove_condition(status, c.PROGRESSING)
        return
    current = get_condition(d.get("status") or {}, c.PROGRESSING)
    complete = (status["replicas"] == status["updatedReplicas"] and current is not None
                and current.get("reason") == c.NEW_RS_AVAILABLE)
    if complete:
        return
    name = d["metadata"]["name"]
    if util.deployment_complete(d, status):
        msg = (f"ReplicaSet {c.quoted(new_rs['metadata']['name'])} has successfully progressed."
               if new_rs else f"Deployment {c.quoted(name)} has successfully progressed.")
        set_condition(status, new_condition(c.PROGRESSING, "True", c.NEW_RS_AVAILABLE, msg, stamp))
    elif util.deployment_progressing(d, status):
        msg = (f"ReplicaSet {c.quoted(new_rs['metadata']['name'])} is progressing."
               if new_rs else f"Deployment {c.quoted(name)} is progressing.")
        cond = new_condition(c.PROGRESSING, "True", c.RS_UPDATED, msg, stamp)
        if current is not None:
            if current.get("status") == "True":
                cond["lastTransitionTime"] = current.get("lastTransitionTime")
            remove_condition(status, c.PROGRESSING)
        set_condition(status, cond)
    elif timed_out(d, status, now):
        msg = (f"ReplicaSet {c.quoted(new_rs['metadata']['name'])} has timed out progressing."
               if new_rs else f"Deployment {c.quoted(name)} has timed out progressing.")
        set_condition(status, new_condition(c.PROGRESSING, "False", c.TIMED_OUT, msg, stamp))


def timed_out(d: Obj, status: Obj, now: float) -> bool:
    """``DeploymentTimedOut``: no progress for progressDeadlineSeconds."""
    if not util.has_progress_deadline(d):
        return False
    cond = get_condition(status, c.PROGRESSING)
    if cond is None or cond.get("reason") == c.NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == c.TIMED_OUT:
        return True
    since = parse_time(cond.get("lastUpdateTime"))
    deadline = d["spec"]["progressDeadlineSeconds"]
    return since is not None and since + deadline < now


def replica_failures(all_rss: list[Obj | None], new_rs: Obj | None) -> list[Obj]:
    """``getReplicaFailures``: the new ReplicaSet's first, else any old one's."""
    def of(rs: Obj) -> list[Obj]:
        return [_rs_to_deployment_condition(cond)
                for cond in (rs.get("status") or {}).get("conditions") or ()
                if cond.get("type") == c.REPLICA_FAILURE]

    if new_rs is not None and (found := of(new_rs)):
        return found
    return [cond for rs in all_rss if rs is not None for cond in of(rs)]


def _rs_to_deployment_condition(cond: Obj) -> Obj:
    """``ReplicaSetToDeploymentCondition``."""
    return {"type": cond["type"], "status": cond["status"],
            "lastUpdateTime": cond.get("lastTransitionTime"),
            "lastTransitionTime": cond.get("lastTransitionTime"),
            "reason": cond.get("reason", ""), "message": cond.get("message", "")}


def stuck_recheck(d: Obj, status: Obj, now: float) -> float | None:
    """``requeueStuckDeployment``: seconds until the deadline check, or None."""
    current = get_condition(d.get("status") or {}, c.PROGRESSING)
    if not util.has_progress_deadline(d) or current is None:
        return None
    if util.deployment_complete(d, status) or current.get("reason") == c.TIMED_OUT:
        return None
    since = parse_time(current.get("lastUpdateTime")) or now
    after = since + d["spec"]["progressDeadlineSeconds"] - now
    return 0.0 if after < 1 else after + 1.0
