"""Nodes (upstream ``pkg/registry/core/node/strategy.go``).

Unlike most kinds, a node keeps the status it is created with: the kubelet
registers its node with capacity, addresses and conditions in one request.
Later main-resource updates keep the stored status; the kubelet reports
through ``/status``. Nodes have no generation.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults.core import default_node_status
from engine.api.strategies.base import StatusStrategy, Strategy

Obj = dict[str, Any]


class NodeStrategy(Strategy):
    """``nodeStrategy``."""

    def initial_status(self, obj: Obj) -> Obj | None:
        status = obj.get("status")
        return status if isinstance(status, dict) else None

    def default_status(self, obj: Obj) -> None:
        default_node_status(obj)


class NodeStatusStrategy(StatusStrategy):
    """``nodeStatusStrategy``: the spec is the stored one."""

    kept_metadata = ()


NodeStrategy.status_class = NodeStatusStrategy

STRATEGIES = {("", "nodes"): NodeStrategy}
