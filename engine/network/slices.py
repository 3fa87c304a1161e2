"""Reading a Service's endpoints as kube-proxy and CoreDNS do: from its
EndpointSlices (label ``kubernetes.io/service-name``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """One address of a Service, for one slice port (``port`` 0 if none)."""

    ip: str
    port: int
    ready: bool
    serving: bool
    terminating: bool
    pod: str = ""
    namespace: str = ""
    node: str = ""
    hostname: str = ""


def service_endpoints(client: Any, namespace: str, service: str,
                      port_name: str | None = None, protocol: str = "TCP") -> list[Endpoint]:
    """Every endpoint of ``service`` for the named port, sorted by IP.

    A Service without selector whose Endpoints were written by hand has no
    slices here (upstream's EndpointSliceMirroring controller would make
    them), so its Endpoints are read instead, as mirrored slices would say."""
    items = client.list("endpointslices", namespace,
                        label_selector=f"kubernetes.io/service-name={service}")["items"]
    if not items:
        items = _mirrored(client, namespace, service)
    found: dict[str, Endpoint] = {}
    for item in items:
        port = _port(item, port_name, protocol)
        if port is None:
            continue
        for ep in item.get("endpoints") or []:
            for ip in ep.get("addresses") or []:
                found.setdefault(ip, _endpoint(ep, ip, port))
    return sorted(found.values(), key=lambda e: tuple(int(x) for x in e.ip.split(".")))


def _port(item: Obj, port_name: str | None, protocol: str) -> int | None:
    ports = item.get("ports") or []
    if port_name is None:
        return ports[0].get("port", 0) if ports else 0
    for port in ports:
        if (port.get("name") or "") == port_name and port.get("protocol", "TCP") == protocol:
            return port.get("port")
    return None


def _endpoint(ep: Obj, ip: str, port: int) -> Endpoint:
    cond = ep.get("conditions") or {}
    ref = ep.get("targetRef") or {}
    ready = cond.get("ready") is not False
    return Endpoint(ip=ip, port=port or 0, ready=ready,
                    serving=cond.get("serving", ready) is not False,
                    terminating=bool(cond.get("terminating")),
                    pod=ref.get("name", "") if ref.get("kind") == "Pod" else "",
                    namespace=ref.get("namespace", ""), node=ep.get("nodeName", ""),
                    hostname=ep.get("hostname", ""))


def usable(endpoints: list[Endpoint]) -> list[Endpoint]:
    """kube-proxy's choice: ready endpoints, else serving terminating ones
    (KEP-1669 ProxyTerminatingEndpoints)."""
    ready = [e for e in endpoints if e.ready]
    return ready or [e for e in endpoints if e.serving and e.terminating]


def _mirrored(client: Any, namespace: str, service: str) -> list[Obj]:
    """``endpointslicemirroring``: an Endpoints object's subsets as slices."""
    found = client.list("endpoints", namespace,
                        field_selector=f"metadata.name={service}")["items"]
    slices = []
    for subset in (found[0].get("subsets") or []) if found else []:
        endpoints = [{**_address(a), "conditions": {"ready": True}}
                     for a in subset.get("addresses") or []]
        endpoints += [{**_address(a), "conditions": {"ready": False}}
                      for a in subset.get("notReadyAddresses") or []]
        slices.append({"endpoints": endpoints, "ports": subset.get("ports") or []})
    return slices


def _address(address: Obj) -> Obj:
    out: Obj = {"addresses": [address.get("ip", "")]}
    for src, dst in (("nodeName", "nodeName"), ("hostname", "hostname"),
                     ("targetRef", "targetRef")):
        if address.get(src):
            out[dst] = address[src]
    return out
