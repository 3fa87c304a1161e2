"""NodeResourcesFit: the pod's requests must fit the node's free allocatable;
LeastAllocated scoring.

Upstream: ``pkg/scheduler/framework/plugins/noderesources/fit.go``
(PreFilter computes the requests once; Filter ``fitsRequest``: "Too many
pods", "Insufficient <resource>", UnschedulableAndUnresolvable when the
request exceeds the node's allocatable altogether) and
``least_allocated.go`` / ``resource_allocation.go`` (score per resource
``(allocatable - requested) * 100 / allocatable`` on the non-zero requests,
cpu and memory weighted 1 each, integer arithmetic).
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.interface import (
    CycleState,
    FilterPlugin,
    PreFilterPlugin,
    PreScorePlugin,
    Reject,
    ScorePlugin,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.resources import pod_resource
from engine.scheduler.framework.types import MAX_NODE_SCORE, Code, Status
from engine.scheduler.queue import events as ev

STATE_KEY = "PreFilter" + names.NODE_RESOURCES_FIT
NEVER = -(1 << 62)  # a request of 0 never fails, even on an overcommitted node


class FitState:
    """What PreFilter computed: the requests, and comparison bounds."""

    __slots__ = ("cpu", "mem", "eph", "scalar", "cpu_cmp", "mem_cmp", "eph_cmp", "zero")

    def __init__(self, pod: PodInfo) -> None:
        r = pod.requests
        self.cpu, self.mem, self.eph = r.milli_cpu, r.memory, r.ephemeral_storage
        self.scalar = {k: v for k, v in r.scalar.items() if v}
        self.cpu_cmp = self.cpu if self.cpu > 0 else NEVER
        self.mem_cmp = self.mem if self.mem > 0 else NEVER
        self.eph_cmp = self.eph if self.eph > 0 else NEVER
        self.zero = not (self.cpu or self.mem or self.eph or self.scalar)


def insufficient_resources(s: FitState, node: NodeInfo) -> list[tuple[str, bool]]:
    """``fitsRequest``: (reason, unresolvable) for each resource that does not fit."""
    out = []
    if len(node.pods) + 1 > node.alloc_pods:
        out.append(("Too many pods", False))
    if s.zero:
        return out
    if s.cpu > 0 and s.cpu > node.free_cpu:
        out.append(("Insufficient cpu", s.cpu > node.alloc_cpu))
    if s.mem > 0 and s.mem > node.free_mem:
        out.append(("Insufficient memory", s.mem > node.alloc_mem))
    if s.eph > 0 and s.eph > node.free_eph:
        out.append(("Insufficient ephemeral-storage", s.eph > node.alloc_eph))
    for name, want in s.scalar.items():
        alloc = node.alloc_scalar.get(name, 0)
        if want > alloc - node.req_scalar.get(name, 0):
            out.append((f"Insufficient {name}", want > alloc))
    return out


def fit_status(s: FitState, node: NodeInfo) -> Status | None:
    found = insufficient_resources(s, node)
    if not found:
        return None
    code = Code.UNSCHEDULABLE_AND_UNRESOLVABLE if any(u for _, u in found) else \
        Code.UNSCHEDULABLE
    return Status(code, *(reason for reason, _ in found))


class NodeResourcesFit(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = names.NODE_RESOURCES_FIT

    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        state.write(STATE_KEY, FitState(pod))
        return None, None

    def _state(self, state: CycleState, pod: PodInfo) -> FitState:
        s = state.read(STATE_KEY)
        return s if s is not None else FitState(pod)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return fit_status(self._state(state, pod), node)

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        s = self._state(state, pod)
        if s.scalar:
            return super().filter_nodes(state, pod, nodes, reject)
        c, m, e = s.cpu_cmp, s.mem_cmp, s.eph_cmp
        if self._all_fit(c, m, e):
            return nodes
        passed = [n for n in nodes if n.free_pods > 0 and c <= n.free_cpu
                  and m <= n.free_mem and e <= n.free_eph]
        if len(passed) != len(nodes):
            ok = set(map(id, passed))
            for n in nodes:
                if id(n) not in ok:
                    reject(n, fit_status(s, n))  # type: ignore[arg-type]
        return passed

    def _all_fit(self, c: int, m: int, e: int) -> bool:
        """Whether the requests fit on every node of the cache: they fit within
        the cache's lower bound of each free resource (the filter's chunks are
        always the cache's nodes). Same answer as the per-node comparison."""
        cache = self.handle.cache
        for fresh in (False, True):
            floor = cache.free_floor(fresh)
            if floor is None:
                return False
            if floor[0] > 0 and c <= floor[1] and m <= floor[2] and e <= floor[3]:
                return True
        return False

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        return None

    def score_key(self, state: CycleState, pod: PodInfo) -> tuple:
        return pod.nz_cpu, pod.nz_mem

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        return least_allocated(node.alloc_cpu, node.nz_cpu + pod.nz_cpu,
                               node.alloc_mem, node.nz_mem + pod.nz_mem)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        pc, pm = pod.nz_cpu, pod.nz_mem
        if all(n.alloc_cpu > 0 and n.alloc_mem > 0 for n in nodes):
            # Both resources count: the mean of the two integer scores.
            return [(((n.alloc_cpu - n.nz_cpu - pc) * 100 // n.alloc_cpu
                      if n.nz_cpu + pc <= n.alloc_cpu else 0)
                     + ((n.alloc_mem - n.nz_mem - pm) * 100 // n.alloc_mem
                        if n.nz_mem + pm <= n.alloc_mem else 0)) // 2
                    for n in nodes]
        return [least_allocated(n.alloc_cpu, n.nz_cpu + pc, n.alloc_mem, n.nz_mem + pm)
                for n in nodes]

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [
            ev.ClusterEventWithHint(ev.ClusterEvent(ev.POD, ev.DELETE | ev.UPDATE_POD_SCALE_DOWN),
                                    _schedulable_after_pod_event),
            ev.ClusterEventWithHint(ev.ClusterEvent(
                ev.NODE, ev.ADD | ev.UPDATE_NODE_ALLOCATABLE | ev.UPDATE_NODE_TAINT
                | ev.UPDATE_NODE_LABEL), _schedulable_after_node_change),
        ]


