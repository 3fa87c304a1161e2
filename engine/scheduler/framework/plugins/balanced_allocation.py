"""NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be
used in equal proportion.

Upstream: ``pkg/scheduler/framework/plugins/noderesources/
balanced_allocation.go`` (``balancedResourceScorer``: fractions of
requested/allocatable including the pod, capped at 1; with two resources the
std deviation is ``|f1 - f2| / 2``; score ``(1 - std) * 100``; uses the real
requests, not the non-zero defaults).
"""

from __future__ import annotations

import math

from engine.scheduler.framework.interface import CycleState, PreScorePlugin, ScorePlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import MAX_NODE_SCORE, Status


def balanced_score(fractions: list[float]) -> int:
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) * (f - mean) for f in fractions) / len(fractions))
    else:
        std = 0.0
    return int((1 - std) * MAX_NODE_SCORE)


class BalancedAllocation(PreScorePlugin, ScorePlugin):
    name = names.NODE_RESOURCES_BALANCED_ALLOCATION

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        return None

    def score_key(self, state: CycleState, pod: PodInfo) -> tuple:
        return pod.requests.milli_cpu, pod.requests.memory

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        r = pod.requests
        fractions = []
        for alloc, req in ((node.alloc_cpu, node.req_cpu + r.milli_cpu),
                           (node.alloc_mem, node.req_mem + r.memory)):
            if alloc:
                fractions.append(min(1.0, req / alloc))
        return balanced_score(fractions)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        pc, pm = pod.requests.milli_cpu, pod.requests.memory
        if all(n.alloc_cpu > 0 and n.alloc_mem > 0 for n in nodes):
            return [int((1 - abs((min(1.0, (n.req_cpu + pc) / n.alloc_cpu)
                                  - min(1.0, (n.req_mem + pm) / n.alloc_mem)) / 2)) * 100)
                    for n in nodes]
        score = self.score
        return [score(state, pod, n) for n in nodes]
