"""A simulated cloud service controller: LoadBalancer Services get an IP.

Upstream: ``staging/src/k8s.io/cloud-provider/controllers/service/controller.go``
(``syncLoadBalancerIfNeeded``: events ``EnsuringLoadBalancer`` /
``EnsuredLoadBalancer``, ``status.loadBalancer.ingress`` written through the
status subresource, cleared with ``DeletingLoadBalancer`` /
``DeletedLoadBalancer`` when the Service stops being one), with addresses from
a pool like kind's MetalLB samples (172.18.255.200-250). An empty pool leaves
the status empty, which kubectl shows as ``<pending>``; Services with a
``loadBalancerClass`` belong to another implementation and are left alone.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine.api import errors
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]

DEFAULT_POOL = ("172.18.255.200", "172.18.255.250")
COMPONENT = "service-controller"


def pool_addresses(first: str, last: str) -> list[str]:
    low, high = int(ipaddress.ip_address(first)), int(ipaddress.ip_address(last))
    return [str(ipaddress.ip_address(i)) for i in range(low, high + 1)]


def lb_ips(svc: Obj) -> list[str]:
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return [i["ip"] for i in ingress if i.get("ip")]


def wants_lb(svc: Obj) -> bool:
    spec = svc.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")


class ServiceLBController(Controller):
    """The service controller of a cloud with an address pool."""

    def __init__(self, client: Any, factory: SharedInformerFactory,
                 pool: list[str] | None = None) -> None:
        super().__init__(client.clock, name="service-lb", workers=1)
        self.client = client
        self.pool = pool if pool is not None else pool_addresses(*DEFAULT_POOL)
        self.recorder = EventRecorder(client, COMPONENT)
        informer = factory.informer_for("services")
        self.lister = informer.lister()
        self.watch(informer)

    def in_use(self, except_key: str = "") -> set[str]:
        return {ip for s in self.lister.list() if wants_lb(s)
                and f"{s['metadata'].get('namespace')}/{s['metadata']['name']}" != except_key
                for ip in lb_ips(s)}

    async def reconcile(self, key: str) -> float | None:
        ns, name = split_meta_namespace_key(key)
        svc = self.lister.get(ns, name)
        if svc is None:
            return None
        current = lb_ips(svc)
        if not wants_lb(svc):
            if current and (svc.get("spec") or {}).get("type") == "LoadBalancer":
                return None  # another implementation's
            if current:
                self._clear(svc)
            return None
        if current:
            return None
        ip = self._pick(svc, key)
        if ip is None:
            self.recorder.event(svc, "Warning", "SyncLoadBalancerFailed",
                                "Error syncing load balancer: failed to ensure load balancer: "
                                "no available IPs in the address pool")
            return 30.0
        self.recorder.event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
        svc = {**svc, "status": {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}}
        self._update(svc)
        self.recorder.event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")
        return None

    def _pick(self, svc: Obj, key: str) -> str | None:
        used = self.in_use(key)
        wanted = (svc.get("spec") or {}).get("loadBalancerIP")
        if wanted:
            return wanted if wanted in self.pool and wanted not in used else None
        return next((ip for ip in self.pool if ip not in used), None)

    def _clear(self, svc: Obj) -> None:
        self.recorder.event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer")
        self._update({**svc, "status": {"loadBalancer": {}}})
        self.recorder.event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer")

    def _update(self, svc: Obj) -> None:
        try:
            self.client.update_status("services", svc)
        except errors.StatusError as err:
            if err.code in (404, 409):
                self.queue.add_rate_limited(
                    f"{svc['metadata'].get('namespace')}/{svc['metadata']['name']}")
                return
            raise
