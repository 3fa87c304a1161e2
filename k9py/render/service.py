"""Services: TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) as kubectl prints them."""

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
    with_namespace,
)


def service_ports(svc: Obj) -> str:
    """``port[:nodePort]/protocol`` per port, as kubectl's PORT(S) column."""
    out = []
    for p in (svc.get("spec") or {}).get("ports") or []:
        text = f"{p.get('port')}"
        if p.get("nodePort"):
            text += f":{p['nodePort']}"
        out.append(f"{text}/{p.get('protocol', 'TCP')}")
    return ",".join(out) or NONE


def external_ips(svc: Obj) -> str:
    """externalIPs plus load-balancer ingress; ``<pending>`` for an unserved LoadBalancer."""
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
