"""Services, Endpoints, Ingresses, NetworkPolicies, EndpointSlices."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    NONE,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    map_selector_text,
    name_of,
    namespace_of,
    selector_text,
    with_namespace,
)


def service_ports(svc: Obj) -> str:
    out = []
    for p in (svc.get("spec") or {}).get("ports") or []:
        text = f"{p.get('port')}"
        if p.get("nodePort"):
            text += f":{p['nodePort']}"
        out.append(f"{text}/{p.get('protocol', 'TCP')}")
    return ",".join(out) or NONE


def external_ips(svc: Obj) -> str:
    spec = svc.get("spec") or {}
    ips = list(spec.get("externalIPs") or [])
    for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
        ips.append(ing.get("ip") or ing.get("hostname") or "")
    if spec.get("type") == "LoadBalancer" and not ips:
        return "<pending>"
    if spec.get("type") == "ExternalName":
        return spec.get("externalName", "")
    return ",".join(ips) or NONE


class ServiceRenderer(Renderer):
    kind = "Service"
    columns = with_namespace(
        Column("NAME"), Column("TYPE"), Column("CLUSTER-IP"), Column("EXTERNAL-IP"),
        Column("PORT(S)"), Column("SELECTOR", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec = obj.get("spec") or {}
        return (namespace_of(obj), name_of(obj), spec.get("type", "ClusterIP"),
                spec.get("clusterIP") or NONE, external_ips(obj), service_ports(obj),
                map_selector_text(spec.get("selector")), created(obj))


def endpoint_addresses(ep: Obj, limit: int = 3) -> str:
    items = []
    for subset in ep.get("subsets") or []:
        ports = [p.get("port") for p in subset.get("ports") or []] or [None]
        for addr in subset.get("addresses") or []:
            for port in ports:
                items.append(f"{addr.get('ip')}:{port}" if port else addr.get("ip", ""))
    if not items:
        return NONE
    more = len(items) - limit
    return ",".join(items[:limit]) + (f" + {more} more..." if more > 0 else "")


class EndpointsRenderer(Renderer):
    kind = "Endpoints"
    columns = with_namespace(Column("NAME"), Column("ENDPOINTS", max_width=80),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), endpoint_addresses(obj), created(obj))


class IngressRenderer(Renderer):
    kind = "Ingress"
    columns = with_namespace(Column("NAME"), Column("CLASS"), Column("HOSTS"),
                             Column("ADDRESS"), Column("PORTS"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec = obj.get("spec") or {}
        hosts = [r.get("host") for r in spec.get("rules") or [] if r.get("host")]
        lb = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        ports = "80, 443" if spec.get("tls") else "80"
        return (namespace_of(obj), name_of(obj), spec.get("ingressClassName") or NONE,
                ",".join(hosts) or "*", ",".join(i.get("ip") or i.get("hostname", "") for i in lb),
                ports, created(obj))


class NetworkPolicyRenderer(Renderer):
    kind = "NetworkPolicy"
    columns = with_namespace(Column("NAME"), Column("POD-SELECTOR"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj),
                selector_text((obj.get("spec") or {}).get("podSelector")), created(obj))


class EndpointSliceRenderer(Renderer):
    kind = "EndpointSlice"
    columns = with_namespace(Column("NAME"), Column("ADDRESSTYPE"), Column("PORTS"),
                             Column("ENDPOINTS", max_width=80), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        ports = ",".join(str(p.get("port")) for p in obj.get("ports") or []) or NONE
        addrs = [a for e in obj.get("endpoints") or [] for a in e.get("addresses") or []]
        return (namespace_of(obj), name_of(obj), obj.get("addressType", ""), ports,
                ",".join(addrs[:3]) + (f" + {len(addrs) - 3} more..." if len(addrs) > 3 else "")
                or NONE, created(obj))
