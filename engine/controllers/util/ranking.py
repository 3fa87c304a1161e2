"""Which pods a scale-down deletes first.

Upstream: ``pkg/controller/controller_utils.go`` (``ActivePodsWithRanks.Less``,
``logarithmicRankDiff``, ``compareMaxContainerRestarts``) and
``pkg/controller/replicaset/replica_set.go`` (``getPodsToDelete``,
``getPodsRankedByRelatedPodsOnSameNode``). The first rule that tells two pods
apart decides; the pod that sorts first is deleted first:

1. unassigned before assigned;
2. Pending before Unknown before Running;
3. not ready before ready;
4. lower ``controller.kubernetes.io/pod-deletion-cost`` first;
5. more active related pods on the same node first (doubled-up);
6. both ready: more recently ready first, compared in log2 buckets of age
   (LogarithmicScaleDown, on since v1.22), equal buckets by uid;
7. more container restarts first (regular, then restartable init);
8. newer creationTimestamp first.

Python's sort is stable where Go's is not, so pods equal under every rule
may come out in another order than upstream's.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from engine.controllers.util.pods import is_pod_active, is_pod_ready, pod_ready_time
from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]

DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_cost(pod: Obj) -> int:
    """``GetDeletionCostFromPodAnnotations`` (invalid values count as 0)."""
    value = (pod["metadata"].get("annotations") or {}).get(DELETION_COST)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def max_container_restarts(pod: Obj) -> tuple[int, int]:
    """(regular containers' max restarts, restartable init containers' max)."""
    status = pod.get("status") or {}
    regular = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()),
                  default=0)
    sidecars = {c["name"] for c in (pod.get("spec") or {}).get("initContainers") or ()
                if c.get("restartPolicy") == "Always"}
    side = max((c.get("restartCount", 0) for c in status.get("initContainerStatuses") or ()
                if c.get("name") in sidecars), default=0)
    return regular, side


def _log_rank(stamp: float, now: float) -> int:
    age_ns = (now - stamp) * 1e9
    return int(math.log2(age_ns)) if age_ns > 0 else -1


def _newer_first(a: float | None, b: float | None) -> int:
    """``afterOrZero``: a zero time sorts first, then the later time."""
    if a is None or b is None:
        return -1 if a is None else 1
    return -1 if a > b else 1


class _Ranked:
    __slots__ = ("pod", "rank", "ready", "phase", "node")

    def __init__(self, pod: Obj, rank: int) -> None:
        self.pod = pod
        self.rank = rank
        self.ready = is_pod_ready(pod)
        self.phase = _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), 0)
        self.node = (pod.get("spec") or {}).get("nodeName") or ""


def _compare(i: _Ranked, j: _Ranked, now: float) -> int:  # noqa: PLR0911 - upstream's rules
    if i.node != j.node and (not i.node or not j.node):
        return -1 if not i.node else 1
    if i.phase != j.phase:
        return -1 if i.phase < j.phase else 1
    if i.ready != j.ready:
        return -1 if not i.ready else 1
    ci, cj = deletion_cost(i.pod), deletion_cost(j.pod)
    if ci != cj:
        return -1 if ci < cj else 1
    if i.rank != j.rank:
        return -1 if i.rank > j.rank else 1
    if i.ready and j.ready:
        ri, rj = pod_ready_time(i.pod), pod_ready_time(j.pod)
        if ri != rj:
            if ri is None or rj is None:
                return _newer_first(ri, rj)
            diff = _log_rank(ri, now) - _log_rank(rj, now)
            if diff == 0:
                ui, uj = i.pod["metadata"].get("uid", ""), j.pod["metadata"].get("uid", "")
                return -1 if ui < uj else (1 if ui > uj else 0)
            return -1 if diff < 0 else 1
    restarts_i, restarts_j = max_container_restarts(i.pod), max_container_restarts(j.pod)
    for a, b in zip(restarts_i, restarts_j, strict=True):
        if a != b:
            return -1 if a > b else 1
    ti = parse_time(i.pod["metadata"].get("creationTimestamp"))
    tj = parse_time(j.pod["metadata"].get("creationTimestamp"))
    if ti != tj:
        return _newer_first(ti, tj)
    return 0


def rank_for_deletion(pods: list[Obj], related: list[Obj], now: float) -> list[Obj]:
    """``pods`` sorted so the first ones are the best victims."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    ranked = [_Ranked(p, on_node.get((p.get("spec") or {}).get("nodeName") or "", 0))
              for p in pods]
    ranked.sort(key=functools.cmp_to_key(lambda a, b: _compare(a, b, now)))
    return [r.pod for r in ranked]


def pods_to_delete(pods: list[Obj], related: list[Obj], diff: int, now: float) -> list[Obj]:
    """``getPodsToDelete``: no sorting when every pod goes."""
    if diff < len(pods):
        pods = rank_for_deletion(pods, related, now)
    return pods[:diff]
