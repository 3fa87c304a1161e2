"""Pod predicates the controllers share.

Upstream: ``pkg/api/v1/pod/util.go`` (``IsPodReady``, ``IsPodAvailable``,
``GetPodReadyCondition``) and ``pkg/controller/controller_utils.go``
(``IsPodActive``, ``FilterActivePods``, ``IsPodTerminating``).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]


def ready_condition(pod: Obj) -> Obj | None:
    """``GetPodReadyCondition``."""
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond
    return None


def is_pod_ready(pod: Obj) -> bool:
    """``IsPodReady``: the Ready condition is True."""
    cond = ready_condition(pod)
    return cond is not None and cond.get("status") == "True"


def pod_ready_time(pod: Obj) -> float | None:
    """When the pod last became ready (the Ready condition's transition time)."""
    cond = ready_condition(pod)
    if cond is None or cond.get("status") != "True":
        return None
    return parse_time(cond.get("lastTransitionTime"))


def is_pod_available(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """``IsPodAvailable``: ready for at least ``minReadySeconds``."""
    cond = ready_condition(pod)
    if cond is None or cond.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    since = parse_time(cond.get("lastTransitionTime"))
    return since is not None and since + min_ready_seconds < now


def is_pod_active(pod: Obj) -> bool:
    """``IsPodActive``: not Succeeded/Failed and not being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return (phase not in ("Succeeded", "Failed")
            and "deletionTimestamp" not in pod["metadata"])


def is_pod_terminating(pod: Obj) -> bool:
    """``IsPodTerminating``: being deleted, but not yet finished."""
    phase = (pod.get("status") or {}).get("phase")
    return (phase not in ("Succeeded", "Failed")
            and "deletionTimestamp" in pod["metadata"])


def filter_active_pods(pods: list[Obj]) -> list[Obj]:
    """``FilterActivePods``."""
    return [p for p in pods if is_pod_active(p)]
