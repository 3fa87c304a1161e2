"""Endpoints (v1): the first three ``ip:port`` pairs, then ``+ N more...``."""

from __future__ import annotations

from typing import Any

from k9py.render import base


def endpoint_addresses(ep: base.Obj, limit: int = 3) -> str:
    """Every ready address crossed with every port of its subset, cut at ``limit``."""
    items = []
    for subset in ep.get("subsets") or []:
        ports = [p.get("port") for p in subset.get("ports") or []] or [None]
        for addr in subset.get("addresses") or []:
            for port in ports:
                items.append(f"{addr.get('ip')}:{port}" if port else addr.get("ip", ""))
    if not items:
        return base.NONE
    more = len(items) - limit
    return ",".join(items[:limit]) + (f" + {more} more..." if more > 0 else "")


class EndpointsRenderer(base.Renderer):
    kind = "Endpoints"
    columns = base.with_namespace(base.Column("NAME"), base.Column("ENDPOINTS", max_width=80),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj), endpoint_addresses(obj),
                base.created(obj))
