"""ResourceQuotas: REQUEST as ``resource: used/hard`` pairs, sorted by resource."""

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


class ResourceQuotaRenderer(Renderer):
    kind = "ResourceQuota"
    columns = with_namespace(Column("NAME"), Column("REQUEST", max_width=80),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = obj.get("status") or {}
        hard = st.get("hard") or (obj.get("spec") or {}).get("hard") or {}
        used = st.get("used") or {}
        req = ", ".join(f"{k}: {used.get(k, 0)}/{v}" for k, v in sorted(hard.items()))
        return (namespace_of(obj), name_of(obj), req, created(obj))
