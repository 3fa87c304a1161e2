"""Services: Name, Type, Cluster-IP, External-IP, Port(s), Age (+ Selector);
upstream ``printService``, ``getServiceExternalIP`` and ``makePortString``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, NONE, Column, age, dig, format_labels, name, wide

COLUMNS = (
    NAME,
    Column("Type", description="type determines how the Service is exposed."),
    Column("Cluster-IP", description="clusterIP is the IP address of the service and is usually "
                                     "assigned randomly."),
    Column("External-IP", description="externalIPs is a list of IP addresses for which nodes in "
                                      "the cluster will also accept traffic for this service."),
    Column("Port(s)", description="The list of ports that are exposed by this service."),
    AGE,
    wide("Selector", "Route service traffic to pods with label keys and values matching this "
                     "selector."),
)


def port_string(ports: list[dict[str, Any]]) -> str:
    pieces = []
    for p in ports:
        proto = p.get("protocol", "TCP")
        if p.get("nodePort"):
            pieces.append(f"{p.get('port', 0)}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port', 0)}/{proto}")
    return ",".join(pieces)


def _lb_ips(svc: dict[str, Any]) -> list[str]:
    out = []
    for ingress in dig(svc, "status", "loadBalancer", "ingress", default=[]):
        if ingress.get("ip"):
            out.append(ingress["ip"])
        elif ingress.get("hostname"):
            out.append(ingress["hostname"])
    return out


def external_ip(svc: dict[str, Any]) -> str:
    spec = svc.get("spec") or {}
    kind, external = spec.get("type", "ClusterIP"), spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else NONE
    if kind == "LoadBalancer":
        ips = _lb_ips(svc) + external
        return ",".join(ips) if ips else "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def _row(svc: dict[str, Any], now: float) -> list[Any]:
    spec = svc.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [name(svc), spec.get("type", ""), cluster_ips[0] if cluster_ips else NONE,
            external_ip(svc), port_string(spec.get("ports") or []) or NONE, age(svc, now),
            format_labels(spec.get("selector"))]


register("", "services", COLUMNS, _row)
