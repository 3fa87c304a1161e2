"""Services (upstream ``pkg/registry/core/service/strategy.go`` and the IP
family initialisation of ``pkg/registry/core/service/storage/alloc.go``).

Create starts the status at ``{loadBalancer: {}}``. The cluster is IPv4
single-stack, so services get ``ipFamilyPolicy: SingleStack`` and
``ipFamilies: [IPv4]``, except ExternalName services (none) and headless
services without a selector (``RequireDualStack``, as upstream defaults them).
Cluster IP allocation is not done here. Services have no generation.
"""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import StatusStrategy, Strategy

Obj = dict[str, Any]

CLUSTER_FAMILIES = ("IPv4",)


def _family_of(ip: str) -> str:
    return "IPv6" if ":" in ip else "IPv4"


def init_ip_family_fields(spec: Obj, old_spec: Obj | None = None) -> None:
    """``initIPFamilyFields`` for a single-stack IPv4 cluster."""
    if spec.get("type") == "ExternalName":
        spec.pop("ipFamilyPolicy", None)
        spec.pop("ipFamilies", None)
        return
    if old_spec is not None and old_spec.get("type") != "ExternalName":
        for key in ("ipFamilyPolicy", "ipFamilies"):
            if not spec.get(key) and old_spec.get(key):
                spec[key] = old_spec[key]
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    if cluster_ips[:1] == ["None"] and not spec.get("selector"):
        if spec.get("ipFamilyPolicy") is None:
            spec["ipFamilyPolicy"] = "RequireDualStack"
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = list(CLUSTER_FAMILIES)
        return
    if spec.get("ipFamilyPolicy") is None:
        spec["ipFamilyPolicy"] = "SingleStack"
    if not spec.get("ipFamilies"):
        ips = [ip for ip in cluster_ips if isinstance(ip, str) and ip not in ("", "None")]
        spec["ipFamilies"] = [_family_of(ip) for ip in ips] or [CLUSTER_FAMILIES[0]]


class ServiceStrategy(Strategy):
    """``svcStrategy``."""

    zero_status = {"loadBalancer": {}}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        spec = obj.get("spec")
        if isinstance(spec, dict):
            init_ip_family_fields(spec)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        from engine.api.hooks.services import patch_allocated_values

        super().prepare_for_update(new, old)
        if isinstance(new.get("spec"), dict):
            patch_allocated_values(new, old)  # an update that omits the ClusterIP keeps it
        spec, old_spec = new.get("spec"), old.get("spec")
        if isinstance(spec, dict):
            init_ip_family_fields(spec, old_spec if isinstance(old_spec, dict) else None)


class ServiceStatusStrategy(StatusStrategy):
    """``serviceStatusStrategy``: the spec is the stored one."""

    kept_metadata = ()


ServiceStrategy.status_class = ServiceStatusStrategy

STRATEGIES = {("", "services"): ServiceStrategy}
