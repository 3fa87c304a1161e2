"""Resource metrics (``metrics.k8s.io/v1beta1``) from the simulated kubelets:
where they come from (:mod:`.source`) and the HPA's client (:mod:`.resource`).
The HTTP server serves NodeMetrics/PodMetrics from ``cluster.kubelets``."""

from engine.metrics.resource import MetricsError, PodMetric, ResourceMetricsClient
from engine.metrics.source import register, source_for

__all__ = ["MetricsError", "PodMetric", "ResourceMetricsClient", "register", "source_for"]
