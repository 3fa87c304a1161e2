"""The default scheduler configuration.

Upstream: ``pkg/scheduler/apis/config/v1/default_plugins.go`` (the plugin
set, in order, and the score weights) and ``defaults.go`` /
``pkg/scheduler/schedule_one.go`` (``percentageOfNodesToScore`` 0 = adaptive,
``minFeasibleNodesToFind`` 100, ``minFeasibleNodesPercentageToFind`` 5,
backoff 1 s to 10 s, ``podMaxInUnschedulablePodsDuration`` 5 min).
"""

from __future__ import annotations

from engine.scheduler.framework.plugins import names

SCHEDULER_NAME = "default-scheduler"

# Score weights (default_plugins.go).
SCORE_WEIGHTS = {
    names.TAINT_TOLERATION: 3,
    names.NODE_AFFINITY: 2,
    names.NODE_RESOURCES_FIT: 1,
    names.POD_TOPOLOGY_SPREAD: 2,
    names.INTER_POD_AFFINITY: 2,
    names.NODE_RESOURCES_BALANCED_ALLOCATION: 1,
    names.IMAGE_LOCALITY: 1,
}

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 0  # adaptive
NUMBER_OF_HIGHEST_SCORED_NODES_TO_REPORT = 3


def adaptive_percentage(num_all_nodes: int) -> int:
    """The share of nodes to score when percentageOfNodesToScore is unset:
    50% minus 1% per 125 nodes, at least 5%."""
    return max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """``numFeasibleNodesToFind``: every node below 100; else the percentage
    (adaptive when 0) of the nodes, never fewer than 100."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND or percentage >= 100:
        return num_all_nodes
    if percentage == 0:
        percentage = adaptive_percentage(num_all_nodes)
    num_nodes = num_all_nodes * percentage // 100
    if num_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return MIN_FEASIBLE_NODES_TO_FIND
    return num_nodes


def default_plugins(handle: object) -> list:
    """The default plugins in upstream's order (later ones run later at each point)."""
    from engine.scheduler.framework.plugins.balanced_allocation import BalancedAllocation
    from engine.scheduler.framework.plugins.default_binder import DefaultBinder
    from engine.scheduler.framework.plugins.default_preemption import DefaultPreemption
    from engine.scheduler.framework.plugins.image_locality import ImageLocality
    from engine.scheduler.framework.plugins.inter_pod_affinity import InterPodAffinity
    from engine.scheduler.framework.plugins.node_affinity import NodeAffinity
    from engine.scheduler.framework.plugins.node_name import NodeName
    from engine.scheduler.framework.plugins.node_ports import NodePorts
    from engine.scheduler.framework.plugins.node_resources_fit import NodeResourcesFit
    from engine.scheduler.framework.plugins.node_unschedulable import NodeUnschedulable
    from engine.scheduler.framework.plugins.pod_topology_spread import PodTopologySpread
    from engine.scheduler.framework.plugins.scheduling_gates import SchedulingGates
    from engine.scheduler.framework.plugins.taint_toleration import TaintToleration
    from engine.scheduler.framework.plugins.volume_binding import VolumeBinding

    order = [SchedulingGates, NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
             NodePorts, NodeResourcesFit, VolumeBinding, PodTopologySpread, InterPodAffinity,
             DefaultPreemption, BalancedAllocation, ImageLocality, DefaultBinder]
    return [cls(handle) for cls in order]
