"""Endpoints and EndpointSlices follow pod readiness (upstream
``pkg/controller/endpoint`` and ``pkg/controller/endpointslice``)."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.network.helpers import addresses, flapping_pod, service, web_pod

SICK = {"k9py.dev/fail-readiness": "true"}


def slices_of(cluster: Cluster, name: str) -> list[dict]:
    return cluster.client.list("endpointslices", "default",
                               label_selector=f"kubernetes.io/service-name={name}")["items"]


def test_kubernetes_and_kube_dns_services_exist_at_boot(cluster: Cluster) -> None:
    k8s = cluster.client.get("services", "kubernetes", "default")
    assert k8s["spec"]["clusterIP"] == "10.96.0.1"
    assert k8s["spec"]["ports"][0]["port"] == 443
    ep = cluster.client.get("endpoints", "kubernetes", "default")
    assert ep["subsets"] == [{"addresses": [{"ip": "172.18.0.2"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    dns = cluster.client.get("services", "kube-dns", "kube-system")
    assert dns["spec"]["clusterIP"] == "10.96.0.10"
    assert dns["spec"]["selector"] == {"k8s-app": "kube-dns"}
    assert [(p["name"], p["port"], p["protocol"]) for p in dns["spec"]["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    cluster.advance(10)
    dns_ep = cluster.client.get("endpoints", "kube-dns", "kube-system")
    assert len(addresses(dns_ep)) == 2


def test_service_selects_only_ready_pods(net: Cluster) -> None:
    c = net.client
    c.create("services", service("web", {"app": "web"}), namespace="default")
    for name in ("web-1", "web-2"):
        c.create("pods", web_pod(name), namespace="default")
    c.create("pods", web_pod("web-sick", annotations=SICK), namespace="default")
    c.create("pods", web_pod("other", app="other"), namespace="default")
    net.advance(20)
    ep = c.get("endpoints", "web", "default")
    assert addresses(ep) == ["web-1", "web-2"]
    assert addresses(ep, "notReadyAddresses") == ["web-sick"]
    assert ep["subsets"][0]["ports"] == [{"name": "http", "port": 80, "protocol": "TCP"}]
    assert "endpoints.kubernetes.io/last-change-trigger-time" in ep["metadata"]["annotations"]
    (sl,) = slices_of(net, "web")
    assert sl["metadata"]["name"].startswith("web-") and len(sl["metadata"]["name"]) == 9
    assert sl["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == \
        "endpointslice-controller.k8s.io"
    assert sl["metadata"]["ownerReferences"][0]["kind"] == "Service"
    ready = {e["targetRef"]["name"]: e["conditions"]["ready"] for e in sl["endpoints"]}
    assert ready == {"web-1": True, "web-2": True, "web-sick": False}
    assert all(e["nodeName"].startswith("k9py-worker") for e in sl["endpoints"])


def test_pod_failing_readiness_leaves_endpoints_and_returns(net: Cluster) -> None:
    c = net.client
    c.create("services", service("flap", {"app": "flap"}), namespace="default")
    c.create("pods", flapping_pod("flap-1"), namespace="default")
    net.advance(20)
    assert addresses(c.get("endpoints", "flap", "default")) == ["flap-1"]
    net.advance(40)
    ep = c.get("endpoints", "flap", "default")
    assert addresses(ep) == []
    assert addresses(ep, "notReadyAddresses") == ["flap-1"]
    assert slices_of(net, "flap")[0]["endpoints"][0]["conditions"]["ready"] is False
    net.advance(40)
    assert addresses(c.get("endpoints", "flap", "default")) == ["flap-1"]


def test_terminating_and_deleted_pods_leave(net: Cluster) -> None:
    c = net.client
    c.create("services", service("web", {"app": "web"}), namespace="default")
    c.create("pods", web_pod("web-1"), namespace="default")
    c.create("pods", web_pod("web-2"), namespace="default")
    net.advance(20)
    c.delete("pods", "web-2", namespace="default")
    net.advance(0.5)
    assert addresses(c.get("endpoints", "web", "default")) == ["web-1"]
    net.advance(40)
    assert [e["targetRef"]["name"] for e in slices_of(net, "web")[0]["endpoints"]] == ["web-1"]


def test_relabelled_pod_leaves_and_service_delete_cleans_up(net: Cluster) -> None:
    c = net.client
    c.create("services", service("web", {"app": "web"}, clusterIP="None"), namespace="default")
    c.create("pods", web_pod("web-1"), namespace="default")
    net.advance(20)
    ep = c.get("endpoints", "web", "default")
    assert ep["metadata"]["labels"] == {"service.kubernetes.io/headless": ""}
    c.patch("pods", "web-1", {"metadata": {"labels": {"app": "moved"}}}, "application/merge-patch+json",
            namespace="default")
    net.advance(2)
    assert addresses(c.get("endpoints", "web", "default")) == []
    assert slices_of(net, "web")[0]["endpoints"] == []  # the placeholder slice
    c.delete("services", "web", namespace="default")
    net.advance(10)
    assert c.list("endpoints", "default", field_selector="metadata.name=web")["items"] == []
    assert slices_of(net, "web") == []


def test_named_target_port_resolved_per_pod(net: Cluster) -> None:
    c = net.client
    svc = service("web", {"app": "web"}, ports=[{"name": "http", "port": 8080,
                                                  "targetPort": "http"}])
    c.create("services", svc, namespace="default")
    c.create("pods", web_pod("web-1"), namespace="default")
    net.advance(20)
    ep = c.get("endpoints", "web", "default")
    assert ep["subsets"][0]["ports"] == [{"name": "http", "port": 80, "protocol": "TCP"}]
