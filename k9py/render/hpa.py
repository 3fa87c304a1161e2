"""HorizontalPodAutoscalers: REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS.

TARGETS show each metric's target; the current value is printed as
``<unknown>`` (status.currentMetrics is not read)."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    NONE,
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


def _target(metric: Obj) -> str:
    kind = metric.get("type", "")
    body = metric.get(kind[:1].lower() + kind[1:]) or {}
    target = body.get("target") or {}
    name = (body.get("name") or (body.get("metric") or {}).get("name") or kind).lower()
    value = (target.get("averageUtilization") or target.get("averageValue")
             or target.get("value") or "")
    suffix = "%" if target.get("averageUtilization") else ""
    return f"{name}: <unknown>/{value}{suffix}"


class HorizontalPodAutoscalerRenderer(Renderer):
    kind = "HorizontalPodAutoscaler"
    columns = with_namespace(Column("NAME"), Column("REFERENCE"), Column("TARGETS"),
                             Column("MINPODS", num=True, right=True),
                             Column("MAXPODS", num=True, right=True),
                             Column("REPLICAS", num=True, right=True), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        ref = spec.get("scaleTargetRef") or {}
        targets = ", ".join(_target(m) for m in spec.get("metrics") or []) or NONE
        return (namespace_of(obj), name_of(obj), f"{ref.get('kind')}/{ref.get('name')}", targets,
                str(spec.get("minReplicas", 1)), str(spec.get("maxReplicas", "")),
                str(int_or(st.get("currentReplicas"))), created(obj))
