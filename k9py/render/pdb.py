"""PodDisruptionBudgets: MIN AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    int_or,
    name_of,
    namespace_of,
    with_namespace,
)


class PodDisruptionBudgetRenderer(Renderer):
    kind = "PodDisruptionBudget"
    columns = with_namespace(Column("NAME"), Column("MIN AVAILABLE"),
                             Column("MAX UNAVAILABLE"),
                             Column("ALLOWED DISRUPTIONS", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (namespace_of(obj), name_of(obj), str(spec.get("minAvailable", "N/A")),
                str(spec.get("maxUnavailable", "N/A")),
                str(int_or(st.get("disruptionsAllowed"))), created(obj))
