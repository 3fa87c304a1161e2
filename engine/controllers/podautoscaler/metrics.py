"""The replicas the HPA's metrics ask for.

Upstream: ``pkg/controller/podautoscaler/horizontal.go``
(``computeReplicasForMetrics``: the largest proposal among valid metrics;
``computeStatusForResourceMetric``; the default metric, CPU at 80 %
utilisation) and the metric names its events use:
``cpu resource utilization (percentage of request)``, ``cpu resource``.
Pods, Object and External metrics are computed in
:mod:`engine.controllers.podautoscaler.custom`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from engine.controllers.podautoscaler.custom import CustomMetrics, MetricFailure
from engine.controllers.podautoscaler.replicas import (
    TOLERANCE,
    RequestError,
    resource_replicas,
)
from engine.controllers.podautoscaler.status import metric_status
from engine.kubelet.usage import quantity
from engine.metrics import MetricsError, ResourceMetricsClient
from engine.metrics.custom import CustomMetricsClient

Obj = dict[str, Any]
DEFAULT_METRICS = [{"type": "Resource", "resource": {
    "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


# One metric's failure: its condition reason, the condition/event error, and
# the error passed on. Raised out of ``replicas`` when the metrics fail.
MetricError = MetricFailure


def _quantity_string(resource: str, value: float) -> str:
    """``resource.NewMilliQuantity(raw, DecimalSI)``: millicores, or plain bytes."""
    if resource != "cpu":
        return str(int(value))
    milli = int(value)
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"


class MetricComputer:
    def __init__(self, client: ResourceMetricsClient,
                 custom: CustomMetricsClient | None = None) -> None:
        self.client = client
        self.custom = CustomMetrics(custom) if custom is not None else None

    def replicas(self, hpa: Obj, pods: list[Obj], current: int, now: float,
                 status_replicas: int | None = None,
                 on_failure: Callable[[MetricFailure], None] | None = None,
                 ) -> tuple[int, str, list[Obj]]:
        """``computeReplicasForMetrics``: (replicas, the deciding metric's
        name, currentMetrics). Fails when every metric failed, or when some
        failed and the valid ones would scale in (upstream: a missing metric
        must not make the HPA shrink the target)."""
        specs = (hpa.get("spec") or {}).get("metrics") or DEFAULT_METRICS
        ns = hpa["metadata"].get("namespace", "")
        status_replicas = current if status_replicas is None else status_replicas
        best, best_name, statuses, failures = 0, "", [], []
        for spec in specs:
            try:
                replicas, name, status = self.one(spec, pods, current, now, ns, status_replicas)
            except MetricError as err:
                failures.append(err)
                if on_failure is not None:  # getUnableComputeReplicaCountCondition's event
                    on_failure(err)
                continue
            statuses.append(status)
            if best == 0 or replicas > best:
                best, best_name = replicas, name
        if failures and (len(failures) >= len(specs) or best < current):
            first = failures[0]
            raise MetricError(first.reason, first.detail,
                              f"invalid metrics ({len(failures)} invalid out of {len(specs)}), "
                              f"first error is: {first.summary}")
        return best, best_name, statuses

    def one(self, spec: Obj, pods: list[Obj], current: int, now: float, namespace: str = "",
            status_replicas: int = 0) -> tuple[int, str, Obj]:
        """``computeReplicasForMetric``: one metric's proposal."""
        kind = spec.get("type")
        if kind in ("Pods", "Object", "External") and self.custom is not None:
            if kind == "Pods":
                return self.custom.pods(spec, namespace, pods, current, now)
            if kind == "Object":
                return self.custom.object(spec, namespace, pods, current, status_replicas)
            return self.custom.external(spec, namespace, pods, current, status_replicas)
        source = spec.get("resource") if kind == "Resource" else spec.get("containerResource")
        if kind not in ("Resource", "ContainerResource") or not source:
            detail = f'unknown metric source type "{kind}"'
            raise MetricError("InvalidMetricSourceType", detail, detail)
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
