"""NodeName: a pod that names a node fits only that node.

Upstream: ``pkg/scheduler/framework/plugins/nodename/node_name.go``.
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.interface import CycleState, FilterPlugin, Reject
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import Status, unresolvable
from engine.scheduler.queue import events as ev

ERR_REASON = "node(s) didn't match the requested node name"


class NodeName(FilterPlugin):
    name = names.NODE_NAME

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if not pod.node_name or pod.node_name == node.name:
            return None
        return unresolvable(ERR_REASON)

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        if not pod.node_name:
            return nodes
        return super().filter_nodes(state, pod, nodes, reject)

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD), _named_node_added)]


def _named_node_added(pod: PodInfo, old: Any, new: Any) -> bool:
    name = ((new or {}).get("metadata") or {}).get("name")
    return not pod.node_name or pod.node_name == name
