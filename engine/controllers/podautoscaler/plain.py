"""How many replicas a Pods, Object or External metric asks for.

Upstream: ``pkg/controller/podautoscaler/replica_calculator.go``
(``calcPlainMetricReplicas`` behind ``GetMetricReplicas``,
``getUsageRatioReplicaCount`` behind ``GetObjectMetricReplicas`` and
``GetExternalMetricReplicas``, and the per-pod variants
``GetObjectPerPodMetricReplicas``/``GetExternalPerPodMetricReplicas``) and
``metrics/utilization.go`` (``GetMetricUsageRatio``). Values are
milli-units (``Quantity.MilliValue()``), averages are integer divisions as
upstream's int64 arithmetic, and the tolerance is the same 10 %.
"""

from __future__ import annotations

import math
from typing import Any

from engine.controllers.podautoscaler.replicas import TOLERANCE, RequestError, group_pods
from engine.metrics import PodMetric

Obj = dict[str, Any]


def usage_ratio(metrics: dict[str, int], target: int) -> tuple[float, int]:
    """``GetMetricUsageRatio``: (average / target, the average)."""
    usage = sum(metrics.values()) // len(metrics)
    return usage / target, usage


def plain_metric_replicas(current: int, target: int, pods: list[Obj],
                          raw: dict[str, PodMetric], now: float) -> tuple[int, int]:
    """``calcPlainMetricReplicas`` (no readiness test: that is CPU's only)."""
    if not pods:
        raise RequestError("no pods returned by selector while calculating replica count")
    ready, unready, missing, ignored = group_pods(pods, raw, "", now)
    metrics = {k: int(m.value) for k, m in raw.items() if k not in unready and k not in ignored}
    if not metrics:
        raise RequestError("did not receive metrics for targeted pods (pods might be unready)")
    ratio, usage = usage_ratio(metrics, target)
    scale_up_with_unready = bool(unready) and ratio > 1.0
    if not scale_up_with_unready and not missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return current, usage
        return math.ceil(ratio * ready), usage
    if missing:
        if ratio < 1.0:  # on a scale-down, missing pods use exactly the target
            metrics.update(dict.fromkeys(missing, target))
        elif ratio > 1.0:  # on a scale-up, nothing
            metrics.update(dict.fromkeys(missing, 0))
    if scale_up_with_unready:
        metrics.update(dict.fromkeys(unready, 0))
    new_ratio, _ = usage_ratio(metrics, target)
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or \
            (ratio > 1.0 > new_ratio):
        return current, usage
    replicas = math.ceil(new_ratio * len(metrics))
    if (new_ratio < 1.0 and replicas > current) or (new_ratio > 1.0 and replicas < current):
        return current, usage
    return replicas, usage


def ready_pods_count(pods: list[Obj]) -> int:
    """``getReadyPodsCount``: Running pods whose Ready condition is True."""
    if not pods:
        raise RequestError("no pods returned by selector while calculating replica count")
    return sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Running"
               and any(c.get("type") == "Ready" and c.get("status") == "True"
                       for c in (p.get("status") or {}).get("conditions") or ()))


def usage_ratio_replica_count(current: int, ratio: float, pods: list[Obj]) -> int:
    """``getUsageRatioReplicaCount``: scaled by the ready pods; from zero
    replicas, by the ratio alone (no tolerance), to support scaling to zero."""
    if current == 0:
        return math.ceil(ratio)
    if abs(1.0 - ratio) <= TOLERANCE:
        return current
    try:
        ready = ready_pods_count(pods)
    except RequestError as err:
        raise RequestError(f"unable to calculate ready pods: {err}") from None
    return math.ceil(ratio * ready)


def per_pod_replicas(status_replicas: int, target: int, usage: int) -> tuple[int, int]:
    """``GetObjectPerPodMetricReplicas``/``GetExternalPerPodMetricReplicas``:
    the total over ``target`` per pod, and the per-pod average for the status."""
    replicas = status_replicas
    if status_replicas == 0 or abs(1.0 - usage / (target * status_replicas)) > TOLERANCE:
        replicas = math.ceil(usage / target)
    return replicas, math.ceil(usage / max(status_replicas, 1))
