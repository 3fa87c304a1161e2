"""Pods, Object and External metrics: replicas, currentMetrics, and errors.

Upstream: ``pkg/controller/podautoscaler/horizontal.go``
(``computeStatusForPodsMetric``, ``computeStatusForObjectMetric``,
``computeStatusForExternalMetric`` and the wrapping in
``computeReplicasForMetric``) over the replica calculator
(:mod:`engine.controllers.podautoscaler.plain`). Texts are upstream's, quirks
included: an Object metric with an AverageValue target is named ``external
metric <name>(<selector>)`` and reports no describedObject; the Object error
puts the kind after the colon (``unable to get metric m: Service on default
web/<error>``, a long-standing argument-order slip); selectors print as Go's
``%+v`` of a ``*LabelSelector`` (``nil``, ``&LabelSelector{...}``).

Values come from the simulated metrics adapter, :mod:`engine.metrics.custom`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NoReturn

from engine.api.validation.quantity import Quantity
from engine.controllers.podautoscaler.plain import (
    per_pod_replicas,
    plain_metric_replicas,
    usage_ratio_replica_count,
)
from engine.controllers.podautoscaler.replicas import RequestError
from engine.metrics.custom import CustomMetricsClient, CustomMetricsError, milli

Obj = dict[str, Any]


class MetricFailure(Exception):
    """One metric failed: its condition reason, the condition/event error,
    and the error ``computeReplicasForMetric`` passes on."""

    def __init__(self, reason: str, detail: str, summary: str) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.summary = reason, detail, summary


def milli_quantity(value: int) -> str:
    """``resource.NewMilliQuantity(value, DecimalSI).String()``."""
    return str(Quantity(Fraction(value, 1000)))


def go_selector(selector: Obj | None) -> str:
    """``fmt.Sprintf("%+v", *metav1.LabelSelector)`` (its generated ``String()``)."""
    if selector is None:
        return "nil"
    labels = selector.get("matchLabels") or {}
    pairs = "".join(f"{k}: {labels[k]}," for k in sorted(labels))
    exprs = "".join(
        f"LabelSelectorRequirement{{Key:{e.get('key', '')},Operator:{e.get('operator', '')},"
        f"Values:[{' '.join(e.get('values') or ())}],}},"
        for e in selector.get("matchExpressions") or ())
    return (f"&LabelSelector{{MatchLabels:map[string]string{{{pairs}}},"
            f"MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}")


def _identifier(metric: Obj) -> Obj:
    out: Obj = {"name": metric.get("name", "")}
    if metric.get("selector") is not None:
        out["selector"] = metric["selector"]
    return out


def _target_milli(target: Obj, field: str) -> int | None:
    return milli(target.get(field)) if target.get(field) is not None else None


class CustomMetrics:
    """The three plain-metric kinds for one HPA sync."""

    def __init__(self, client: CustomMetricsClient) -> None:
        self.client = client

    def pods(self, spec: Obj, namespace: str, pods: list[Obj], current: int,
             now: float) -> tuple[int, str, Obj]:
        """``computeStatusForPodsMetric`` over ``GetMetricReplicas``."""
        source = spec.get("pods") or {}
        metric = source.get("metric") or {}
        name = metric.get("name", "")
        target = _target_milli(source.get("target") or {}, "averageValue") or 1
        try:
            raw = self.client.pod_metrics(name, pods, now)
        except CustomMetricsError as err:
            self._fail("FailedGetPodsMetric", f"unable to get metric {name}: {err}", "pods")
        try:
            replicas, usage = plain_metric_replicas(current, target, pods, raw, now)
        except RequestError as err:
            self._fail("FailedGetPodsMetric", str(err), "pods")
        status = {"type": "Pods", "pods": {"metric": _identifier(metric),
                                           "current": {"averageValue": milli_quantity(usage)}}}
        return replicas, f"pods metric {name}", status

    def object(self, spec: Obj, namespace: str, pods: list[Obj], current: int,
               status_replicas: int) -> tuple[int, str, Obj]:
        """``computeStatusForObjectMetric``: a Value or an AverageValue target."""
        source = spec.get("object") or {}
        metric, ref = source.get("metric") or {}, source.get("describedObject") or {}
        name, target = metric.get("name", ""), source.get("target") or {}
        value, average = _target_milli(target, "value"), _target_milli(target, "averageValue")
        if target.get("type") == "Value" and value is not None:
            usage = self._object_usage(name, namespace, ref, "")
            try:
                replicas = usage_ratio_replica_count(current, usage / (value or 1), pods)
            except RequestError as err:
                self._fail("FailedGetObjectMetric", str(err), "object")
            status = {"type": "Object", "object": {
                "describedObject": ref, "metric": _identifier(metric),
                "current": {"value": milli_quantity(usage)}}}
            return replicas, f"{ref.get('kind', '')} metric {name}", status
        if target.get("type") == "AverageValue" and average is not None:
            usage = self._object_usage(name, namespace, ref, f"failed to get {name} object "
                                                             "metric: ")
            replicas, per_pod = per_pod_replicas(status_replicas, average or 1, usage)
            status = {"type": "Object", "object": {
                "describedObject": {"kind": "", "name": ""}, "metric": _identifier(metric),
                "current": {"averageValue": milli_quantity(per_pod)}}}
            return replicas, f"external metric {name}({go_selector(metric.get('selector'))})", \
                status
        self._fail("FailedGetObjectMetric", "invalid object metric source: neither a value "
                   "target nor an average value target was set", "object")

    def external(self, spec: Obj, namespace: str, pods: list[Obj], current: int,
                 status_replicas: int) -> tuple[int, str, Obj]:
        """``computeStatusForExternalMetric``: an AverageValue or a Value target."""
        source = spec.get("external") or {}
        metric = source.get("metric") or {}
        name, selector, target = metric.get("name", ""), metric.get("selector"), \
            source.get("target") or {}
        label = f"external metric {name}({go_selector(selector)})"
        value, average = _target_milli(target, "value"), _target_milli(target, "averageValue")
        if average is not None:
            usage = self._external_usage(name, namespace, selector, f"failed to get {name} "
                                                                    "external metric: ")
            replicas, per_pod = per_pod_replicas(status_replicas, average or 1, usage)
            return replicas, label, {"type": "External", "external": {
                "metric": _identifier(metric), "current": {"averageValue": milli_quantity(per_pod)}}}
        if value is not None:
            usage = self._external_usage(name, namespace, selector,
                                         f"failed to get external metric {name}: ")
            try:
                replicas = usage_ratio_replica_count(current, usage / (value or 1), pods)
            except RequestError as err:
                self._fail("FailedGetExternalMetric", str(err), "external", name,
                           f"failed to get external metric {name}: ")
            return replicas, label, {"type": "External", "external": {
                "metric": _identifier(metric), "current": {"value": milli_quantity(usage)}}}
        self._fail("FailedGetExternalMetric", "invalid external metric source: neither a "
                   "value target nor an average value target was set", "external", name)

    # -- errors ------------------------------------------------------------------------
    def _object_usage(self, name: str, namespace: str, ref: Obj, prefix: str) -> int:
        try:
            return self.client.object_metric(name, namespace, ref)
        except CustomMetricsError as err:
            self._fail("FailedGetObjectMetric",
                       f"unable to get metric {name}: {ref.get('kind', '')} on {namespace} "
                       f"{ref.get('name', '')}/{err}", "object", prefix=prefix)

    def _external_usage(self, name: str, namespace: str, selector: Obj | None,
                        prefix: str) -> int:
        try:
            return sum(self.client.external_metric(name, namespace, selector))
        except CustomMetricsError as err:
            self._fail("FailedGetExternalMetric", f"unable to get external metric {namespace}/"
                       f"{name}/{go_selector(selector)}: {err}", "external", name, prefix)

    @staticmethod
    def _fail(reason: str, detail: str, kind: str, name: str = "", prefix: str = "") -> NoReturn:
        """``getUnableComputeReplicaCountCondition`` plus the wrapping
        ``computeReplicasForMetric`` adds for the FailedComputeMetricsReplicas
        event: ``failed to get pods metric value: ...``."""
        inner = f"{prefix}{detail}"
        if kind == "external":
            summary = f"failed to get {name} external metric value: {inner}"
        else:
            summary = f"failed to get {kind} metric value: {inner}"
        raise MetricFailure(reason, detail, summary)
