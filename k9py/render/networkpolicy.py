"""NetworkPolicies: the POD-SELECTOR they apply to."""

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
    selector_text,
    with_namespace,
)


class NetworkPolicyRenderer(Renderer):
    kind = "NetworkPolicy"
    columns = with_namespace(Column("NAME"), Column("POD-SELECTOR"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj),
                selector_text((obj.get("spec") or {}).get("podSelector")), created(obj))
