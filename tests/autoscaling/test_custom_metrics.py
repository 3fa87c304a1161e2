"""Pods, Object and External HPA metrics on the virtual clock, from the
values pods, objects and namespaces declare in ``k9py.dev/metrics``
annotations (:mod:`engine.metrics.custom`). Reasons, messages and status
shapes are upstream's (``pkg/controller/podautoscaler/horizontal.go``)."""

from __future__ import annotations

import json
from typing import Any

from engine.cluster import Cluster
from tests.autoscaling.test_hpa import _conditions, _events, _replicas
from tests.storage.conftest import sc  # noqa: F401 - the fixture

METRIC = "http_requests_per_second"


def _web(replicas: int, value: str) -> dict:
    labels = {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels, "annotations": {
                         "k9py.dev/metrics": json.dumps({METRIC: value})}},
                         "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}


def _hpa(metric: dict, lo: int = 2, hi: int = 10) -> dict:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": "web"},
                     "minReplicas": lo, "maxReplicas": hi, "metrics": [metric]}}


def _pods_metric(name: str = METRIC, average: str = "100") -> dict:
    return {"type": "Pods", "pods": {"metric": {"name": name},
                                     "target": {"type": "AverageValue", "averageValue": average}}}


def _object_metric(name: str, target: dict[str, Any]) -> dict:
    return {"type": "Object", "object": {
        "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "web"},
        "metric": {"name": name}, "target": target}}


def _annotate_pods(cluster: Cluster, value: str) -> None:
    """What ``kubectl annotate pods -l app=web --overwrite k9py.dev/metrics=...`` does."""
    for pod in cluster.client.list("pods", "default", label_selector="app=web")["items"]:
        pod["metadata"]["annotations"]["k9py.dev/metrics"] = json.dumps({METRIC: value})
        cluster.client.update("pods", pod)


def _hpa_now(cluster: Cluster) -> dict:
    return cluster.client.get("horizontalpodautoscalers", "web", "default")


def _message(hpa: dict, kind: str) -> str:
    return next(c["message"] for c in hpa["status"]["conditions"] if c["type"] == kind)


