"""Custom and external metrics: the values a metrics adapter would serve.

A real cluster serves ``custom.metrics.k8s.io`` and
``external.metrics.k8s.io`` through an adapter (prometheus-adapter, KEDA...)
reading a monitoring system. k9py has no monitoring system: simulated pods
and objects *declare* their metric values in an annotation, and this module
is the adapter. The HPA controller reads it through
:class:`CustomMetricsClient`, as upstream's ``customMetricsClient`` and
``externalMetricsClient`` read the aggregated APIs
(``pkg/controller/podautoscaler/metrics/client.go``).

The annotations, in the style of the kubelet's behaviour knobs
(:mod:`engine.kubelet.behaviour`), hold a JSON object of metric name to
quantity string:

``k9py.dev/metrics: '{"http_requests_per_second": "100"}'``
    on a **pod**: its values for ``type: Pods`` HPA metrics (one series per
    pod; the HPA averages over the pods). Only Running pods report, as only
    running containers are scraped; a pod without the metric is "missing"
    to the HPA, exactly as a pod the adapter has no series for.
    On any **other object** (Service, Ingress, Deployment, Namespace...):
    its values for ``type: Object`` metrics that describe it.
``k9py.dev/external-metrics: '{"queue_messages_ready": "30"}'``
    on a **Namespace**: the ``type: External`` metrics visible from it. A
    value may also be a list of labelled series,
    ``{"queue_messages_ready": [{"labels": {"queue": "jobs"}, "value": "30"}]}``,
    that the metric's ``selector`` picks from (the HPA sums what it picks).

Values are Kubernetes quantities (``"100"``, ``"1.5k"``, ``"250m"``) and are
read afresh at each HPA sync: ``kubectl annotate --overwrite`` is how a
scenario changes the load. A metric's ``selector`` (Pods and Object) is
accepted and not used: each object exposes one series per name.

Errors use the adapters' wording (custom-metrics-apiserver's
``NewMetricNotFoundError``/``NewMetricNotFoundForError``, wrapped by the
HPA's client): ``unable to fetch metrics from custom metrics API: the
server could not find the metric <name> for pods``; an external metric with
no series gives the client's own ``no metrics returned from external
metrics API``.
"""

from __future__ import annotations

import json
from typing import Any

from engine.api import errors, resources
from engine.api.selectors import SelectorError, try_label_selector_from_dict
from engine.api.validation.quantity import QuantityError, quantity_to_millis
from engine.metrics.resource import PodMetric

Obj = dict[str, Any]
POD_METRICS = "k9py.dev/metrics"
EXTERNAL_METRICS = "k9py.dev/external-metrics"
WINDOW = 60.0  # metricServerDefaultMetricWindow: custom metrics carry no window here
CUSTOM_API = "unable to fetch metrics from custom metrics API"


class CustomMetricsError(Exception):
    """A metric the adapter cannot serve; ``str()`` is the client's error text."""


def declared(obj: Obj, annotation: str = POD_METRICS) -> dict[str, Any]:
    """The metrics an object declares (an empty dict for a malformed value:
    an adapter would simply have no series)."""
    text = ((obj.get("metadata") or {}).get("annotations") or {}).get(annotation)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def milli(value: Any) -> int | None:
    """``Quantity.MilliValue()``, or None for something not a quantity."""
    try:
        return quantity_to_millis(value)
    except (QuantityError, ValueError, TypeError):
        return None


class CustomMetricsClient:
    """``customMetricsClient`` and ``externalMetricsClient`` over annotations."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def pod_metrics(self, metric: str, pods: list[Obj], now: float) -> dict[str, PodMetric]:
        """``GetRawMetric``: each Running pod's value, in milli-units."""
        out: dict[str, PodMetric] = {}
        for pod in pods:
            if (pod.get("status") or {}).get("phase") != "Running":
                continue
            value = milli(declared(pod).get(metric))
            if value is not None:
                out[pod["metadata"]["name"]] = PodMetric(float(value), now, WINDOW)
        if not out:
            # No series at all: the adapter answers 404 for the metric.
            raise CustomMetricsError(f"{CUSTOM_API}: the server could not find the metric "
                                     f"{metric} for pods")
        return out

    def object_metric(self, metric: str, namespace: str, ref: Obj) -> int:
        """``GetObjectMetric``: the described object's value, in milli-units."""
        kind, name = ref.get("kind", ""), ref.get("name", "")
        try:
            info = resources.by_kind(ref.get("apiVersion", ""), kind)
        except errors.StatusError as err:
            raise CustomMetricsError(f"{CUSTOM_API}: {err.message}") from None
        group_resource = info.group_resource
        if kind == "Namespace" and not info.group:
            name = namespace  # root-scoped: always the HPA's own namespace
            obj = self._get(info.plural, namespace, None)
        else:
            obj = self._get(info.plural, name, namespace)
        value = milli(declared(obj).get(metric)) if obj is not None else None
        if value is None:
            raise CustomMetricsError(f"{CUSTOM_API}: the server could not find the metric "
                                     f"{metric} for {group_resource} {name}")
        return value

    def external_metric(self, metric: str, namespace: str, selector: Obj | None) -> list[int]:
        """``GetExternalMetric``: the values of the series the selector picks."""
        ns = self._get("namespaces", namespace, None)
        series = declared(ns, EXTERNAL_METRICS).get(metric) if ns is not None else None
        if series is None:
            series = []
        elif not isinstance(series, list):
            series = [{"labels": {}, "value": series}]
        try:
            chosen = try_label_selector_from_dict(selector) if selector else None
        except SelectorError as err:
            raise CustomMetricsError(str(err)) from None
        values = []
        for item in series:
            if not isinstance(item, dict):
                continue
            labels = item.get("labels") or {}
            value = milli(item.get("value"))
            if value is not None and (chosen is None or chosen.matches(labels)):
                values.append(value)
        if not values:
            raise CustomMetricsError("no metrics returned from external metrics API")
        return values

    def _get(self, resource: str, name: str, namespace: str | None) -> Obj | None:
        try:
            return self.client.get(resource, name, namespace)
        except errors.StatusError as err:
            if err.code == 404:
                return None
            raise
