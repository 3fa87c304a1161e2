"""What the Job controller asks of its pods.

Upstream: ``pkg/controller/job/job_controller.go`` (``isPodFailed``,
``hasJobTrackingFinalizer``, ``removeTrackingFinalizerPatch``,
``onlyReplaceFailedPods``, ``countReadyPods``, ``activePodsForRemoval``),
``pkg/controller/controller_utils.go`` (``ActivePods`` order,
``CountTerminatingPods``) and ``backoff_utils.go`` (``getFinishedTime``).
"""

from __future__ import annotations

import functools
from typing import Any

from engine.controllers.util.pods import is_pod_ready, pod_ready_time, ready_condition
from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]

TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
REMOVE_FINALIZER_PATCH = {"metadata": {"$deleteFromPrimitiveList/finalizers":
                                       [TRACKING_FINALIZER]}}
_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase") or ""


def has_finalizer(pod: Obj) -> bool:
    return TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or ())


def is_terminating(pod: Obj) -> bool:
    return "deletionTimestamp" in pod["metadata"] and phase(pod) not in ("Failed", "Succeeded")


def only_replace_failed(job: Obj) -> bool:
    """``onlyReplaceFailedPods``: podReplacementPolicy Failed, or a podFailurePolicy."""
    spec = job["spec"]
    return spec.get("podReplacementPolicy") == "Failed" or spec.get("podFailurePolicy") is not None


def is_pod_failed(pod: Obj, job: Obj) -> bool:
    """``isPodFailed``: Failed, or (unless only failed pods are replaced) deleted
    before it succeeded."""
    if phase(pod) == "Failed":
        return True
    if only_replace_failed(job):
        return False
    return "deletionTimestamp" in pod["metadata"] and phase(pod) != "Succeeded"


def count_ready(pods: list[Obj]) -> int:
    return sum(is_pod_ready(p) for p in pods)


def _compare(a: Obj, b: Obj) -> int:  # noqa: PLR0911 - upstream's rules, in order
    """``ActivePods.Less``: the pod that sorts first is deleted first."""
    na, nb = a["spec"].get("nodeName") or "", b["spec"].get("nodeName") or ""
    if bool(na) != bool(nb):
        return -1 if not na else 1
    pa, pb = _PHASE_RANK.get(phase(a), 0), _PHASE_RANK.get(phase(b), 0)
    if pa != pb:
        return -1 if pa < pb else 1
    ra, rb = is_pod_ready(a), is_pod_ready(b)
    if ra != rb:
        return -1 if not ra else 1
    if ra and rb:
        ta, tb = pod_ready_time(a), pod_ready_time(b)
        if ta != tb:
            return _later_first(ta, tb)
    restarts_a, restarts_b = _restarts(a), _restarts(b)
    if restarts_a != restarts_b:
        return -1 if restarts_a > restarts_b else 1
    ca = parse_time(a["metadata"].get("creationTimestamp"))
    cb = parse_time(b["metadata"].get("creationTimestamp"))
    if ca != cb:
        return _later_first(ca, cb)
    return 0


def _later_first(a: float | None, b: float | None) -> int:
    if a is None or b is None:
        return -1 if a is None else 1
    return -1 if a > b else 1


def _restarts(pod: Obj) -> int:
    return max((c.get("restartCount", 0)
                for c in (pod.get("status") or {}).get("containerStatuses") or ()), default=0)


def rank_active(pods: list[Obj]) -> list[Obj]:
    """Pods in ``ActivePods`` order (unscheduled, pending, not ready first)."""
    return sorted(pods, key=functools.cmp_to_key(_compare))


def finished_time(pod: Obj) -> float:
    """``getFinishedTime``: the last container's finish, else when Ready went
    False, else the deletion time, else the creation time."""
    status = pod.get("status") or {}
    latest = None
    for cs in status.get("containerStatuses") or ():
        terminated = (cs.get("state") or {}).get("terminated")
        stamp = parse_time((terminated or {}).get("finishedAt"))
        if stamp is None:
            latest = None
            break
        latest = stamp if latest is None else max(latest, stamp)
    if latest is not None:
        return latest
    cond = ready_condition(pod)
    if cond is not None and cond.get("status") == "False":
        stamp = parse_time(cond.get("lastTransitionTime"))
        if stamp is not None:
            return stamp
    for key in ("deletionTimestamp", "creationTimestamp"):
        stamp = parse_time(pod["metadata"].get(key))
        if stamp is not None:
            return stamp
    return 0.0
