"""Services: TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) as kubectl prints them."""

from __future__ import annotations

from typing import Any

from k9py.render import base


def service_ports(svc: base.Obj) -> str:
    """``port[:nodePort]/protocol`` per port, as kubectl's PORT(S) column."""
    out = []
    for p in (svc.get("spec") or {}).get("ports") or []:
        text = f"{p.get('port')}"
        if p.get("nodePort"):
            text += f":{p['nodePort']}"
        out.append(f"{text}/{p.get('protocol', 'TCP')}")
    return ",".join(out) or base.NONE


def external_ips(svc: base.Obj) -> str:
    """externalIPs plus load-balancer ingress; ``<pending>`` for an unserved LoadBalancer."""
    spec = svc.get("spec") or {}
    ips = list(spec.get("externalIPs") or [])
    for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
        ips.append(ing.get("ip") or ing.get("hostname") or "")
    if spec.get("type") == "LoadBalancer" and not ips:
        return "<pending>"
    if spec.get("type") == "ExternalName":
        return spec.get("externalName", "")
    return ",".join(ips) or base.NONE


class ServiceRenderer(base.Renderer):
    kind = "Service"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("TYPE"), base.Column("CLUSTER-IP"),
        base.Column("EXTERNAL-IP"),
        base.Column("PORT(S)"), base.Column("SELECTOR", wide=True, max_width=60),
        base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec = obj.get("spec") or {}
        return (base.namespace_of(obj), base.name_of(obj), spec.get("type", "ClusterIP"),
                spec.get("clusterIP") or base.NONE, external_ips(obj), service_ports(obj),
                base.map_selector_text(spec.get("selector")), base.created(obj))
