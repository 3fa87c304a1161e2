"""How many replicas a resource metric asks for.

Upstream: ``pkg/controller/podautoscaler/replica_calculator.go``
(``GetResourceReplicas``, ``groupPods``, ``calculatePodRequests``,
``GetResourceUtilizationRatio``): pods that are deleting or Failed are
ignored; for CPU, pods not yet ready (or whose reading predates their
readiness) count as unready; when scaling up, unready pods count as
idle, and pods without metrics count as using nothing on scale up and
their full request on scale down; within the 10 % tolerance nothing
changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.controllers.util.timeutil import parse_time
from engine.kubelet.usage import quantity
from engine.metrics import PodMetric

Obj = dict[str, Any]
TOLERANCE = 0.1
CPU_INITIALIZATION_PERIOD = 300.0
INITIAL_READINESS_DELAY = 30.0


class RequestError(Exception):
    pass


@dataclass
class ResourceResult:
    replicas: int
    utilization: int
    raw_average: float


def _ready_condition(pod: Obj) -> Obj | None:
    return next((c for c in (pod.get("status") or {}).get("conditions") or ()
                 if c.get("type") == "Ready"), None)


def _unready(pod: Obj, metric: PodMetric, resource: str, now: float) -> bool:
    """``groupPods``' readiness test (CPU only)."""
    if resource != "cpu":
        return False
    cond = _ready_condition(pod)
    started = parse_time((pod.get("status") or {}).get("startTime"))
    if cond is None or started is None:
        return True
    ready = cond.get("status") == "True"
    changed = parse_time(cond.get("lastTransitionTime")) or 0.0
    if started + CPU_INITIALIZATION_PERIOD > now:
        return not ready or metric.timestamp < changed + metric.window
    return not ready and started + INITIAL_READINESS_DELAY > changed


def group_pods(pods: list[Obj], metrics: dict[str, PodMetric], resource: str,
               now: float) -> tuple[int, set[str], set[str], set[str]]:
    """(ready count, unready, missing, ignored) pod names."""
    ready, unready, missing, ignored = 0, set(), set(), set()
    for pod in pods:
        name = pod["metadata"]["name"]
        if pod["metadata"].get("deletionTimestamp") or \
                (pod.get("status") or {}).get("phase") == "Failed":
            ignored.add(name)
            continue
        if (pod.get("status") or {}).get("phase") == "Pending":
            unready.add(name)  # before the metric test: a Pending pod is unready
            continue
        metric = metrics.get(name)
        if metric is None:
            missing.add(name)
        elif _unready(pod, metric, resource, now):
            unready.add(name)
        else:
            ready += 1
    return ready, unready, missing, ignored


def pod_requests(pods: list[Obj], resource: str, container: str = "") -> dict[str, float]:
    """``calculatePodRequests``: every container must request the resource."""
    out: dict[str, float] = {}
    for pod in pods:
        total = 0.0
        for c in (pod.get("spec") or {}).get("containers") or ():
            if container and c["name"] != container:
                continue
            value = quantity(((c.get("resources") or {}).get("requests") or {}).get(resource),
                             resource == "cpu")
            if value is None:
                raise RequestError(f"missing request for {resource} in container {c['name']} "
                                   f"of Pod {pod['metadata']['name']}")
            total += value
        out[pod["metadata"]["name"]] = total
    return out


def utilization_ratio(metrics: dict[str, float], requests: dict[str, float],
                      target: int) -> tuple[float, int, float]:
    """``GetResourceUtilizationRatio``: (ratio, utilization %, raw average)."""
    used = sum(v for k, v in metrics.items() if k in requests)
    requested = sum(requests[k] for k in metrics if k in requests)
    if requested == 0:
        raise RequestError("no metrics returned matched known pods")
    utilization = int(used * 100 / requested)
    return utilization / target, utilization, used / len(metrics)


def resource_replicas(current: int, target: int, resource: str, pods: list[Obj],
                      raw: dict[str, PodMetric], now: float,
                      container: str = "") -> ResourceResult:
    """``GetResourceReplicas``."""
    if not pods:
        raise RequestError("no pods returned by selector while calculating replica count")
    ready, unready, missing, ignored = group_pods(pods, raw, resource, now)
    metrics = {k: m.value for k, m in raw.items() if k not in unready and k not in ignored}
    requests = pod_requests(pods, resource, container)
    if not metrics:
        raise RequestError("did not receive metrics for targeted pods (pods might be unready)")
    ratio, utilization, average = utilization_ratio(metrics, requests, target)
    scale_up_unready = bool(unready) and ratio > 1.0
    if not scale_up_unready and not missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return ResourceResult(current, utilization, average)
        return ResourceResult(math.ceil(ratio * ready), utilization, average)
    for name in missing:
        metrics[name] = requests.get(name, 0.0) if ratio < 1.0 else 0.0
    if scale_up_unready:
        for name in unready:
            metrics[name] = 0.0
    new_ratio, _, _ = utilization_ratio(metrics, requests, target)
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or \
            (ratio > 1.0 > new_ratio):
        return ResourceResult(current, utilization, average)
    replicas = math.ceil(new_ratio * len(metrics))
    if (new_ratio < 1.0 and replicas > current) or (new_ratio > 1.0 and replicas < current):
        return ResourceResult(current, utilization, average)
    return ResourceResult(replicas, utilization, average)
