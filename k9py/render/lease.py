"""Leases (coordination.k8s.io): who HOLDs them, e.g. a node's heartbeat."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    name_of,
    namespace_of,
    with_namespace,
)


class LeaseRenderer(Renderer):
    kind = "Lease"
    columns = with_namespace(Column("NAME"), Column("HOLDER"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj),
                (obj.get("spec") or {}).get("holderIdentity", ""), created(obj))
