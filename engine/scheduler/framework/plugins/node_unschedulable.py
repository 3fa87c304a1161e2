"""NodeUnschedulable: ``spec.unschedulable`` nodes take only pods tolerating
the ``node.kubernetes.io/unschedulable:NoSchedule`` taint.

Upstream: ``pkg/scheduler/framework/plugins/nodeunschedulable/
node_unschedulable.go``.
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.helpers import pod_tolerations, tolerations_tolerate
from engine.scheduler.framework.interface import CycleState, FilterPlugin, Reject
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import Status, unresolvable
from engine.scheduler.queue import events as ev

ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
ERR_REASON_UNKNOWN_CONDITION = "node(s) had unknown conditions"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(FilterPlugin):
    name = names.NODE_UNSCHEDULABLE

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if node.node is None:
            return unresolvable(ERR_REASON_UNKNOWN_CONDITION)
        if not node.unschedulable:
            return None
        if tolerations_tolerate(pod_tolerations(pod.pod), UNSCHEDULABLE_TAINT):
            return None
        return unresolvable(ERR_REASON_UNSCHEDULABLE)

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        if not self.handle.cache.unschedulable:
            return nodes
        return super().filter_nodes(state, pod, nodes, reject)

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD | ev.UPDATE_NODE_TAINT),
                                        _schedulable_after_node_change),
                ev.ClusterEventWithHint(ev.ClusterEvent(ev.POD, ev.UPDATE_POD_TOLERATIONS),
                                        _own_toleration_change)]


def _schedulable_after_node_change(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:
        return ev.QUEUE_SKIP
    if not (new.get("spec") or {}).get("unschedulable"):
        return old is None or bool((old.get("spec") or {}).get("unschedulable"))
    return tolerations_tolerate(pod_tolerations(pod.pod), UNSCHEDULABLE_TAINT)


def _own_toleration_change(pod: PodInfo, old: Any, new: Any) -> bool:
    return new is not None and (new.get("metadata") or {}).get("uid") == pod.uid
