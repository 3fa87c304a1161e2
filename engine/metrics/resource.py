"""The resource metrics client the HPA uses.

Upstream: ``pkg/controller/podautoscaler/metrics/client.go``
(``resourceMetricsClient.GetResourceMetric``: the PodMetrics of the
selected pods, each pod's value the sum over its containers, with the
readings' timestamp and window; ``no metrics returned from resource
metrics API`` when there are none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.api import errors
from engine.controllers.util.timeutil import parse_time
from engine.kubelet.usage import quantity
from engine.metrics.source import source_for

Obj = dict[str, Any]


@dataclass(frozen=True)
class PodMetric:
    value: float  # millicores for cpu, bytes for memory
    timestamp: float
    window: float


class MetricsError(Exception):
    pass


class ResourceMetricsClient:
    def __init__(self, api: Any) -> None:
        self.source = source_for(api)

    def pod_metrics(self, namespace: str, name: str) -> Obj | None:
        kubelets = self.source.kubelets
        if kubelets is None:
            return None
        try:
            found = kubelets.pod_metrics(namespace, name)
        except (errors.StatusError, KeyError):
            return None
        return found if found.get("containers") else None

    def resource_metric(self, resource: str, pods: list[Obj],
                        container: str = "") -> dict[str, PodMetric]:
        """Pod name -> usage of ``resource`` (millicores or bytes)."""
        out: dict[str, PodMetric] = {}
        for pod in pods:
            m = pod["metadata"]
            found = self.pod_metrics(m["namespace"], m["name"])
            if found is None:
                continue
            total = 0.0
            for c in found["containers"]:
                if container and c["name"] != container:
                    continue
                total += quantity(c["usage"].get(resource), resource == "cpu") or 0.0
            out[m["name"]] = PodMetric(total, parse_time(found.get("timestamp")) or 0.0,
                                       float(str(found.get("window", "15s")).rstrip("s")))
        if not out:
            raise MetricsError(f"unable to get metrics for resource {resource}: no metrics "
                               "returned from resource metrics API")
        return out
