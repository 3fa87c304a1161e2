"""NetworkPolicies: the POD-SELECTOR they apply to."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class NetworkPolicyRenderer(base.Renderer):
    kind = "NetworkPolicy"
    columns = base.with_namespace(base.Column("NAME"), base.Column("POD-SELECTOR"),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.namespace_of(obj), base.name_of(obj),
                base.selector_text((obj.get("spec") or {}).get("podSelector")), base.created(obj))
