"""Service ClusterIP and NodePort allocation (upstream
``pkg/registry/core/service/storage/alloc.go``), with upstream's messages."""

from __future__ import annotations

from typing import Any

import pytest

from engine.api import errors
from engine.api.server import APIServer


def svc(name: str, **spec: Any) -> dict[str, Any]:
    body = {"selector": {"app": name}, "ports": [{"port": 80}], **spec}
    return {"metadata": {"name": name}, "spec": body}


def test_cluster_ip_allocated_from_service_cidr(api: APIServer) -> None:
    a = api.create("services", svc("a"))
    b = api.create("services", svc("b"))
    ip = a["spec"]["clusterIP"]
    assert a["spec"]["clusterIPs"] == [ip]
    assert ip.startswith("10.") and 96 <= int(ip.split(".")[1]) <= 111
    assert ip != b["spec"]["clusterIP"]


def test_requested_cluster_ip_honoured_or_refused(api: APIServer) -> None:
    assert api.create("services", svc("a", clusterIP="10.96.0.5"))["spec"]["clusterIP"] == \
        "10.96.0.5"
    with pytest.raises(errors.StatusError) as err:
        api.create("services", svc("b", clusterIP="10.96.0.5"))
    assert err.value.code == 422
    assert str(err.value) == (
        'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: '
        "failed to allocate IP 10.96.0.5: provided IP is already allocated")


def test_cluster_ip_released_on_delete(api: APIServer) -> None:
    api.create("services", svc("a", clusterIP="10.96.0.7"))
    api.delete("services", "a", namespace="default")
    assert api.create("services", svc("b", clusterIP="10.96.0.7"))["spec"]["clusterIP"] == \
        "10.96.0.7"


def test_cluster_ip_immutable(api: APIServer) -> None:
    a = api.create("services", svc("a", clusterIP="10.96.0.8"))
    a["spec"]["clusterIP"] = "10.96.0.9"
    a["spec"]["clusterIPs"] = ["10.96.0.9"]
    with pytest.raises(errors.StatusError) as err:
        api.update("services", a)
    assert str(err.value) == (
        'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: '
        "may not change once set")
    # the refused update reserved nothing: 10.96.0.9 is still free
    api.create("services", svc("b", clusterIP="10.96.0.9"))


def test_headless_and_external_name_get_no_ip(api: APIServer) -> None:
    h = api.create("services", svc("h", clusterIP="None"))
    assert h["spec"]["clusterIPs"] == ["None"]
    e = api.create("services", {"metadata": {"name": "e"}, "spec": {
        "type": "ExternalName", "externalName": "example.com"}})
    assert "clusterIP" not in e["spec"]


def test_node_port_collision_rejected_with_upstreams_message(api: APIServer) -> None:
    a = api.create("services", svc("a", type="NodePort",
                                   ports=[{"port": 80, "nodePort": 30080}]))
    assert a["spec"]["ports"][0]["nodePort"] == 30080
    with pytest.raises(errors.StatusError) as err:
        api.create("services", svc("b", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    assert str(err.value) == (
        'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
        "provided port is already allocated")
    api.delete("services", "a", namespace="default")
    api.create("services", svc("b", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))


def test_node_ports_allocated_in_range_deterministically(api: APIServer) -> None:
    lb = api.create("services", svc("lb", type="LoadBalancer"))
    port = lb["spec"]["ports"][0]["nodePort"]
    assert 30000 <= port <= 32767
    np = api.create("services", svc("np", type="NodePort",
                                    ports=[{"port": 53, "protocol": "UDP", "name": "u"},
                                           {"port": 53, "protocol": "TCP", "name": "t"}]))
    ports = [p["nodePort"] for p in np["spec"]["ports"]]
    assert ports[0] == ports[1] != port


def test_failed_create_releases_what_it_reserved(api: APIServer) -> None:
    api.create("services", svc("a", clusterIP="10.96.0.20"))
    with pytest.raises(errors.StatusError):
        api.create("services", svc("a", clusterIP="10.96.0.21"))  # AlreadyExists
    api.create("services", svc("b", clusterIP="10.96.0.21"))


def test_dry_run_reserves_nothing(api: APIServer) -> None:
    api.create("services", svc("a", clusterIP="10.96.0.30"), dry_run=True)
    api.create("services", svc("b", clusterIP="10.96.0.30"))


def test_allocations_rebuilt_from_the_store(api: APIServer) -> None:
    api.create("services", svc("a", clusterIP="10.96.0.40"))
    fresh = APIServer(api.store, api.clock)
    with pytest.raises(errors.StatusError) as err:
        fresh.create("services", svc("b", clusterIP="10.96.0.40"))
    assert "provided IP is already allocated" in str(err.value)
    fresh.close()


def test_type_changes_allocate_and_release(api: APIServer) -> None:
    a = api.create("services", svc("a"))
    ip = a["spec"]["clusterIP"]
    a["spec"]["type"] = "NodePort"
    a = api.update("services", a)
    node_port = a["spec"]["ports"][0]["nodePort"]
    assert 30000 <= node_port <= 32767 and a["spec"]["clusterIP"] == ip
    a["spec"]["type"] = "LoadBalancer"
    a = api.update("services", a)
    assert a["spec"]["ports"][0]["nodePort"] == node_port  # kept, not reallocated
    spec = a["spec"]
    for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy",
                "externalTrafficPolicy", "allocateLoadBalancerNodePorts"):
        spec.pop(key, None)
    spec["ports"][0].pop("nodePort")
    spec.update(type="ExternalName", externalName="db.example.com")
    api.update("services", a)
    # both the IP and the node port were released
    api.create("services", svc("b", clusterIP=ip, type="NodePort",
                               ports=[{"port": 80, "nodePort": node_port}]))


def test_out_of_range_requests_refused(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.create("services", svc("a", clusterIP="10.0.0.5"))
    assert str(err.value) == (
        'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: '
        "failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. "
        "The range of valid IPs is 10.96.0.0/12")
    with pytest.raises(errors.StatusError) as err:
        api.create("services", svc("a", type="NodePort", ports=[{"port": 80, "nodePort": 8080}]))
    assert str(err.value) == (
        'Service "a" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is '
        "not in the valid range. The range of valid ports is 30000-32767")


def test_update_without_cluster_ip_keeps_the_allocated_one(cluster) -> None:  # noqa: ANN001
    """``kubectl replace`` of a manifest without clusterIP keeps the allocated address."""
    client = cluster.client
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "keep"},
           "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}}
    created = client.create("services", svc, namespace="default")
    ip = created["spec"]["clusterIP"]
    replaced = dict(svc, metadata={"name": "keep", "namespace": "default",
                                   "resourceVersion": created["metadata"]["resourceVersion"]})
    out = client.update("services", replaced)
    assert out["spec"]["clusterIP"] == ip and out["spec"]["clusterIPs"] == [ip]
