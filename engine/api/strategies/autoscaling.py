"""HorizontalPodAutoscalers (upstream
``pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go``): the status
starts over on create (``desiredReplicas`` always serialises); no generation."""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy
from engine.api.strategies.workloads import SpecOnlyStatusStrategy

Obj = dict[str, Any]


class HorizontalPodAutoscalerStrategy(Strategy):
    """``autoscalerStrategy``."""

    zero_status = {"desiredReplicas": 0}
    status_class = SpecOnlyStatusStrategy


STRATEGIES = {("autoscaling", "horizontalpodautoscalers"): HorizontalPodAutoscalerStrategy}
