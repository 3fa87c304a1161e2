"""HPA conditions and status.

Upstream: ``pkg/controller/podautoscaler/horizontal.go`` (``setCondition``,
``setStatus``, ``setCurrentReplicasAndMetricsInStatus``): conditions
AbleToScale, ScalingActive and ScalingLimited in that order; a condition
keeps its transition time while its status is unchanged.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
ORDER = ("AbleToScale", "ScalingActive", "ScalingLimited")


class Conditions:
    """The HPA's conditions being rebuilt during one sync."""

    def __init__(self, old: list[Obj], now: str) -> None:
        self.old = {c.get("type"): c for c in old or ()}
        self.new: dict[str, Obj] = {t: c for t, c in self.old.items()}
        self.now = now

    def set(self, cond_type: str, status: bool, reason: str, message: str) -> None:
        value = "True" if status else "False"
        prev = self.old.get(cond_type)
        since = prev["lastTransitionTime"] if prev and prev.get("status") == value else self.now
        self.new[cond_type] = {"type": cond_type, "status": value,
                               "lastTransitionTime": since, "reason": reason,
                               "message": message}

    def items(self) -> list[Obj]:
        known = [self.new[t] for t in ORDER if t in self.new]
        return known + [c for t, c in self.new.items() if t not in ORDER]


def metric_status(resource: str, utilization: int | None, average: str,
                  container: str = "") -> Obj:
    current: Obj = {"averageValue": average}
    if utilization is not None:
        current["averageUtilization"] = utilization
    if container:
        return {"type": "ContainerResource",
                "containerResource": {"name": resource, "container": container,
                                      "current": current}}
    return {"type": "Resource", "resource": {"name": resource, "current": current}}
