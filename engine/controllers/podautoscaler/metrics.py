"""The replicas the HPA's metrics ask for.

Upstream: ``pkg/controller/podautoscaler/horizontal.go``
(``computeReplicasForMetrics``: the largest proposal among valid metrics;
``computeStatusForResourceMetric``; the default metric, CPU at 80 %
utilisation) and the metric names its events use:
``cpu resource utilization (percentage of request)``, ``cpu resource``.
"""

from __future__ import annotations

import math
from typing import Any

from engine.controllers.podautoscaler.replicas import (
    TOLERANCE,
    RequestError,
    resource_replicas,
)
from engine.controllers.podautoscaler.status import metric_status
from engine.kubelet.usage import quantity
from engine.metrics import MetricsError, ResourceMetricsClient

Obj = dict[str, Any]
DEFAULT_METRICS = [{"type": "Resource", "resource": {
    "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


class MetricError(Exception):
    """Every metric failed: the first failure's reason and texts."""

    def __init__(self, reason: str, detail: str, summary: str) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.summary = reason, detail, summary


def _quantity_string(resource: str, value: float) -> str:
    """``resource.NewMilliQuantity(raw, DecimalSI)``: millicores, or plain bytes."""
    if resource != "cpu":
        return str(int(value))
    milli = int(value)
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"


class MetricComputer:
    def __init__(self, client: ResourceMetricsClient) -> None:
        self.client = client

    def replicas(self, hpa: Obj, pods: list[Obj], current: int,
                 now: float) -> tuple[int, str, list[Obj]]:
        """(replicas, the deciding metric's name, currentMetrics)."""
        specs = (hpa.get("spec") or {}).get("metrics") or DEFAULT_METRICS
        best, best_name, statuses, failures = -1, "", [], []
        for spec in specs:
            try:
                replicas, name, status = self.one(spec, pods, current, now)
            except MetricError as err:
                failures.append(err)
                continue
            statuses.append(status)
            if replicas > best:
                best, best_name = replicas, name
        if best < 0 or (failures and len(failures) == len(specs)):
            first = failures[0]
            raise MetricError(first.reason, first.detail,
                              f"invalid metrics ({len(failures)} invalid out of {len(specs)}), "
                              f"first error is: {first.summary}")
        return best, best_name, statuses

    def one(self, spec: Obj, pods: list[Obj], current: int,
            now: float) -> tuple[int, str, Obj]:
        kind = spec.get("type")
        source = spec.get("resource") if kind == "Resource" else spec.get("containerResource")
        if kind not in ("Resource", "ContainerResource") or not source:
            raise MetricError("FailedGetExternalMetric" if kind == "External"
                              else f"FailedGet{kind}Metric",
                              f"metric type {kind} is not supported by k9py's HPA",
                              f"metric type {kind} is not supported by k9py's HPA")
        resource, container = source.get("name", ""), source.get("container", "")
        target = source.get("target") or {}
        reason = ("FailedGetContainerResourceMetric" if container
                  else "FailedGetResourceMetric")
        try:
            raw = self.client.resource_metric(resource, pods, container)
            if target.get("type") == "AverageValue":
                return self._average_value(resource, container, target, raw, current)
            result = resource_replicas(current, int(target.get("averageUtilization") or 80),
                                       resource, pods, raw, now, container)
        except (MetricsError, RequestError) as err:
            detail = f"failed to get {resource} utilization: {err}"
            raise MetricError(reason, detail,
                              f"failed to get {resource} resource metric value: {detail}"
                              ) from None
        name = f"{resource} resource utilization (percentage of request)"
        if container:
            name = f"{resource} container resource utilization (percentage of request)"
        return result.replicas, name, metric_status(
            resource, result.utilization, _quantity_string(resource, result.raw_average),
            container)

    def _average_value(self, resource: str, container: str, target: Obj, raw: dict,
                       current: int) -> tuple[int, str, Obj]:
        """``GetRawResourceReplicas``, for pods that all report."""
        want = quantity(target.get("averageValue"), resource == "cpu") or 1.0
        total = sum(m.value for m in raw.values())
        ratio = total / (want * len(raw))
        replicas = current if abs(1.0 - ratio) <= TOLERANCE else math.ceil(total / want)
        name = f"{resource} resource" if not container else f"{resource} container resource"
        return replicas, name, metric_status(resource, None,
                                             _quantity_string(resource, total / len(raw)),
                                             container)
