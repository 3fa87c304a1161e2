"""TaintToleration: NoSchedule/NoExecute taints keep pods off unless tolerated;
PreferNoSchedule taints lower the score.

Upstream: ``pkg/scheduler/framework/plugins/tainttoleration/
taint_toleration.go`` (Filter with ``FindMatchingUntoleratedTaint``; Score =
the number of intolerable PreferNoSchedule taints, normalised reversed).
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.helpers import (
    find_untolerated_taint,
    pod_tolerations,
    tolerations_tolerate,
)
from engine.scheduler.framework.interface import (
    CycleState,
    FilterPlugin,
    PreScorePlugin,
    Reject,
    ScorePlugin,
    default_normalize_score,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import MAX_NODE_SCORE, Status, unresolvable
from engine.scheduler.queue import events as ev

PRE_SCORE_KEY = "PreScore" + names.TAINT_TOLERATION


def untolerated_reason(taint: dict) -> str:
    return f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}"


class TaintToleration(FilterPlugin, PreScorePlugin, ScorePlugin):
    name = names.TAINT_TOLERATION
    has_normalize = True

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if not node.hard_taints:
            return None
        taint = find_untolerated_taint(node.hard_taints, pod_tolerations(pod.pod))
        if taint is None:
            return None
        return unresolvable(untolerated_reason(taint))

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        cache = self.handle.cache
        if not cache.hard_tainted:
            return nodes
        positions = self._tainted_positions(nodes)
        if positions is None:
            positions = [i for i, n in enumerate(nodes) if n.hard_taints]
        if not positions:
            return nodes
        tolerations = pod_tolerations(pod.pod)
        rejected = []
        for i in positions:
            node = nodes[i]
            taint = find_untolerated_taint(node.hard_taints, tolerations)
            if taint is not None:
                reject(node, unresolvable(untolerated_reason(taint)))
                rejected.append(i)
        if not rejected:
            return nodes
        out: list[NodeInfo] = []
        prev = 0
        for i in rejected:
            out += nodes[prev:i]
            prev = i + 1
        out += nodes[prev:]
        return out

    def _tainted_positions(self, nodes: list[NodeInfo]) -> list[int] | None:
        """Positions of the nodes with NoSchedule/NoExecute taints in ``nodes``, in
        order, from the cache's few tainted nodes when ``nodes`` is a window of
        the cache's list (a tainted node's place in the window follows from its
        place in the list); None otherwise (or with many tainted nodes)."""
        cache = self.handle.cache
        if len(cache.hard_tainted) > 16:
            return None
        start = cache.window_start(nodes)
        if start is None:
            return None
        total = len(cache.list())
        positions = []
        for name in cache.hard_tainted:
            node = cache.nodes.get(name)
            if node is None:
                continue
            i = (node.index - start) % total
            if i < len(nodes) and nodes[i] is node:
                positions.append(i)
        positions.sort()
        return positions

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        prefer = [t for t in pod_tolerations(pod.pod)
                  if (t.get("effect") or "") in ("", "PreferNoSchedule")]
        state.write(PRE_SCORE_KEY, prefer)
        return None

    def constant_normalized(self, state: CycleState, pod: PodInfo) -> int | None:
        """No node has a PreferNoSchedule taint: every raw score is 0, which the
        reversed normalisation turns into 100 everywhere."""
        return None if self.handle.cache.prefer_tainted else MAX_NODE_SCORE

    def score_key(self, state: CycleState, pod: PodInfo) -> tuple:
        return tuple((t.get("key"), t.get("operator"), t.get("value"), t.get("effect"))
                     for t in state.read(PRE_SCORE_KEY) or ())

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        tolerations = state.read(PRE_SCORE_KEY)
        if tolerations is None:
            tolerations = [t for t in pod_tolerations(pod.pod)
                           if (t.get("effect") or "") in ("", "PreferNoSchedule")]
        return sum(1 for taint in node.prefer_taints
                   if not tolerations_tolerate(tolerations, taint))

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        score = self.score
        return [score(state, pod, n) if n.prefer_taints else 0 for n in nodes]

    def normalize(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(MAX_NODE_SCORE, True, scores)

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD | ev.UPDATE_NODE_TAINT),
                                        _schedulable_after_node_change),
                ev.ClusterEventWithHint(ev.ClusterEvent(ev.POD, ev.UPDATE_POD_TOLERATIONS),
                                        _own_toleration_change)]


def _hard_taints(node: Any) -> list[dict]:
    return [t for t in ((node or {}).get("spec") or {}).get("taints") or ()
            if t.get("effect") in ("NoSchedule", "NoExecute")]


def _schedulable_after_node_change(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:
        return ev.QUEUE_SKIP
    tolerations = pod_tolerations(pod.pod)
    if find_untolerated_taint(_hard_taints(new), tolerations) is not None:
        return ev.QUEUE_SKIP
    return old is None or find_untolerated_taint(_hard_taints(old), tolerations) is not None


def _own_toleration_change(pod: PodInfo, old: Any, new: Any) -> bool:
    return new is not None and (new.get("metadata") or {}).get("uid") == pod.uid
