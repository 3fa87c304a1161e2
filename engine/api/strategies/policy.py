"""PodDisruptionBudgets (upstream ``pkg/registry/policy/poddisruptionbudget/strategy.go``):
generation 1, and a zero status that serialises its four counters."""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy
from engine.api.strategies.workloads import SpecOnlyStatusStrategy

Obj = dict[str, Any]


class PodDisruptionBudgetStrategy(Strategy):
    """``podDisruptionBudgetStrategy``."""

    zero_status = {
        "disruptionsAllowed": 0,
        "currentHealthy": 0,
        "desiredHealthy": 0,
        "expectedPods": 0,
    }
    status_class = SpecOnlyStatusStrategy


STRATEGIES = {("policy", "poddisruptionbudgets"): PodDisruptionBudgetStrategy}
