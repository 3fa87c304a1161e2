"""Leases (coordination.k8s.io): who HOLDs them, e.g. a node's heartbeat."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class LeaseRenderer(base.Renderer):
    kind = "Lease"
    columns = base.with_namespace(base.Column("NAME"), base.Column("HOLDER"),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj),
                (obj.get("spec") or {}).get("holderIdentity", ""), base.created(obj))
