"""PriorityClasses (cluster-scoped): VALUE, GLOBAL-DEFAULT, PREEMPTIONPOLICY."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class PriorityClassRenderer(base.Renderer):
    kind = "PriorityClass"
    columns = (base.Column("NAME"), base.Column("VALUE", num=True, right=True),
               base.Column("GLOBAL-DEFAULT"), base.Column("PREEMPTIONPOLICY"),
               base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        return (base.name_of(obj), str(obj.get("value", 0)),
                str(bool(obj.get("globalDefault"))).lower(),
                obj.get("preemptionPolicy", "PreemptLowerPriority"), base.created(obj))
