"""Issue 4's HPA acceptance on a default cluster: 50 % CPU target, out under
load with upstream's event, back in after the 300 s stabilisation window."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.autoscaling.test_hpa import _deployment, _events, _hpa, _replicas


def test_hpa_targeting_half_cpu_scales_out_and_in(cluster: Cluster) -> None:
    client = cluster.client
    client.create("deployments", _deployment("php-apache"), namespace="default")
    client.create("horizontalpodautoscalers", _hpa("php-apache"), namespace="default")
    cluster.advance(30)
    assert _replicas(cluster, "php-apache") == 1
    cluster.call(lambda: cluster.kubelets.set_load("default", "app=php-apache", 2.0))
    cluster.advance(30)
    rescales = [m for r, m in _events(cluster, "php-apache") if r == "SuccessfulRescale"]
    size, _, reason = rescales[0].removeprefix("New size: ").partition("; reason: ")
    assert 1 < int(size) <= 5  # at most 4 pods more per 15 s (or 100 %)
    assert reason == "cpu resource utilization (percentage of request) above target"
    cluster.advance(90)
    assert _replicas(cluster, "php-apache") == 10
    top = cluster.call(lambda: cluster.kubelets.pod_metrics(
        "default", client.list("pods", "default", label_selector="app=php-apache")[
            "items"][0]["metadata"]["name"]))
    assert top["kind"] == "PodMetrics" and top["window"] == "15s"
    cluster.call(lambda: cluster.kubelets.set_load("default", "app=php-apache", None))
    cluster.advance(200)
    assert _replicas(cluster, "php-apache") == 10
    cluster.advance(200)
    assert _replicas(cluster, "php-apache") == 1
