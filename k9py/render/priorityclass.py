"""PriorityClasses (cluster-scoped): VALUE, GLOBAL-DEFAULT, PREEMPTIONPOLICY."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Column, Obj, RenderContext, Renderer, created, name_of


class PriorityClassRenderer(Renderer):
    kind = "PriorityClass"
    columns = (Column("NAME"), Column("VALUE", num=True, right=True),
               Column("GLOBAL-DEFAULT"), Column("PREEMPTIONPOLICY"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), str(obj.get("value", 0)),
                str(bool(obj.get("globalDefault"))).lower(),
                obj.get("preemptionPolicy", "PreemptLowerPriority"), created(obj))
