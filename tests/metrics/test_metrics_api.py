"""``metrics.k8s.io/v1beta1`` through the API server's verbs (in-process).

Upstream: kubernetes-sigs/metrics-server ``pkg/api/pod.go`` / ``node.go``
(get and list only; Running pods only; (namespace, name) order; field
selectors on metadata only, ``filter.go``) and k8s.io/metrics
``pkg/apis/metrics/v1beta1/types.go`` (PodMetrics: metadata, timestamp,
window, containers[{name, usage}]; NodeMetrics: metadata, timestamp, window,
usage).
"""

from __future__ import annotations

import re

import pytest

from engine.api import aggregated
from engine.api.errors import StatusError
from engine.cluster import Cluster, ClusterConfig
from tests.kubelet.helpers import WORKER, bound_pod

NGINX = {"name": "nginx", "image": "nginx:1.14.2",
         "resources": {"requests": {"cpu": "200m", "memory": "128Mi"}}}


def _pod(name: str, **labels: str) -> dict:
    pod = bound_pod(name, [dict(NGINX)])
    pod["metadata"]["labels"].update(labels)
    return pod


@pytest.fixture
def running(cluster: Cluster) -> Cluster:
    cluster.client.create("namespaces", {"metadata": {"name": "other"}})
    # No controller manager here: put the root CA bundle its publisher would
    # (the kubelet mounts it into every pod's kube-api-access volume).
    ca = cluster.client.get("configmaps", "kube-root-ca.crt", "default")
    cluster.client.create("configmaps", {"metadata": {"name": "kube-root-ca.crt"},
                                         "data": ca["data"]}, namespace="other")
    for name, ns, tier in (("web", "default", "front"), ("api", "default", "back"),
                           ("db", "other", "back")):
        cluster.client.create("pods", _pod(name, tier=tier), namespace=ns)
    cluster.advance(30)
    return cluster


def test_pod_metrics_shape(running: Cluster) -> None:
    m = running.client.get("pods.metrics.k8s.io", "web", "default")
    assert m["kind"] == "PodMetrics" and m["apiVersion"] == "metrics.k8s.io/v1beta1"
    assert m["metadata"]["name"] == "web" and m["metadata"]["namespace"] == "default"
    assert m["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m["timestamp"])
    assert re.fullmatch(r"\d+s", m["window"])
    [c] = m["containers"]
    assert c["name"] == "nginx"
    assert re.fullmatch(r"\d+n", c["usage"]["cpu"])  # nanocores, as metrics-server
    assert re.fullmatch(r"\d+Ki", c["usage"]["memory"])


def test_node_metrics_shape_and_names(running: Cluster) -> None:
    for name in ("nodes.metrics.k8s.io", "nodemetrics", "NodeMetrics", aggregated.NODE_METRICS):
        m = running.client.get(name, WORKER)
        assert m["kind"] == "NodeMetrics" and m["metadata"]["name"] == WORKER
        assert re.fullmatch(r"\d+n", m["usage"]["cpu"]) and m["usage"]["memory"].endswith("Ki")
    listed = running.client.list("nodes.metrics.k8s.io")
    assert listed["kind"] == "NodeMetricsList"
    names = [i["metadata"]["name"] for i in listed["items"]]
    assert names == sorted(names) and WORKER in names


def test_list_scoping_order_and_selectors(running: Cluster) -> None:
    def names(**opts) -> list[tuple[str, str]]:
        items = running.client.list("pods.metrics.k8s.io", **opts)["items"]
        return [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in items
                if i["metadata"]["namespace"] != "kube-system"]  # the static pods

    assert names() == [("default", "api"), ("default", "web"), ("other", "db")]
    assert names(namespace="default") == [("default", "api"), ("default", "web")]
    assert names(label_selector="tier=back") == [("default", "api"), ("other", "db")]
    assert names(field_selector="metadata.name=db") == [("other", "db")]
    # Only metadata fields exist for metrics-server (AddObjectMetaFieldsSet).
    assert names(field_selector="spec.nodeName=" + WORKER) == []
    listed = running.client.list("podmetrics", "other")
    assert listed["kind"] == "PodMetricsList"
    assert listed["apiVersion"] == "metrics.k8s.io/v1beta1"


def test_not_found_wording(running: Cluster) -> None:
    with pytest.raises(StatusError) as err:
        running.client.get("pods.metrics.k8s.io", "nope", "default")
    assert err.value.code == 404
    assert str(err.value) == 'podmetrics.metrics.k8s.io "default/nope" not found'
    with pytest.raises(StatusError) as err:
        running.client.get("nodes.metrics.k8s.io", "nope")
    assert str(err.value) == 'nodemetrics.metrics.k8s.io "nope" not found'


def test_pending_pod_has_no_metrics(cluster: Cluster) -> None:
    pod = _pod("waiting")
    pod["spec"].pop("nodeName")  # no scheduler here: it stays Pending
    cluster.client.create("pods", pod)
    cluster.advance(5)
    assert cluster.client.list("pods.metrics.k8s.io", "default")["items"] == []
    with pytest.raises(StatusError) as err:
        cluster.client.get("pods.metrics.k8s.io", "waiting", "default")
    assert err.value.code == 404


@pytest.mark.parametrize("verb", ["create", "update", "delete", "watch", "patch"])
def test_write_verbs_are_405(running: Cluster, verb: str) -> None:
    body = {"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics",
            "metadata": {"name": "web", "namespace": "default"}}
    calls = {
        "create": lambda: running.client.create("pods.metrics.k8s.io", body),
        "update": lambda: running.client.update("pods.metrics.k8s.io", body),
        "delete": lambda: running.client.delete("pods.metrics.k8s.io", "web",
                                                namespace="default"),
        "watch": lambda: running.client.watch("pods.metrics.k8s.io"),
        "patch": lambda: running.client.patch("pods.metrics.k8s.io", "web", {},
                                              "application/merge-patch+json",
                                              namespace="default"),
    }
    with pytest.raises(StatusError) as err:
        calls[verb]()
    assert err.value.code == 405 and err.value.reason == "MethodNotAllowed"
    assert running.client.get("pods", "web", "default")["kind"] == "Pod"  # untouched


def test_without_kubelets_the_api_is_unavailable() -> None:
    with Cluster(ClusterConfig(virtual=True, components=[], fsync=False)) as c:
        with pytest.raises(StatusError) as err:
            c.client.list("pods.metrics.k8s.io")
        assert err.value.code == 503 and err.value.reason == "ServiceUnavailable"


def test_readings_agree_with_the_kubelets(running: Cluster) -> None:
    """The API's readings are the kubelets' own (KubeletManager.pod_metrics /
    node_metrics), taken once per 15 s scrape window and shared by pod and node."""
    def both() -> tuple:
        api_pod = running.api.get("pods.metrics.k8s.io", "web", "default")
        api_node = running.api.get("nodes.metrics.k8s.io", WORKER)
        return (api_pod, api_node, running.kubelets.pod_metrics("default", "web"),
                running.kubelets.node_metrics(WORKER))

    api_pod, api_node, pod, node = running.call(both)
    assert api_pod["containers"] == pod["containers"]
    assert api_pod["timestamp"] == pod["timestamp"] and api_pod["window"] == pod["window"]
    assert api_node["usage"] == node["usage"]
    assert api_node["metadata"]["labels"]["kubernetes.io/hostname"] == WORKER
