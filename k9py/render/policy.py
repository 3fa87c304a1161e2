"""HorizontalPodAutoscalers, PodDisruptionBudgets, ResourceQuotas, LimitRanges."""

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


class ResourceQuotaRenderer(Renderer):
    kind = "ResourceQuota"
    columns = with_namespace(Column("NAME"), Column("REQUEST", max_width=80),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = obj.get("status") or {}
        hard, used = st.get("hard") or (obj.get("spec") or {}).get("hard") or {}, st.get(
            "used") or {}
        req = ", ".join(f"{k}: {used.get(k, 0)}/{v}" for k, v in sorted(hard.items()))
        return (namespace_of(obj), name_of(obj), req, created(obj))
