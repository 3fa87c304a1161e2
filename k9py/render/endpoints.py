"""Endpoints (v1): the first three ``ip:port`` pairs, then ``+ N more...``."""

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


def endpoint_addresses(ep: Obj, limit: int = 3) -> str:
    """Every ready address crossed with every port of its subset, cut at ``limit``."""
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
