"""HorizontalPodAutoscalers: Name, Reference, Targets, MinPods, MaxPods,
Replicas, Age; upstream ``printHorizontalPodAutoscaler`` and ``formatHPAMetrics``
(kubernetes pkg/printers/internalversion/printers.go)."""

from __future__ import annotations

from typing import Any

from engine.api.validation.quantity import QuantityError, canonical, parse_quantity_value
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


def _qty(value: Any) -> str:
    """``Quantity.String()``: the canonical form kubectl prints."""
    if value is None:
        return "0"
    try:
        return canonical(parse_quantity_value(value))
    except (QuantityError, ValueError, OverflowError):
        return str(value)


def _value_pair(target: dict[str, Any], status: dict[str, Any] | None) -> str:
    """Object and External sources: ``current/target``, with `` (avg)`` when the
    target is an AverageValue."""
    have = (status or {}).get("current") or {}
    if target.get("averageValue") is not None:
        now = have.get("averageValue")
        shown = "<unknown>" if status is None or now is None else _qty(now)
        return f"{shown}/{_qty(target['averageValue'])} (avg)"
    shown = "<unknown>" if status is None else _qty(have.get("value"))
    return f"{shown}/{_qty(target.get('value'))}"


def _resource_pair(spec: dict[str, Any], status: dict[str, Any] | None) -> str:
    """Resource and ContainerResource sources: ``name: current/target``."""
    target = spec.get("target") or {}
    have = (status or {}).get("current") or {}
    name_ = spec.get("name", "")
    if target.get("averageValue") is not None:
        shown = "<unknown>" if status is None else _qty(have.get("averageValue"))
        return f"{name_}: {shown}/{_qty(target['averageValue'])}"
    now = have.get("averageUtilization")
    shown = "<unknown>" if status is None or now is None else f"{now}%"
    goal = target.get("averageUtilization")
    return f"{name_}: {shown}/{'<auto>' if goal is None else f'{goal}%'}"


# The status field holding each source type's current value.
_SOURCE_KEYS = {"Resource": "resource", "ContainerResource": "containerResource",
                "Pods": "pods", "Object": "object", "External": "external"}


def _one_metric(metric: dict[str, Any], status: dict[str, Any] | None) -> str:
    kind = metric.get("type")
    key = _SOURCE_KEYS.get(kind or "")
    if key is None:
        return "<unknown type>"
    spec = metric.get(key) or {}
    have = (status or {}).get(key)
    if kind in ("Resource", "ContainerResource"):
        return _resource_pair(spec, have)
    target = spec.get("target") or {}
    if kind == "Pods":
        now = ((have or {}).get("current") or {}).get("averageValue")
        shown = "<unknown>" if have is None else _qty(now)
        return f"{shown}/{_qty(target.get('averageValue'))}"
    return _value_pair(target, have)


def format_metrics(obj: dict[str, Any]) -> str:
    """Upstream ``formatHPAMetrics``: one ``current/target`` per metric (the status
    entry at the same index), at most two, then ``+ N more...``."""
    specs = dig(obj, "spec", "metrics", default=[])
    if not specs:
        return "<none>"
    current = dig(obj, "status", "currentMetrics", default=[]) or []
    parts = [_one_metric(metric, current[i] if i < len(current) else None)
             for i, metric in enumerate(specs)]
    if len(parts) > 2:
        return ", ".join(parts[:2]) + f" + {len(parts) - 2} more..."
    return ", ".join(parts)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    ref = dig(obj, "spec", "scaleTargetRef", default={})
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", format_metrics(obj),
            dig(obj, "spec", "minReplicas", default=1), dig(obj, "spec", "maxReplicas", default=0),
            dig(obj, "status", "currentReplicas", default=0), age(obj, now)]


register("autoscaling", "horizontalpodautoscalers", COLUMNS, _row)
