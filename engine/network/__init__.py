"""The cluster's data plane, modelled: kube-proxy, CoreDNS, a load-balancer
pool and an ingress controller.

``run_network(cluster)`` is the component: it starts the simulated service
(load-balancer) and ingress controllers and sets ``cluster.network``, a
:class:`Network` whose methods any thread may call.
"""

from __future__ import annotations

import asyncio
from typing import Any

from engine.api import errors
from engine.network.dns import Answer, DNSModel
from engine.network.ingress import IngressController, IngressRoute, handled, route
from engine.network.loadbalancer import ServiceLBController
from engine.network.proxy import ProxyModel, Route
from engine.runtime import SharedInformerFactory

FIELD_MANAGER = "k9py-network"

__all__ = ["Answer", "IngressRoute", "Network", "Route", "run_network"]


class Network:
    """Answers "where would this request go" for the TUI, the HTTP server and tests."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.proxy = ProxyModel(client)
        self.dns = DNSModel(client)

    def route(self, service: str, namespace: str = "default", port: int | str | None = None,
              client_ip: str | None = None) -> Route:
        """kube-proxy: the endpoint a connection to the Service reaches."""
        return self.proxy.route(service, namespace, port, client_ip)

    def route_address(self, ip: str, port: int, client_ip: str | None = None) -> Route | None:
        """kube-proxy: a ClusterIP, external/LB IP, or node IP + NodePort."""
        return self.proxy.route_address(ip, port, client_ip)

    def resolve(self, name: str, from_namespace: str = "default", qtype: str = "A") -> Answer:
        """CoreDNS, as seen from a pod in ``from_namespace``."""
        return self.dns.resolve(name, from_namespace, qtype)

    def ingress_route(self, host: str, path: str = "/",
                      client_ip: str | None = None) -> tuple[IngressRoute | None, Route | None]:
        """The ingress controller: the rule chosen, then the pod it proxies to."""
        classes = {c["metadata"]["name"]: c
                   for c in self.client.list("ingressclasses")["items"]}
        ingresses = [i for i in self.client.list("ingresses")["items"] if handled(i, classes)]
        chosen = route(ingresses, host, path)
        if chosen is None or chosen.service is None:
            return chosen, None
        try:
            return chosen, self.proxy.route(chosen.service, chosen.namespace, chosen.port,
                                            client_ip)
        except errors.StatusError:
            return chosen, None


def _node_address(client: Any) -> str:
    nodes = client.list("nodes")["items"]
    planes = [n for n in nodes if "node-role.kubernetes.io/control-plane"
              in (n["metadata"].get("labels") or {})] or nodes
    for node in planes:
        for address in (node.get("status") or {}).get("addresses") or []:
            if address.get("type") == "InternalIP":
                return address["address"]
    return "127.0.0.1"


async def run_network(cluster: Any, pool: list[str] | None = None) -> None:
    """The component: LB and ingress controllers, and ``cluster.network``."""
    client = cluster.local_client(FIELD_MANAGER)
    cluster.network = Network(cluster.client)
    factory = SharedInformerFactory(client)
    controllers = [ServiceLBController(client, factory, pool),
                   IngressController(client, factory, lambda: _node_address(client))]
    factory.start()
    try:
        await asyncio.gather(*(c.run() for c in controllers))
    finally:
        for c in controllers:
            c.stop()
        factory.stop()