def test_pods_metric_scales_out_and_back_in(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", _web(2, "100"), namespace="default")
    sc.client.create("horizontalpodautoscalers", _hpa(_pods_metric()), namespace="default")
    sc.advance(30)
    hpa = _hpa_now(sc)
    assert _replicas(sc, "web") == 2  # at the target: within the tolerance
    assert _conditions(hpa)["ScalingActive"] == ("True", "ValidMetricFound")
    assert _message(hpa, "ScalingActive") == ("the HPA was able to successfully calculate a "
                                              f"replica count from pods metric {METRIC}")
    assert hpa["status"]["currentMetrics"] == [{"type": "Pods", "pods": {
        "metric": {"name": METRIC}, "current": {"averageValue": "100"}}}]
    _annotate_pods(sc, "300")
    sc.advance(15)
    rescales = [m for r, m in _events(sc, "web") if r == "SuccessfulRescale"]
    # 300/100 x 2 ready pods = 6, within the default scale-up policy (4 pods or 100 %).
    assert rescales == [f"New size: 6; reason: pods metric {METRIC} above target"]
    sc.advance(60)
    assert _replicas(sc, "web") == 10  # new pods report the template's 100: still above
    _annotate_pods(sc, "10")
    sc.advance(120)
    assert _replicas(sc, "web") == 10  # the 300 s scale-down stabilisation window
    assert _conditions(_hpa_now(sc))["AbleToScale"] == ("True", "ScaleDownStabilized")
    sc.advance(240)
    assert _replicas(sc, "web") == 2
    assert _conditions(_hpa_now(sc))["ScalingLimited"] == ("True", "TooFewReplicas")
    assert "New size: 2; reason: All metrics below target" in [
        m for r, m in _events(sc, "web") if r == "SuccessfulRescale"]


def test_object_metric_value_target(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", _web(2, "0"), namespace="default")
    sc.client.create("services", {"metadata": {"name": "web", "annotations": {
        "k9py.dev/metrics": json.dumps({"requests_per_second": "300"})}},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}, namespace="default")
    metric = _object_metric("requests_per_second", {"type": "Value", "value": "100"})
    sc.client.create("horizontalpodautoscalers", _hpa(metric), namespace="default")
    sc.advance(20)
    # 300/100 x 2 ready pods (getUsageRatioReplicaCount).
    assert _replicas(sc, "web") == 6
    assert ("SuccessfulRescale", "New size: 6; reason: Service metric requests_per_second "
            "above target") in _events(sc, "web")
    hpa = _hpa_now(sc)
    assert hpa["status"]["currentMetrics"] == [{"type": "Object", "object": {
        "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "web"},
        "metric": {"name": "requests_per_second"}, "current": {"value": "300"}}}]


def test_missing_pods_metric(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", _web(2, "100"), namespace="default")
    sc.client.create("horizontalpodautoscalers", _hpa(_pods_metric("queue_depth")),
                     namespace="default")
    sc.advance(20)
    hpa = _hpa_now(sc)
    error = ("unable to get metric queue_depth: unable to fetch metrics from custom metrics "
             "API: the server could not find the metric queue_depth for pods")
    assert _conditions(hpa)["ScalingActive"] == ("False", "FailedGetPodsMetric")
    assert _message(hpa, "ScalingActive") == (
        f"the HPA was unable to compute the replica count: {error}")
    events = _events(sc, "web")
    assert ("FailedGetPodsMetric", error) in events
    assert ("FailedComputeMetricsReplicas", "invalid metrics (1 invalid out of 1), first "
            f"error is: failed to get pods metric value: {error}") in events
    assert _replicas(sc, "web") == 2


def test_missing_object_metric(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", _web(2, "100"), namespace="default")
    sc.client.create("services", {"metadata": {"name": "web"},
                                  "spec": {"ports": [{"port": 80}]}}, namespace="default")
    metric = _object_metric("requests_per_second", {"type": "Value", "value": "100"})
    sc.client.create("horizontalpodautoscalers", _hpa(metric), namespace="default")
    sc.advance(20)
    hpa = _hpa_now(sc)
    # Upstream's argument order puts the kind after the colon.
    error = ("unable to get metric requests_per_second: Service on default web/unable to "
             "fetch metrics from custom metrics API: the server could not find the metric "
             "requests_per_second for services web")
    assert _conditions(hpa)["ScalingActive"] == ("False", "FailedGetObjectMetric")
    assert _message(hpa, "ScalingActive") == (
        f"the HPA was unable to compute the replica count: {error}")
    assert ("FailedGetObjectMetric", error) in _events(sc, "web")
    assert ("FailedComputeMetricsReplicas", "invalid metrics (1 invalid out of 1), first "
            f"error is: failed to get object metric value: {error}") in _events(sc, "web")


def test_external_metric_average_value(sc: Cluster) -> None:  # noqa: F811
    """A queue length declared on the namespace: 30 messages, 5 per pod."""
    ns = sc.client.get("namespaces", "default", None)
    ns["metadata"].setdefault("annotations", {})["k9py.dev/external-metrics"] = json.dumps(
        {"queue_messages_ready": [{"labels": {"queue": "jobs"}, "value": "30"},
                                  {"labels": {"queue": "other"}, "value": "1000"}]})
    sc.client.update("namespaces", ns)
    sc.client.create("deployments", _web(2, "0"), namespace="default")
    selector = {"matchLabels": {"queue": "jobs"}}
    metric = {"type": "External", "external": {
        "metric": {"name": "queue_messages_ready", "selector": selector},
        "target": {"type": "AverageValue", "averageValue": "5"}}}
    sc.client.create("horizontalpodautoscalers", _hpa(metric), namespace="default")
    sc.advance(20)
    assert _replicas(sc, "web") == 6
    assert ("SuccessfulRescale", "New size: 6; reason: external metric queue_messages_ready("
            "&LabelSelector{MatchLabels:map[string]string{queue: jobs,},"
            "MatchExpressions:[]LabelSelectorRequirement{},}) above target") in _events(sc, "web")
    assert _hpa_now(sc)["status"]["currentMetrics"] == [{"type": "External", "external": {
        "metric": {"name": "queue_messages_ready", "selector": selector},
        "current": {"averageValue": "15"}}}]


def test_a_failing_metric_blocks_scale_in_only(sc: Cluster) -> None:  # noqa: F811
    """computeReplicasForMetrics: with some metrics invalid the HPA still
    scales out on the valid ones, but never in (upstream: scaling in on
    partial information could starve the workload)."""
    sc.client.create("deployments", _web(4, "10"), namespace="default")
    hpa = _hpa(_pods_metric())
    hpa["spec"]["metrics"].append(_pods_metric("queue_depth"))
    sc.client.create("horizontalpodautoscalers", hpa, namespace="default")
    sc.advance(20)
    assert _replicas(sc, "web") == 4
    assert _conditions(_hpa_now(sc))["ScalingActive"] == ("False", "FailedGetPodsMetric")
    assert any(r == "FailedComputeMetricsReplicas" and m.startswith(
        "invalid metrics (1 invalid out of 2), first error is: failed to get pods metric value:")
        for r, m in _events(sc, "web"))
    _annotate_pods(sc, "300")
    sc.advance(15)
    assert _replicas(sc, "web") == 8  # 300/100 x 4 = 12, capped at +4 pods or +100 % per 15 s
    assert _conditions(_hpa_now(sc))["ScalingActive"] == ("True", "ValidMetricFound")
