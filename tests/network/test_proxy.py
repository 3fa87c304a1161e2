"""The kube-proxy model: round-robin, ClientIP affinity, node ports and
load-balancer IPs (pending when the pool is empty)."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.network.helpers import service, web_pod


def three_pods(net: Cluster, **spec: object) -> dict:
    c = net.client
    svc = c.create("services", service("web", {"app": "web"}, **spec), namespace="default")
    for i in range(3):
        c.create("pods", web_pod(f"web-{i}"), namespace="default")
    net.advance(20)
    return svc


def test_round_robin_over_ready_endpoints(net: Cluster) -> None:
    three_pods(net)
    net.client.create("pods", web_pod("web-sick", annotations={"k9py.dev/fail-readiness": "true"}),
                      namespace="default")
    net.advance(20)
    picks = [net.network.route("web").pod for _ in range(6)]
    assert sorted(picks[:3]) == ["web-0", "web-1", "web-2"]
    assert picks[3:] == picks[:3]
    route = net.network.route("web", port="http")
    assert route.target is not None and route.target.endswith(":80")


def test_client_ip_affinity_is_sticky_until_timeout(net: Cluster) -> None:
    svc = three_pods(net, sessionAffinity="ClientIP")
    assert svc["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    first = net.network.route("web", client_ip="192.168.1.10").pod
    assert all(net.network.route("web", client_ip="192.168.1.10").pod == first
               for _ in range(5))
    others = {net.network.route("web", client_ip=f"192.168.1.{i}").pod for i in range(20, 26)}
    assert len(others) > 1


def test_no_endpoints_rejects(net: Cluster) -> None:
    net.client.create("services", service("empty", {"app": "none"}), namespace="default")
    route = net.network.route("empty")
    assert route.endpoint is None
    assert route.reason == 'service "default/empty" has no endpoints'


def test_node_port_and_cluster_ip_addresses(net: Cluster) -> None:
    svc = three_pods(net, type="NodePort", ports=[{"name": "http", "port": 80,
                                                   "nodePort": 30080}])
    via_node = net.network.route_address("172.18.0.3", 30080)
    assert via_node is not None and via_node.via == "nodePort"
    assert via_node.pod and via_node.pod.startswith("web-")
    via_ip = net.network.route_address(svc["spec"]["clusterIP"], 80)
    assert via_ip is not None and via_ip.via == "clusterIP" and via_ip.service == "web"
    assert net.network.route_address("172.18.0.3", 31999) is None


def test_load_balancer_ip_from_the_pool_then_pending(net: Cluster) -> None:
    c = net.client
    three_pods(net, type="LoadBalancer")
    for name in ("lb2", "lb3"):
        c.create("services", service(name, {"app": "web"}, type="LoadBalancer"),
                 namespace="default")
    net.advance(5)
    ingress = {n: c.get("services", n, "default")["status"]["loadBalancer"].get("ingress")
               for n in ("web", "lb2", "lb3")}
    assert ingress["web"] == [{"ip": "172.18.255.200", "ipMode": "VIP"}]
    assert ingress["lb2"] == [{"ip": "172.18.255.201", "ipMode": "VIP"}]
    assert ingress["lb3"] is None  # <pending>: the pool is empty
    route = net.network.route_address("172.18.255.200", 80)
    assert route is not None and route.via == "loadBalancer" and route.pod
    c.delete("services", "web", namespace="default")
    net.advance(35)
    assert c.get("services", "lb3", "default")["status"]["loadBalancer"]["ingress"] == [
        {"ip": "172.18.255.200", "ipMode": "VIP"}]


def test_affinity_expires_and_headless_is_not_proxied(net: Cluster) -> None:
    three_pods(net, sessionAffinity="ClientIP",
               sessionAffinityConfig={"clientIP": {"timeoutSeconds": 10}})
    first = net.network.route("web", client_ip="10.0.0.1").pod
    net.advance(5)
    assert net.network.route("web", client_ip="10.0.0.1").pod == first  # refreshed at 5 s
    net.advance(11)
    assert net.network.route("web", client_ip="10.0.0.1").pod != first  # expired: next in turn
    net.client.create("services", service("hl", {"app": "web"}, clusterIP="None"),
                      namespace="default")
    route = net.network.route("hl")
    assert route.endpoint is None and route.reason.startswith("headless service")


def test_selectorless_service_with_hand_written_endpoints(net: Cluster) -> None:
    c = net.client
    c.create("services", service("external-db", ports=[{"name": "pg", "port": 5432}]),
             namespace="default")
    c.create("endpoints", {"metadata": {"name": "external-db"}, "subsets": [{
        "addresses": [{"ip": "192.168.0.50"}],
        "ports": [{"name": "pg", "port": 5432}]}]}, namespace="default")
    route = net.network.route("external-db")
    assert route.target == "192.168.0.50:5432"
    assert net.network.route("kubernetes").target == "172.18.0.2:6443"
