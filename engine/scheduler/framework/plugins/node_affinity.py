"""NodeAffinity: nodeSelector and required node affinity filter; preferred
terms score.

Upstream: ``pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go``:
PreFilter (Skip without nodeSelector or required affinity; node names from
``metadata.name In`` fields), Filter (``GetRequiredNodeAffinity().Match``),
PreScore (Skip without preferred terms), Score (sum of the weights of the
matching preferred terms), NormalizeScore (``DefaultNormalizeScore``).
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.helpers import RequiredNodeAffinity
from engine.scheduler.framework.interface import (
    CycleState,
    FilterPlugin,
    PreFilterPlugin,
    PreScorePlugin,
    Reject,
    ScorePlugin,
    default_normalize_score,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.selectors import NodeSelectorTerm
from engine.scheduler.framework.types import (
    MAX_NODE_SCORE,
    SKIP,
    Status,
    unresolvable,
)
from engine.scheduler.queue import events as ev

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_CONFLICT = "pod affinity terms conflict"
STATE_KEY = "PreFilter" + names.NODE_AFFINITY
PRE_SCORE_KEY = "PreScore" + names.NODE_AFFINITY


def _node_affinity(pod: PodInfo) -> dict:
    return ((pod.pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}


class NodeAffinity(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = names.NODE_AFFINITY
    has_normalize = True

    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        required = _node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution")
        spec = pod.pod.get("spec") or {}
        if required is None and spec.get("nodeSelector") is None:
            return None, SKIP
        state.write(STATE_KEY, RequiredNodeAffinity(pod.pod))
        terms = (required or {}).get("nodeSelectorTerms") or []
        if not terms:
            return None, None
        node_names: set[str] | None = None
        for raw in terms:
            term_names = NodeSelectorTerm(raw).node_names()
            if term_names is None:
                return None, None  # this term allows every node; terms are ORed
            node_names = term_names if node_names is None else node_names | term_names
        if node_names is not None and not node_names:
            return None, unresolvable(ERR_REASON_CONFLICT)
        return node_names, None

    def _required(self, state: CycleState, pod: PodInfo) -> RequiredNodeAffinity:
        req = state.read(STATE_KEY)
        return req if req is not None else RequiredNodeAffinity(pod.pod)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if self._required(state, pod).matches(node.labels, node.name):
            return None
        return unresolvable(ERR_REASON_POD)

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        required = self._required(state, pod)
        matches, key = required.matches, required.key_id
        failed = unresolvable(ERR_REASON_POD)
        passed = []
        for node in nodes:
            # The answer depends on the node's labels only: remember it per labels_gen.
            entry = node.label_memo.get(key)
            if entry is not None and entry[0] == node.labels_gen:
                ok = entry[1]
            else:
                ok = matches(node.labels, node.name)
                if len(node.label_memo) > 64:
                    node.label_memo.clear()
                node.label_memo[key] = (node.labels_gen, ok)
            if ok:
                passed.append(node)
            else:
                reject(node, failed)
        return passed

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        preferred = _node_affinity(pod).get("preferredDuringSchedulingIgnoredDuringExecution")
        if preferred is None:
            return SKIP
        terms = []
        for t in preferred:
            weight = int(t.get("weight") or 0)
            term = NodeSelectorTerm(t.get("preference") or {})
            if weight and term.valid:
                terms.append((weight, term))
        state.write(PRE_SCORE_KEY, terms)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        terms = state.read(PRE_SCORE_KEY) or []
        return sum(w for w, term in terms if term.matches(node.labels, node.name))

    def normalize(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(MAX_NODE_SCORE, False, scores)

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD | ev.UPDATE_NODE_LABEL),
                                        _schedulable_after_node_change)]


def _schedulable_after_node_change(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:
        return ev.QUEUE_SKIP
    required = RequiredNodeAffinity(pod.pod)
    if not required.match_node(new):
        return ev.QUEUE_SKIP
    return old is None or not required.match_node(old)
