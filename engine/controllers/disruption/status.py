"""A PodDisruptionBudget's status from its pods.

Upstream: ``pkg/controller/disruption/disruption.go``
(``getExpectedPodCount``, ``countHealthyPods``, ``buildDisruptedPodMap``,
``updatePdbStatus``, ``updateDisruptionAllowedCondition``): ``minAvailable``
as a number expects the matching pods; a percentage, or any
``maxUnavailable``, expects the controllers' replicas (percentages round
up). Healthy pods are Ready, not deleting and not recently disrupted;
``disruptionsAllowed = currentHealthy - desiredHealthy`` (never below 0).
"""

from __future__ import annotations

import math
from typing import Any

from engine.controllers.disruption.scale import ScaleFinder
from engine.controllers.util.pods import is_pod_ready
from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]
DELETION_TIMEOUT = 120.0  # a disrupted pod not deleted within 2 min counts again


def scaled(value: Any, total: int) -> int:
    """``GetScaledValueFromIntOrPercent`` rounding up."""
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(int(value[:-1]) * total / 100)
    return int(value)


def expected_counts(pdb: Obj, pods: list[Obj], finder: ScaleFinder) -> tuple[int, int]:
    """(expectedCount, desiredHealthy); ScaleError when a pod's scale is unknown."""
    spec = pdb.get("spec") or {}
    if spec.get("maxUnavailable") is not None:
        expected = finder.expected(pods)
        return expected, max(0, expected - scaled(spec["maxUnavailable"], expected))
    min_available = spec.get("minAvailable")
    if isinstance(min_available, str) and min_available.endswith("%"):
        expected = finder.expected(pods)
        return expected, scaled(min_available, expected)
    return len(pods), int(min_available or 0)


def disrupted_pods(pdb: Obj, pods: list[Obj], now: float) -> tuple[dict[str, str], float | None]:
    """``buildDisruptedPodMap``: entries still pending, and when the next expires."""
    by_name = {p["metadata"]["name"]: p for p in pods}
    kept: dict[str, str] = {}
    recheck: float | None = None
    for name, stamp in ((pdb.get("status") or {}).get("disruptedPods") or {}).items():
        pod = by_name.get(name)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            continue
        at = parse_time(stamp)
        if at is None or at + DELETION_TIMEOUT <= now:
            continue
        kept[name] = stamp
        left = at + DELETION_TIMEOUT - now
        recheck = left if recheck is None else min(recheck, left)
    return kept, recheck


def count_healthy(pods: list[Obj], disrupted: dict[str, str]) -> int:
    return sum(1 for p in pods if not p["metadata"].get("deletionTimestamp")
               and p["metadata"]["name"] not in disrupted and is_pod_ready(p))


def allowed_condition(old: Obj, allowed: int, generation: int, now: str) -> Obj:
    status, reason = ("True", "SufficientPods") if allowed > 0 else ("False", "InsufficientPods")
    prev = next((c for c in old.get("conditions") or () if c.get("type") == "DisruptionAllowed"),
                None)
    since = prev["lastTransitionTime"] if prev and prev.get("status") == status else now
    return {"type": "DisruptionAllowed", "status": status, "reason": reason, "message": "",
            "observedGeneration": generation, "lastTransitionTime": since}


def failed_condition(old: Obj, message: str, generation: int, now: str) -> Obj:
    cond = allowed_condition(old, 0, generation, now)
    cond.update(reason="SyncFailed", message=message)
    return cond
