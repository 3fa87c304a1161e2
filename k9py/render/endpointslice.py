"""EndpointSlices (discovery.k8s.io): ADDRESSTYPE, PORTS and the first three addresses."""

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
