"""ResourceQuotas: REQUEST as ``resource: used/hard`` pairs, sorted by resource."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class ResourceQuotaRenderer(base.Renderer):
    kind = "ResourceQuota"
    columns = base.with_namespace(base.Column("NAME"), base.Column("REQUEST", max_width=80),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        st = obj.get("status") or {}
        hard = st.get("hard") or (obj.get("spec") or {}).get("hard") or {}
        used = st.get("used") or {}
        req = ", ".join(f"{k}: {used.get(k, 0)}/{v}" for k, v in sorted(hard.items()))
        return (base.namespace_of(obj), base.name_of(obj), req, base.created(obj))
