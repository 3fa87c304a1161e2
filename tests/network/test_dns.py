"""The CoreDNS model: services, headless services, StatefulSet pod names,
search paths, ExternalName, SRV and NXDOMAIN."""

from __future__ import annotations

from engine.cluster import Cluster
from engine.network.dns import candidates
from tests.network.helpers import service


def statefulset(name: str, replicas: int) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"serviceName": name, "replicas": replicas,
                     "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "nginx", "image": "nginx:1.14.2",
                          "ports": [{"name": "http", "containerPort": 80}]}]}}}}


def pod_ips(cluster: Cluster, app: str) -> dict[str, str]:
    pods = cluster.client.list("pods", "default", label_selector=f"app={app}")["items"]
    return {p["metadata"]["name"]: p["status"]["podIP"] for p in pods}


def test_search_path_is_a_pods_resolv_conf() -> None:
    assert candidates("redis", "shop") == [
        "redis.shop.svc.cluster.local", "redis.svc.cluster.local", "redis.cluster.local",
        "redis"]
    assert candidates("a.b.c.d.e.f", "ns")[0] == "a.b.c.d.e.f"
    assert candidates("redis.shop.svc.cluster.local.", "x") == ["redis.shop.svc.cluster.local"]


def test_service_names_resolve_to_the_cluster_ip(net: Cluster) -> None:
    c = net.client
    c.create("namespaces", {"metadata": {"name": "shop"}})
    ip = c.create("services", service("redis", {"app": "redis"}),
                  namespace="shop")["spec"]["clusterIP"]
    for name, ns in (("redis", "shop"), ("redis.shop", "default"), ("redis.shop.svc", "default"),
                     ("redis.shop.svc.cluster.local", "default")):
        answer = net.network.resolve(name, ns)
        assert answer.rcode == "NOERROR" and answer.addresses == [ip], name
        assert answer.name == "redis.shop.svc.cluster.local"
    missing = net.network.resolve("redis", "default")
    assert missing.rcode == "NXDOMAIN" and missing.records == []
    assert missing.tried[0] == "redis.default.svc.cluster.local"
    assert net.network.resolve("kubernetes.default").addresses == ["10.96.0.1"]


def test_headless_and_statefulset_names(net: Cluster) -> None:
    c = net.client
    c.create("services", service("myapp", {"app": "myapp"}, clusterIP="None"),
             namespace="default")
    c.create("statefulsets", statefulset("myapp", 2), namespace="default")
    net.advance(60)
    ips = pod_ips(net, "myapp")
    assert sorted(ips) == ["myapp-0", "myapp-1"]
    assert sorted(net.network.resolve("myapp").addresses) == sorted(ips.values())
    for pod, ip in ips.items():
        answer = net.network.resolve(f"{pod}.myapp")
        assert answer.addresses == [ip]
        assert answer.name == f"{pod}.myapp.default.svc.cluster.local"
        fqdn = net.network.resolve(f"{pod}.myapp.default.svc.cluster.local")
        assert fqdn.addresses == [ip]
    srv = net.network.resolve("_http._tcp.myapp", qtype="SRV")
    assert sorted(r.value for r in srv.records) == [
        "0 50 80 myapp-0.myapp.default.svc.cluster.local.",
        "0 50 80 myapp-1.myapp.default.svc.cluster.local."]
    assert net.network.resolve("myapp-7.myapp").rcode == "NXDOMAIN"


def test_external_name_srv_and_pod_records(net: Cluster) -> None:
    c = net.client
    c.create("services", {"metadata": {"name": "db"}, "spec": {
        "type": "ExternalName", "externalName": "db.example.com"}}, namespace="default")
    (record,) = net.network.resolve("db").records
    assert (record.type, record.value) == ("CNAME", "db.example.com.")
    ip = c.create("services", service("web", {"app": "web"}),
                  namespace="default")["spec"]["clusterIP"]
    (srv,) = net.network.resolve("_http._tcp.web.default.svc.cluster.local", qtype="SRV").records
    assert srv.value == "0 100 80 web.default.svc.cluster.local."
    assert net.network.resolve("10-244-1-5.default.pod.cluster.local").addresses == ["10.244.1.5"]
    assert net.network.resolve("nothing.default.svc.cluster.local.").rcode == "NXDOMAIN"
    assert ip


def test_aaaa_on_an_ipv4_cluster_is_nodata(net: Cluster) -> None:
    answer = net.network.resolve("kubernetes", qtype="AAAA")
    assert answer.rcode == "NOERROR" and answer.records == []
    assert net.network.resolve("nothing", qtype="AAAA").rcode == "NXDOMAIN"
