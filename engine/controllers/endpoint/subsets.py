"""Computing an Endpoints object's subsets from a Service and its pods.

Upstream: ``pkg/controller/endpoint/endpoints_controller.go``
(``podToEndpointAddressForService``, ``addEndpointSubset``) and
``pkg/api/v1/endpoints/util.go`` (``RepackSubsets``: addresses grouped by
their port set, sorted).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine.controllers.endpoint.podindex import find_port, should_be_in_endpoints
from engine.controllers.util.pods import is_pod_ready

Obj = dict[str, Any]

# maxCapacity: Endpoints hold at most this many addresses.
MAX_CAPACITY = 1000


def endpoint_address(pod: Obj, svc: Obj) -> Obj:
    """``podToEndpointAddressForService``."""
    m, spec = pod["metadata"], pod.get("spec") or {}
    address: Obj = {"ip": pod["status"]["podIP"]}
    if spec.get("nodeName"):
        address["nodeName"] = spec["nodeName"]
    address["targetRef"] = {"kind": "Pod", "namespace": m.get("namespace", ""),
                            "name": m["name"], "uid": m.get("uid", "")}
    if (spec.get("hostname") and spec.get("subdomain") == svc["metadata"]["name"]
            and m.get("namespace") == svc["metadata"].get("namespace")):
        address["hostname"] = spec["hostname"]
    return address


def endpoint_ports(pod: Obj, svc: Obj) -> list[Obj] | None:
    """The pod's resolved port for each service port (None: none resolvable)."""
    out: list[Obj] = []
    for port in (svc.get("spec") or {}).get("ports") or []:
        number = find_port(pod, port)
        if number is None:
            continue
        epp: Obj = {"port": number, "protocol": port.get("protocol", "TCP")}
        if port.get("name"):
            epp["name"] = port["name"]
        if port.get("appProtocol"):
            epp["appProtocol"] = port["appProtocol"]
        out.append(epp)
    return out


def compute_subsets(svc: Obj, pods: list[Obj]) -> list[Obj]:
    """Ready pods as addresses, not-ready ones as notReadyAddresses, repacked."""
    spec = svc.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    has_ports = bool(spec.get("ports"))
    groups: dict[tuple, tuple[list[Obj], list[Obj], list[Obj]]] = {}
    for pod in pods:
        if not should_be_in_endpoints(pod, publish):
            continue
        ports = endpoint_ports(pod, svc) or []
        if has_ports and not ports:
            continue
        key = tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
        ready, not_ready, _ = groups.setdefault(key, ([], [], ports))
        address = endpoint_address(pod, svc)
        (ready if publish or is_pod_ready(pod) else not_ready).append(address)
    return [_subset(ready, not_ready, ports) for ready, not_ready, ports
            in (groups[k] for k in sorted(groups))]


def _subset(ready: list[Obj], not_ready: list[Obj], ports: list[Obj]) -> Obj:
    subset: Obj = {}
    if ready:
        subset["addresses"] = sorted(ready, key=_address_key)
    if not_ready:
        subset["notReadyAddresses"] = sorted(not_ready, key=_address_key)
    if ports:
        subset["ports"] = sorted(ports, key=lambda p: (p.get("name", ""), p["port"]))
    return subset


def _address_key(address: Obj) -> tuple:
    try:
        ip: Any = int(ipaddress.ip_address(address["ip"]))
    except ValueError:
        ip = 0
    return ip, address.get("targetRef", {}).get("uid", "")


def truncate(subsets: list[Obj]) -> tuple[list[Obj], bool]:
    """``truncateEndpoints``: keep at most MAX_CAPACITY addresses, ready first."""
    total = sum(len(s.get("addresses", [])) + len(s.get("notReadyAddresses", []))
                for s in subsets)
    if total <= MAX_CAPACITY:
        return subsets, False
    budget, out = MAX_CAPACITY, []
    for key in ("addresses", "notReadyAddresses"):
        for subset in subsets:
            kept = subset.get(key, [])[:budget]
            budget -= len(kept)
            subset[key] = kept
    for subset in subsets:
        cleaned = {k: v for k, v in subset.items() if v}
        if cleaned.get("addresses") or cleaned.get("notReadyAddresses"):
            out.append(cleaned)
    return out, True
