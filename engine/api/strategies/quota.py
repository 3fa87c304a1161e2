"""ResourceQuotas (upstream ``pkg/registry/core/resourcequota/strategy.go``):
the status (hard and used, the quota controller's) starts empty and main
writes cannot change it; no generation."""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy
from engine.api.strategies.workloads import SpecOnlyStatusStrategy

Obj = dict[str, Any]


class ResourceQuotaStrategy(Strategy):
    """``resourcequotaStrategy``."""

    zero_status: Obj = {}
    status_class = SpecOnlyStatusStrategy


STRATEGIES = {("", "resourcequotas"): ResourceQuotaStrategy}
