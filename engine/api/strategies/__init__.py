"""Per-resource strategies (upstream ``pkg/registry/<group>/<resource>/strategy.go``).

``strategy_for`` returns the resource's own strategy where one is registered
in :data:`STRATEGIES`, else the generic :class:`Strategy` (which still
defaults, validates and tracks generation per :data:`GENERATION_RESOURCES`).
``status_strategy_for`` returns the strategy for ``/status`` writes.
"""

from __future__ import annotations

import functools

from engine.api.resources import ResourceInfo
from engine.api.strategies.base import GENERATION_RESOURCES, StatusStrategy, Strategy

# (group, plural) -> Strategy subclass; filled from the per-kind modules below.
STRATEGIES: dict[tuple[str, str], type[Strategy]] = {}


def _register() -> None:
    from engine.api.strategies import (
        autoscaling,
        config,
        discovery,
        jobs,
        namespaces,
        networking,
        nodes,
        pods,
        policy,
        quota,
        services,
        volumes,
        workloads,
    )

    for module in (
        pods,
        namespaces,
        nodes,
        services,
        volumes,
        config,
        quota,
        workloads,
        jobs,
        autoscaling,
        networking,
        discovery,
        policy,
    ):
        STRATEGIES.update(module.STRATEGIES)


_register()


@functools.cache
def strategy_for(info: ResourceInfo) -> Strategy:
    cls = STRATEGIES.get((info.group, info.plural), Strategy)
    return cls(info)


@functools.cache
def status_strategy_for(info: ResourceInfo) -> StatusStrategy:
    main = strategy_for(info)
    return main.status_class(main)


__all__ = [
    "GENERATION_RESOURCES",
    "STRATEGIES",
    "StatusStrategy",
    "Strategy",
    "status_strategy_for",
    "strategy_for",
]


def subresource_strategy(info: ResourceInfo, subresource: str):  # noqa: ANN201
    """The strategy for a write to ``subresource`` ("" = the main resource)."""
    if subresource == "status":
        return status_strategy_for(info)
    if subresource == "finalize" and info.plural == "namespaces" and not info.group:
        from engine.api.strategies.namespaces import NamespaceFinalizeStrategy

        return NamespaceFinalizeStrategy(strategy_for(info))
    return strategy_for(info)
