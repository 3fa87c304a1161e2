"""A kube-proxy model: which pod a connection to a Service would reach.

Upstream: ``pkg/proxy/iptables/proxier.go``. Per service port, kube-proxy
spreads new connections over the ready endpoints (iptables picks randomly
with ``statistic --mode random``; IPVS's default scheduler is round-robin —
this model is round-robin so answers are deterministic), falls back to
serving-but-terminating endpoints when none is ready, and with
``sessionAffinity: ClientIP`` sends a client back to the endpoint it used
last until ``timeoutSeconds`` (default 10800) pass without traffic. A Service
without endpoints rejects connections. Node ports, external IPs and
load-balancer IPs lead to the same service chains; with
``externalTrafficPolicy: Local`` a node port only reaches endpoints on that node.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from engine.network.slices import Endpoint, service_endpoints, usable

Obj = dict[str, Any]

DEFAULT_AFFINITY_SECONDS = 10800


@dataclass
class Route:
    """The answer: the service port reached and the endpoint chosen (None: rejected)."""

    namespace: str
    service: str
    port: int
    endpoint: Endpoint | None
    reason: str = ""
    via: str = "clusterIP"
    candidates: list[Endpoint] = field(default_factory=list)

    @property
    def pod(self) -> str | None:
        return self.endpoint.pod if self.endpoint else None

    @property
    def target(self) -> str | None:
        return f"{self.endpoint.ip}:{self.endpoint.port}" if self.endpoint else None


class ProxyModel:
    """Routing decisions with kube-proxy's state (round-robin position, affinity)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._lock = threading.Lock()
        self._next: dict[tuple, int] = {}
        self._affinity: dict[tuple, tuple[str, float]] = {}

    def route(self, service: str, namespace: str = "default", port: int | str | None = None,
              client_ip: str | None = None) -> Route:
        """A connection to ``service`` (its first port unless ``port`` names one)."""
        svc = self.client.get("services", service, namespace)
        return self._route_service(svc, _service_port(svc, port), client_ip, "clusterIP", None)

    def route_address(self, ip: str, port: int, client_ip: str | None = None) -> Route | None:
        """A connection to ``ip:port``: a ClusterIP, external or load-balancer IP,
        or a node's IP and a NodePort. None when nothing listens there."""
        node = self._node_named_by_ip(ip)
        for svc in self.client.list("services")["items"]:
            spec = svc.get("spec") or {}
            for sp in spec.get("ports") or []:
                via = _via(svc, sp, ip, port, node)
                if via:
                    return self._route_service(svc, sp, client_ip, via, node)
        return None

    def _node_named_by_ip(self, ip: str) -> str | None:
        for node in self.client.list("nodes")["items"]:
            for address in (node.get("status") or {}).get("addresses") or []:
                if address.get("address") == ip:
                    return node["metadata"]["name"]
        return None

    def _route_service(self, svc: Obj, sp: Obj | None, client_ip: str | None, via: str,
                       node: str | None) -> Route:
        m, spec = svc["metadata"], svc.get("spec") or {}
        ns, name = m.get("namespace", "default"), m["name"]
        number = (sp or {}).get("port", 0)
        if spec.get("type") == "ExternalName":
            return Route(ns, name, number, None, f"ExternalName: {spec.get('externalName')}", via)
        if sp is None:
            return Route(ns, name, 0, None, f'service "{ns}/{name}" has no such port', via)
        if spec.get("clusterIP") == "None":
            return Route(ns, name, number, None, "headless service: kube-proxy does not proxy "
                         "it; clients connect to the pod IPs DNS returns", via)
        endpoints = usable(service_endpoints(self.client, ns, name, sp.get("name", ""),
                                             sp.get("protocol", "TCP")))
        if via == "nodePort" and spec.get("externalTrafficPolicy") == "Local":
            endpoints = [e for e in endpoints if e.node == node]
        if not endpoints:
            return Route(ns, name, number, None, f'service "{ns}/{name}" has no endpoints', via)
        chosen = self._choose(svc, sp, endpoints, client_ip)
        return Route(ns, name, number, chosen, "", via, endpoints)

    def _choose(self, svc: Obj, sp: Obj, endpoints: list[Endpoint],
                client_ip: str | None) -> Endpoint:
        spec, m = svc.get("spec") or {}, svc["metadata"]
        key = (m.get("namespace"), m["name"], sp.get("port"), sp.get("protocol", "TCP"))
        now = self.client.clock.now()
        with self._lock:
            if spec.get("sessionAffinity") == "ClientIP" and client_ip:
                timeout = _affinity_timeout(spec)
                sticky = self._affinity.get((*key, client_ip))
                match = [e for e in endpoints if sticky and e.ip == sticky[0]]
                if sticky and match and now - sticky[1] <= timeout:
                    self._affinity[(*key, client_ip)] = (match[0].ip, now)
                    return match[0]
            index = self._next.get(key, 0)
            chosen = endpoints[index % len(endpoints)]
            self._next[key] = index + 1
            if spec.get("sessionAffinity") == "ClientIP" and client_ip:
                self._affinity[(*key, client_ip)] = (chosen.ip, now)
            return chosen


def _service_port(svc: Obj, port: int | str | None) -> Obj | None:
    ports = (svc.get("spec") or {}).get("ports") or []
    if port is None:
        return ports[0] if ports else None
    for sp in ports:
        if port in (sp.get("port"), sp.get("name")):
            return sp
    return None


def _via(svc: Obj, sp: Obj, ip: str, port: int, node: str | None) -> str:
    spec, status = svc.get("spec") or {}, svc.get("status") or {}
    if sp.get("port") == port:
        if ip in (spec.get("clusterIPs") or [spec.get("clusterIP")]):
            return "clusterIP"
        if ip in (spec.get("externalIPs") or []):
            return "externalIP"
        lb = [i.get("ip") for i in (status.get("loadBalancer") or {}).get("ingress") or []]
        if ip in lb:
            return "loadBalancer"
    if node is not None and sp.get("nodePort") == port:
        return "nodePort"
    return ""


def _affinity_timeout(spec: Obj) -> float:
    config = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
    return float(config.get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
