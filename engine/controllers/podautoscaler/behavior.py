"""Scaling behaviour: stabilisation windows and rate policies.

Upstream: ``pkg/apis/autoscaling/v2/defaults.go`` (scale up: no window,
policies 100 % and 4 pods per 15 s, select Max; scale down: 300 s window,
100 % per 15 s) and ``pkg/controller/podautoscaler/horizontal.go``
(``stabilizeRecommendationWithBehaviors``,
``convertDesiredReplicasWithBehaviorRate``,
``calculateScaleUpLimitWithScalingRules``,
``calculateScaleDownLimitWithBehaviors``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

DEFAULT_UP = {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
              "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                           {"type": "Percent", "value": 100, "periodSeconds": 15}]}
DEFAULT_DOWN = {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
                "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}


@dataclass
class Recommendation:
    replicas: int
    at: float


@dataclass
class ScaleEvent:
    change: int
    at: float


def rules(hpa: Obj, direction: str) -> Obj:
    """The HPA's ``behavior.scaleUp``/``scaleDown`` over the defaults."""
    default = DEFAULT_UP if direction == "scaleUp" else DEFAULT_DOWN
    given = (((hpa.get("spec") or {}).get("behavior") or {}).get(direction)) or {}
    out = {**default, **{k: v for k, v in given.items() if v is not None}}
    if out.get("stabilizationWindowSeconds") is None:
        out["stabilizationWindowSeconds"] = default["stabilizationWindowSeconds"]
    return out


def stabilize(recs: list[Recommendation], current: int, desired: int, now: float,
              up_window: float, down_window: float) -> tuple[int, str, str]:
    """The stabilised recommendation and its AbleToScale (reason, message)."""
    up, down = desired, desired
    for rec in recs:
        if rec.at > now - up_window:
            up = min(up, rec.replicas)
        if rec.at > now - down_window:
            down = max(down, rec.replicas)
    result = current
    if result < up:
        result = up
    if result > down:
        result = down
    recs.append(Recommendation(desired, now))
    horizon = now - max(up_window, down_window)
    recs[:] = [r for r in recs if r.at > horizon or r is recs[-1]]
    if result == desired:
        return result, "ReadyForNewScale", "recommended size matches current size"
    if result < desired:
        return result, "ScaleUpStabilized", ("recent recommendations were lower than current "
                                             "one, applying the lowest recent recommendation")
    return result, "ScaleDownStabilized", ("recent recommendations were higher than current "
                                           "one, applying the highest recent recommendation")


def _changes(events: list[ScaleEvent], period: float, now: float) -> int:
    return sum(e.change for e in events if e.at > now - period)


def scale_up_limit(current: int, ups: list[ScaleEvent], downs: list[ScaleEvent], rule: Obj,
                   now: float) -> int:
    select = rule.get("selectPolicy") or "Max"
    if select == "Disabled":
        return current
    result = -1 if select == "Max" else 2**31 - 1
    for policy in rule.get("policies") or ():
        period = float(policy.get("periodSeconds", 15))
        start = current - _changes(ups, period, now) + _changes(downs, period, now)
        if policy.get("type") == "Pods":
            proposed = start + int(policy.get("value", 0))
        else:
            proposed = math.ceil(start * (1 + float(policy.get("value", 0)) / 100))
        result = max(result, proposed) if select == "Max" else min(result, proposed)
    return result


def scale_down_limit(current: int, ups: list[ScaleEvent], downs: list[ScaleEvent], rule: Obj,
                     now: float) -> int:
    select = rule.get("selectPolicy") or "Max"
    if select == "Disabled":
        return current
    result = 2**31 - 1 if select == "Max" else -(2**31)
    for policy in rule.get("policies") or ():
        period = float(policy.get("periodSeconds", 15))
        start = current - _changes(ups, period, now) + _changes(downs, period, now)
        if policy.get("type") == "Pods":
            proposed = start - int(policy.get("value", 0))
        else:
            proposed = int(start * (1 - float(policy.get("value", 0)) / 100))
        result = min(result, proposed) if select == "Max" else max(result, proposed)
    return result


def limit_rate(desired: int, current: int, min_replicas: int, max_replicas: int,
               ups: list[ScaleEvent], downs: list[ScaleEvent], hpa: Obj,
               now: float) -> tuple[int, bool, str, str]:
    """``convertDesiredReplicasWithBehaviorRate``: (replicas, limited, reason, message)."""
    if desired > current:
        limit = max(scale_up_limit(current, ups, downs, rules(hpa, "scaleUp"), now), current)
        if max_replicas > limit:
            reason, message = ("ScaleUpLimit", "the desired replica count is increasing faster "
                               "than the maximum scale rate")
        else:
            limit = max_replicas
            reason, message = ("TooManyReplicas",
                               "the desired replica count is more than the maximum replica count")
        if desired > limit:
            return limit, True, reason, message
    elif desired < current:
        limit = min(scale_down_limit(current, ups, downs, rules(hpa, "scaleDown"), now), current)
        if min_replicas < limit:
            reason, message = ("ScaleDownLimit", "the desired replica count is decreasing "
                               "faster than the maximum scale rate")
        else:
            limit = min_replicas
            reason, message = ("TooFewReplicas",
                               "the desired replica count is less than the minimum replica count")
        if desired < limit:
            return limit, True, reason, message
    return desired, False, "DesiredWithinRange", "the desired count is within the acceptable range"
