"""HorizontalPodAutoscalers: Name, Reference, Targets, MinPods, MaxPods,
Replicas, Age; upstream ``printHorizontalPodAutoscaler`` and ``formatHPAMetrics``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name

COLUMNS = (
    NAME,
    Column("Reference", description="reference to scaled resource"),
    Column("Targets", description="metrics the autoscaler uses"),
    Column("MinPods", type="integer", description="minReplicas is the lower limit for the "
                                                  "number of replicas."),
    Column("MaxPods", type="integer", description="maxReplicas is the upper limit for the "
                                                  "number of replicas."),
    Column("Replicas", type="integer", description="current number of replicas of pods managed "
                                                   "by this autoscaler"),
    AGE,
)


def _resource_metric(spec: dict[str, Any], current: dict[str, Any] | None) -> str:
    target = spec.get("target") or {}
    have = (current or {}).get("current") or {}
    if target.get("type") == "Utilization" or "averageUtilization" in target:
        now = have.get("averageUtilization")
        shown = "<unknown>" if now is None else f"{now}%"
        return f"{spec.get('name', '')}: {shown}/{target.get('averageUtilization', 0)}%"
    now = have.get("averageValue")
    return f"{spec.get('name', '')}: {now or '<unknown>'}/{target.get('averageValue', '')}"


def format_metrics(obj: dict[str, Any]) -> str:
    specs = dig(obj, "spec", "metrics", default=[])
    if not specs:
        return "<none>"
    current = dig(obj, "status", "currentMetrics", default=[])
    parts = []
    for i, metric in enumerate(specs):
        have = current[i].get("resource") if i < len(current) else None
        if metric.get("type") == "Resource":
            parts.append(_resource_metric(metric.get("resource") or {}, have))
        else:
            parts.append("<unknown>")
    if len(parts) > 2:
        return ", ".join(parts[:2]) + f" + {len(parts) - 2} more..."
    return ", ".join(parts)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    ref = dig(obj, "spec", "scaleTargetRef", default={})
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", format_metrics(obj),
            dig(obj, "spec", "minReplicas", default=1), dig(obj, "spec", "maxReplicas", default=0),
            dig(obj, "status", "currentReplicas", default=0), age(obj, now)]


register("autoscaling", "horizontalpodautoscalers", COLUMNS, _row)
