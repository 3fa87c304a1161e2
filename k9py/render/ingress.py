"""Ingresses: CLASS, HOSTS, ADDRESS and PORTS (443 only when TLS is set)."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    NONE,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    name_of,
    namespace_of,
    with_namespace,
)


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
