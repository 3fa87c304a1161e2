"""EndpointSlices (discovery.k8s.io): ADDRESSTYPE, PORTS and the first three addresses."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class EndpointSliceRenderer(base.Renderer):
    kind = "EndpointSlice"
    columns = base.with_namespace(base.Column("NAME"), base.Column("ADDRESSTYPE"),
                                  base.Column("PORTS"),
                                  base.Column("ENDPOINTS", max_width=80),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        ports = ",".join(str(p.get("port")) for p in obj.get("ports") or []) or base.NONE
        addrs = [a for e in obj.get("endpoints") or [] for a in e.get("addresses") or []]
        return (base.namespace_of(obj), base.name_of(obj), obj.get("addressType", ""), ports,
                ",".join(addrs[:3]) + (f" + {len(addrs) - 3} more..." if len(addrs) > 3 else "")
                or base.NONE, base.created(obj))
