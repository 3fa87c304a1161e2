"""A Service's desired EndpointSlice endpoints, grouped by port set.

Upstream: ``pkg/controller/endpointslice/utils.go`` (``podToEndpoint``:
ready, serving and terminating conditions, nodeName, zone, hostname,
targetRef) and ``reconciler.go`` (endpoints grouped by their resolved ports,
at most ``maxEndpointsPerSlice`` (100) per slice).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine.controllers.endpoint.podindex import should_be_in_endpoints
from engine.controllers.endpoint.subsets import endpoint_ports
from engine.controllers.util.pods import is_pod_ready

Obj = dict[str, Any]

MAX_ENDPOINTS_PER_SLICE = 100
ZONE_LABEL = "topology.kubernetes.io/zone"


def pod_to_endpoint(pod: Obj, svc: Obj, zone: str | None) -> Obj:
    """``podToEndpoint``."""
    m, spec = pod["metadata"], pod.get("spec") or {}
    serving = is_pod_ready(pod)
    terminating = bool(m.get("deletionTimestamp"))
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    endpoint: Obj = {
        "addresses": [pod["status"]["podIP"]],
        "conditions": {"ready": publish or (serving and not terminating),
                       "serving": serving, "terminating": terminating},
        "targetRef": {"kind": "Pod", "namespace": m.get("namespace", ""), "name": m["name"],
                      "uid": m.get("uid", "")},
    }
    if spec.get("nodeName"):
        endpoint["nodeName"] = spec["nodeName"]
    if zone:
        endpoint["zone"] = zone
    if (spec.get("hostname") and spec.get("subdomain") == svc["metadata"]["name"]
            and m.get("namespace") == svc["metadata"].get("namespace")):
        endpoint["hostname"] = spec["hostname"]
    return endpoint


def slice_ports(pod: Obj, svc: Obj) -> list[Obj]:
    """``getEndpointPorts``: EndpointSlice ports (every field present)."""
    return [{"name": p.get("name", ""), "port": p["port"], "protocol": p["protocol"],
             **({"appProtocol": p["appProtocol"]} if p.get("appProtocol") else {})}
            for p in endpoint_ports(pod, svc) or []]


def ports_key(ports: list[Obj]) -> tuple:
    return tuple(sorted((p.get("name") or "", p.get("port"), p.get("protocol")) for p in ports))


def desired_groups(svc: Obj, pods: list[Obj],
                   zone_of: Any) -> dict[tuple, tuple[list[Obj], list[Obj]]]:
    """port-set key -> (ports, endpoints sorted by address)."""
    groups: dict[tuple, tuple[list[Obj], list[Obj]]] = {}
    for pod in pods:
        if not should_be_in_endpoints(pod, True):
            continue
        ports = slice_ports(pod, svc)
        if (svc.get("spec") or {}).get("ports") and not ports:
            continue
        zone = zone_of((pod.get("spec") or {}).get("nodeName"))
        key = ports_key(ports)
        groups.setdefault(key, (ports, []))[1].append(pod_to_endpoint(pod, svc, zone))
    for _, endpoints in groups.values():
        endpoints.sort(key=_endpoint_key)
    return groups


def chunks(endpoints: list[Obj], size: int = MAX_ENDPOINTS_PER_SLICE) -> list[list[Obj]]:
    return [endpoints[i:i + size] for i in range(0, len(endpoints), size)] or [[]]


def _endpoint_key(endpoint: Obj) -> tuple:
    try:
        return (int(ipaddress.ip_address(endpoint["addresses"][0])),)
    except ValueError:
        return (0,)
