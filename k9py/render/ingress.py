"""Ingresses: CLASS, HOSTS, ADDRESS and PORTS (443 only when TLS is set)."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class IngressRenderer(base.Renderer):
    kind = "Ingress"
    columns = base.with_namespace(base.Column("NAME"), base.Column("CLASS"), base.Column("HOSTS"),
                                  base.Column("ADDRESS"), base.Column("PORTS"),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec = obj.get("spec") or {}
        hosts = [r.get("host") for r in spec.get("rules") or [] if r.get("host")]
        lb = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        ports = "80, 443" if spec.get("tls") else "80"
        return (base.namespace_of(obj), base.name_of(obj),
                spec.get("ingressClassName") or base.NONE,
                ",".join(hosts) or "*", ",".join(i.get("ip") or i.get("hostname", "") for i in lb),
                ports, base.created(obj))
