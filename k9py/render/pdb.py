"""PodDisruptionBudgets: MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class PodDisruptionBudgetRenderer(base.Renderer):
    kind = "PodDisruptionBudget"
    columns = base.with_namespace(base.Column("NAME"), base.Column("MIN AVAILABLE"),
                                  base.Column("MAX UNAVAILABLE"),
                                  base.Column("ALLOWED DISRUPTIONS", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (base.namespace_of(obj), base.name_of(obj), str(spec.get("minAvailable", "N/A")),
                str(spec.get("maxUnavailable", "N/A")),
                str(base.int_or(st.get("disruptionsAllowed"))), base.created(obj))