def least_requested_score(requested: int, capacity: int) -> int:
    """``leastRequestedScore``."""
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def least_allocated(alloc_cpu: int, req_cpu: int, alloc_mem: int, req_mem: int) -> int:
    """``leastResourceScorer`` over cpu and memory (weight 1 each; a resource the
    node has none of is left out)."""
    total = weights = 0
    for alloc, req in ((alloc_cpu, req_cpu), (alloc_mem, req_mem)):
        if alloc == 0:
            continue
        total += least_requested_score(req, alloc)
        weights += 1
    return total // weights if weights else 0


def _schedulable_after_pod_event(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:  # deleted: frees what it used when it was on a node
        return bool(old and (old.get("spec") or {}).get("nodeName"))
    return bool((new.get("spec") or {}).get("nodeName"))


def _schedulable_after_node_change(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:
        return ev.QUEUE_SKIP
    empty = NodeInfo(new)
    if fit_status(FitState(pod), empty) is not None:
        return ev.QUEUE_SKIP
    if old is None:
        return ev.QUEUE
    before = NodeInfo(old)
    s = FitState(pod)
    grew = any(empty.allocatable(r) > before.allocatable(r)
               for r in ("cpu", "memory", "ephemeral-storage", "pods", *s.scalar))
    changed = ((new.get("metadata") or {}).get("labels") != (old.get("metadata") or {})
               .get("labels")) or ((new.get("spec") or {}).get("taints")
                                   != (old.get("spec") or {}).get("taints"))
    return grew or changed


__all__ = ["NodeResourcesFit", "pod_resource"]
