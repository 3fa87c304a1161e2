"""HorizontalPodAutoscalers: REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS.

TARGETS as kubectl and k9s print them (``formatHPAMetrics`` in kubernetes'
pkg/printers/internalversion/printers.go; k9s internal/render/hpa.go):
``current/target`` per metric, the current value taken from the
``status.currentMetrics`` entry at the same index, ``<unknown>`` until the
controller has measured it, at most two metrics then ``+ N more...``."""

from __future__ import annotations

from typing import Any

from k9py.render import base

UNKNOWN = "<unknown>"
# The field of a MetricSpec / MetricStatus that holds each source type.
_SOURCES = {"Resource": "resource", "ContainerResource": "containerResource",
            "Pods": "pods", "Object": "object", "External": "external"}


def _current(status: base.Obj | None, key: str, field: str) -> str:
    value = (((status or {}).get(key) or {}).get("current") or {}).get(field)
    if value is None:
        return UNKNOWN
    return f"{value}%" if field == "averageUtilization" else str(value)


def _target(metric: base.Obj, status: base.Obj | None) -> str:
    kind = metric.get("type", "")
    key = _SOURCES.get(kind)
    if key is None:
        return "<unknown type>"
    target = (metric.get(key) or {}).get("target") or {}
    if kind in ("Resource", "ContainerResource"):
        name = (metric.get(key) or {}).get("name", "")
        if target.get("averageValue") is not None:
            return f"{name}: {_current(status, key, 'averageValue')}/{target['averageValue']}"
        goal = target.get("averageUtilization")
        shown = "<auto>" if goal is None else f"{goal}%"
        return f"{name}: {_current(status, key, 'averageUtilization')}/{shown}"
    if kind == "Pods":
        return f"{_current(status, key, 'averageValue')}/{target.get('averageValue', '')}"
    if target.get("averageValue") is not None:
        return f"{_current(status, key, 'averageValue')}/{target['averageValue']} (avg)"
    return f"{_current(status, key, 'value')}/{target.get('value', '')}"


def targets(obj: base.Obj) -> str:
    metrics = (obj.get("spec") or {}).get("metrics") or []
    if not metrics:
        return base.NONE
    now = (obj.get("status") or {}).get("currentMetrics") or []
    parts = [_target(m, now[i] if i < len(now) else None) for i, m in enumerate(metrics)]
    if len(parts) > 2:
        return ", ".join(parts[:2]) + f" + {len(parts) - 2} more..."
    return ", ".join(parts)


class HorizontalPodAutoscalerRenderer(base.Renderer):
    kind = "HorizontalPodAutoscaler"
    columns = base.with_namespace(base.Column("NAME"), base.Column("REFERENCE"),
                                  base.Column("TARGETS"),
                                  base.Column("MINPODS", num=True, right=True),
                                  base.Column("MAXPODS", num=True, right=True),
                                  base.Column("REPLICAS", num=True, right=True),
                                  base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        ref = spec.get("scaleTargetRef") or {}
        return (base.namespace_of(obj), base.name_of(obj), f"{ref.get('kind')}/{ref.get('name')}",
                targets(obj),
                str(spec.get("minReplicas", 1)), str(spec.get("maxReplicas", "")),
                str(base.int_or(st.get("currentReplicas"))), base.created(obj))
