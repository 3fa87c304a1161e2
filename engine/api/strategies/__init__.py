"""Per-resource strategies (upstream ``pkg/registry/<group>/<resource>/strategy.go``).

``strategy_for`` returns the resource's own strategy where one is registered
in :data:`STRATEGIES`, else the generic :class:`Strategy`.
"""

from __future__ import annotations

import functools

from engine.api.resources import ResourceInfo
from engine.api.strategies.base import StatusStrategy, Strategy

# (group, plural) -> Strategy subclass; filled by the per-kind modules.
STRATEGIES: dict[tuple[str, str], type[Strategy]] = {}


@functools.cache
def strategy_for(info: ResourceInfo) -> Strategy:
    cls = STRATEGIES.get((info.group, info.plural), Strategy)
    return cls(info)


@functools.cache
def status_strategy_for(info: ResourceInfo) -> StatusStrategy:
    return StatusStrategy(strategy_for(info))
