"""The HPA scales a Deployment out under CPU load and back in after the
scale-down stabilisation window."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from tests.storage.conftest import sc  # noqa: F401 - the fixture


def _deployment(name: str, replicas: int = 1) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "php", "image": "registry.k8s.io/hpa-example",
                          "resources": {"requests": {"cpu": "200m"},
                                        "limits": {"cpu": "500m"}}}]}}}}


def _hpa(name: str, **spec: Any) -> dict:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": name},
                     "minReplicas": 1, "maxReplicas": 10,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization",
                                                   "averageUtilization": 50}}}], **spec}}


def _replicas(cluster: Cluster, name: str) -> int:
    return cluster.client.get("deployments", name, "default")["spec"]["replicas"]


def _conditions(hpa: dict) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in hpa["status"]["conditions"]}


def _events(cluster: Cluster, name: str) -> list[tuple[str, str]]:
    return [(e["reason"], e["message"]) for e in cluster.client.list("events", "default")["items"]
            if e["involvedObject"]["name"] == name
            and e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"]


def test_hpa_scales_out_under_load_and_back_in(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", _deployment("php-apache"), namespace="default")
    sc.client.create("horizontalpodautoscalers", _hpa("php-apache"), namespace="default")
    sc.advance(60)
    hpa = sc.client.get("horizontalpodautoscalers", "php-apache", "default")
    assert _replicas(sc, "php-apache") == 1
    assert _conditions(hpa)["ScalingActive"] == ("True", "ValidMetricFound")
    assert hpa["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"] < 50
    sc.call(lambda: sc.kubelets.set_load("default", "app=php-apache", 2.0))
    sc.advance(30)
    scaled = _replicas(sc, "php-apache")
    assert scaled > 1
    reasons = [m for r, m in _events(sc, "php-apache") if r == "SuccessfulRescale"]
    assert reasons[0].startswith(f"New size: {min(5, 10)}; reason: cpu resource utilization "
                                 "(percentage of request) above target") or reasons
    assert "cpu resource utilization (percentage of request) above target" in reasons[0]
    sc.advance(120)
    out = _replicas(sc, "php-apache")
    assert out == 10
    hpa = sc.client.get("horizontalpodautoscalers", "php-apache", "default")
    assert _conditions(hpa)["ScalingLimited"] == ("True", "TooManyReplicas")
    sc.call(lambda: sc.kubelets.set_load("default", "app=php-apache", None))
    sc.advance(120)
    assert _replicas(sc, "php-apache") == 10  # held by the 300 s stabilisation window
    hpa = sc.client.get("horizontalpodautoscalers", "php-apache", "default")
    assert _conditions(hpa)["AbleToScale"] == ("True", "ScaleDownStabilized")
    sc.advance(240)
    assert _replicas(sc, "php-apache") == 1
    assert any(m == "New size: 1; reason: All metrics below target"
               for r, m in _events(sc, "php-apache") if r == "SuccessfulRescale")


def test_missing_target_and_missing_requests(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("horizontalpodautoscalers", _hpa("ghost"), namespace="default")
    sc.advance(2)
    assert "status" not in sc.client.get("horizontalpodautoscalers", "ghost", "default") or \
        not sc.client.get("horizontalpodautoscalers", "ghost", "default")["status"].get(
            "conditions")  # the first sync waits one 15 s period
    sc.advance(15)
    hpa = sc.client.get("horizontalpodautoscalers", "ghost", "default")
    assert _conditions(hpa)["AbleToScale"] == ("False", "FailedGetScale")
    assert ("FailedGetScale", 'deployments.apps "ghost" not found') in _events(sc, "ghost")
    dep = _deployment("norequests")
    dep["spec"]["template"]["spec"]["containers"][0].pop("resources")
    sc.client.create("deployments", dep, namespace="default")
    sc.client.create("horizontalpodautoscalers", _hpa("norequests"), namespace="default")
    sc.advance(40)
    hpa = sc.client.get("horizontalpodautoscalers", "norequests", "default")
    assert _conditions(hpa)["ScalingActive"] == ("False", "FailedGetResourceMetric")
    message = next(c["message"] for c in hpa["status"]["conditions"]
                   if c["type"] == "ScalingActive")
    assert message.startswith("the HPA was unable to compute the replica count: failed to get "
                              "cpu utilization: missing request for cpu in container php of "
                              "Pod norequests-")
