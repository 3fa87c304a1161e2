"""InterPodAffinity: required pod (anti-)affinity filters; preferred terms score.

Upstream: ``pkg/scheduler/framework/plugins/interpodaffinity/``
(``filtering.go``: PreFilter counts, per topology pair, the existing pods
matching the incoming pod's required affinity terms (all of them) and
anti-affinity terms (each), and the existing pods whose required
anti-affinity terms match the incoming pod; Skip when all are empty; Filter
checks the three, with the "first pod of a self-affine series" exception;
AddPod/RemovePod keep the counts right during preemption;
``scoring.go``: preferred terms of both sides and existing pods' hard
affinity (weight 1) add or subtract per topology pair; min-max normalised).

Counting scans every pod on every node, as upstream does; each node keeps
its counts per term in a memo keyed by its generation, so a node that did
not change since the previous pod is not scanned again.
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
from engine.scheduler.framework.pod_info import AffinityTerm, PodInfo
from engine.scheduler.framework.types import (
    MAX_NODE_SCORE,
    SKIP,
    Status,
    unresolvable,
    unschedulable,
)
from engine.scheduler.queue import events as ev

ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
STATE_KEY = "PreFilter" + names.INTER_POD_AFFINITY
PRE_SCORE_KEY = "PreScore" + names.INTER_POD_AFFINITY
HARD_POD_AFFINITY_WEIGHT = 1

Pair = tuple[str, str]


def _bump(counts: dict[Pair, int], labels: dict[str, str], key: str, value: int) -> None:
    tv = labels.get(key)
    if tv is None:
        return
    pair = (key, tv)
    n = counts.get(pair, 0) + value
    if n:
        counts[pair] = n
    else:
        counts.pop(pair, None)


def matches_all(terms: list[AffinityTerm], pod: PodInfo) -> bool:
    """``podMatchesAllAffinityTerms`` (false for no terms)."""
    if not terms:
        return False
    return all(t.matches(pod.namespace, pod.labels, None) for t in terms)


class AffinityState:
    """``preFilterState``: counts per topology pair, and the resolved terms."""

    __slots__ = ("affinity_terms", "anti_terms", "affinity_counts", "anti_counts",
                 "existing_anti_counts", "ns_labels", "pod")

    def __init__(self, pod: PodInfo, affinity_terms: list[AffinityTerm],
                 anti_terms: list[AffinityTerm], ns_labels: dict[str, str]) -> None:
        self.pod = pod
        self.affinity_terms = affinity_terms
        self.anti_terms = anti_terms
        self.ns_labels = ns_labels
        self.affinity_counts: dict[Pair, int] = {}
        self.anti_counts: dict[Pair, int] = {}
        self.existing_anti_counts: dict[Pair, int] = {}

    def clone(self) -> AffinityState:
        c = AffinityState(self.pod, self.affinity_terms, self.anti_terms, self.ns_labels)
        c.affinity_counts = dict(self.affinity_counts)
        c.anti_counts = dict(self.anti_counts)
        c.existing_anti_counts = dict(self.existing_anti_counts)
        return c

    def update_with_pod(self, other: PodInfo, node: NodeInfo, sign: int) -> None:
        """``updateWithPod``."""
        labels = node.labels
        for t in other.required_anti_affinity:
            if t.matches(self.pod.namespace, self.pod.labels, self.ns_labels):
                _bump(self.existing_anti_counts, labels, t.topology_key, sign)
        if matches_all(self.affinity_terms, other):
            for t in self.affinity_terms:
                _bump(self.affinity_counts, labels, t.topology_key, sign)
        for t in self.anti_terms:
            if t.matches(other.namespace, other.labels, None):
                _bump(self.anti_counts, labels, t.topology_key, sign)


class InterPodAffinity(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = names.INTER_POD_AFFINITY
    has_extensions = True
    has_normalize = True

    # -- helpers ---------------------------------------------------------------------------
    def _ns_labels(self, namespace: str) -> dict[str, str]:
        return self.handle.namespace_labels(namespace)

    def _resolve(self, terms: list[AffinityTerm]) -> list[AffinityTerm]:
        """``mergeAffinityTermNamespacesIfNotEmpty``: a non-empty namespace selector
        becomes the names of the namespaces it selects."""
        out = []
        for t in terms:
            sel = t.ns_selector
            if sel is not None and not sel.empty:
                picked = {n for n, labels in self.handle.namespaces().items()
                          if sel.matches(labels)}
                t = t.with_namespaces(picked)
            out.append(t)
        return out

    # -- PreFilter -------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        cache = self.handle.cache
        if not (pod.required_affinity or pod.required_anti_affinity
                or cache.anti_affinity_nodes):
            return None, SKIP  # nothing to count: every map would be empty
        ns_labels = self._ns_labels(pod.namespace)
        s = AffinityState(pod, self._resolve(pod.required_affinity),
                          self._resolve(pod.required_anti_affinity), ns_labels)
        self._existing_anti_counts(s, cache.have_pods_with_required_anti_affinity())
        if s.affinity_terms or s.anti_terms:
            self._incoming_counts(s, cache.list())
        if not s.existing_anti_counts and not s.affinity_terms and not s.anti_terms:
            return None, SKIP
        state.write(STATE_KEY, s)
        return None, None

    def _existing_anti_counts(self, s: AffinityState, nodes: list[NodeInfo]) -> None:
        """``getExistingAntiAffinityCounts``, from the cache's index of the existing
        pods' required anti-affinity terms."""
        pod, counts = s.pod, s.existing_anti_counts
        for term, pairs in self.handle.cache.affinity.anti_terms():
            if term.matches(pod.namespace, pod.labels, s.ns_labels):
                for pair, n in pairs.items():
                    counts[pair] = counts.get(pair, 0) + n

    def _incoming_counts(self, s: AffinityState, nodes: list[NodeInfo]) -> None:
        """``getIncomingAffinityAntiAffinityCounts``, from the cache's counts."""
        index = self.handle.cache.affinity
        terms = s.affinity_terms
        if terms:
            key = ("ipa-aff", tuple(t.sig for t in terms))
            s.affinity_counts = dict(index.counts(
                key, lambda p: matches_all(terms, p), tuple(t.topology_key for t in terms)))
        for t in s.anti_terms:
            pairs = index.counts(("ipa-anti", t.sig),
                                 lambda p, t=t: t.matches(p.namespace, p.labels, None),
                                 (t.topology_key,))
            if not s.anti_counts:
                s.anti_counts = dict(pairs)
            else:
                for pair, n in pairs.items():
                    s.anti_counts[pair] = s.anti_counts.get(pair, 0) + n

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo,
                node: NodeInfo) -> Status | None:
        s = state.read(STATE_KEY)
        if s is not None:
            s.update_with_pod(added, node, 1)
        return None

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo,
                   node: NodeInfo) -> Status | None:
        s = state.read(STATE_KEY)
        if s is not None:
            s.update_with_pod(removed, node, -1)
        return None

    # -- Filter ----------------------------------------------------------------------------
    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        s: AffinityState | None = state.read(STATE_KEY)
        if s is None:
            return None
        if not _satisfies_affinity(s, node):
            return unresolvable(ERR_REASON_AFFINITY)
        if not _satisfies_anti_affinity(s, node):
            return unschedulable(ERR_REASON_ANTI_AFFINITY)
        if s.existing_anti_counts and any(
                s.existing_anti_counts.get(pair, 0) > 0 for pair in node.labels.items()):
            return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY)
        return None

    def filter_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                     reject: Reject) -> list[NodeInfo]:
        """``filter`` for many nodes: the blocked topology pairs are computed once."""
        s: AffinityState | None = state.read(STATE_KEY)
        if s is None:
            return nodes
        aff_fail = unresolvable(ERR_REASON_AFFINITY)
        anti_fail = unschedulable(ERR_REASON_ANTI_AFFINITY)
        existing_fail = unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY)
        anti = {pair for pair, n in s.anti_counts.items() if n > 0}
        anti_keys = [t.topology_key for t in s.anti_terms] if anti else []
        existing = {pair for pair, n in s.existing_anti_counts.items() if n > 0}
        passed = []
        for node in nodes:
            labels = node.labels
            if s.affinity_terms and not _satisfies_affinity(s, node):
                reject(node, aff_fail)
            elif anti_keys and any((k, labels.get(k)) in anti for k in anti_keys):
                reject(node, anti_fail)
            elif existing and not existing.isdisjoint(labels.items()):
                reject(node, existing_fail)
            else:
                passed.append(node)
        return passed

    # -- Score -----------------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        if not nodes:
            return None
        has_constraints = bool(pod.preferred_affinity or pod.preferred_anti_affinity)
        cache = self.handle.cache
        if not has_constraints and not cache.score_affinity_nodes:
            return SKIP  # no term on either side: no topology score
        candidates = cache.list() if has_constraints else list(
            cache.score_affinity_nodes.values())
        pref = self._resolve(pod.preferred_affinity)
        pref_anti = self._resolve(pod.preferred_anti_affinity)
        ns_labels = self._ns_labels(pod.namespace)
        key = ("ipa-score", pod.namespace, frozenset(pod.labels.items()),
               frozenset(ns_labels.items()), tuple((t.sig, t.weight) for t in pref),
               tuple((t.sig, t.weight) for t in pref_anti))
        topology: dict[str, dict[str, int]] = {}
        for node in candidates:
            if node.node is None or not node.labels:
                continue
            parts = node.memo_get(key)
            if parts is None:
                others = node.pods.values() if has_constraints else \
                    [p for p in node.pods_with_affinity.values() if p.scores_affinity]
                parts = node.memo_set(key, _contributions(
                    pod, pref, pref_anti, ns_labels, others, node.labels))
            for tk, tv, w in parts:
                by_value = topology.setdefault(tk, {})
                by_value[tv] = by_value.get(tv, 0) + w
        if not topology:
            return SKIP
        state.write(PRE_SCORE_KEY, topology)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        topology = state.read(PRE_SCORE_KEY) or {}
        total = 0
        labels = node.labels
        for tk, by_value in topology.items():
            tv = labels.get(tk)
            if tv is not None:
                total += by_value.get(tv, 0)
        return total

    def normalize(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        if not state.read(PRE_SCORE_KEY) or not scores:
            return
        lo, hi = min(scores), max(scores)
        diff = hi - lo
        scores[:] = [int(MAX_NODE_SCORE * ((s - lo) / diff)) if diff > 0 else 0
                     for s in scores]

    # -- events ------------------------------------------------------------------------------
    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [
            ev.ClusterEventWithHint(ev.ClusterEvent(
                ev.POD, ev.ADD | ev.UPDATE_POD_LABEL | ev.DELETE), _schedulable_after_pod_change),
            ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD | ev.UPDATE_NODE_LABEL),
                                    _schedulable_after_node_change),
        ]


def _contributions(pod: PodInfo, pref: list[AffinityTerm], pref_anti: list[AffinityTerm],
                   ns_labels: dict[str, str], others: Any,
                   labels: dict[str, str]) -> list[tuple[str, str, int]]:
    """``processExistingPod`` for every pod on one node: (key, value, weight) parts."""
    parts: list[tuple[str, str, int]] = []

    def add(term: AffinityTerm, weight: int, namespace: str, pod_labels: dict[str, str],
            nsl: dict[str, str] | None) -> None:
        if term.matches(namespace, pod_labels, nsl):
            tv = labels.get(term.topology_key)
            if tv is not None:
                parts.append((term.topology_key, tv, weight))

    for other in others:
        for t in pref:
            add(t, t.weight, other.namespace, other.labels, None)
        for t in pref_anti:
            add(t, -t.weight, other.namespace, other.labels, None)
        for t in other.required_affinity:
            add(t, HARD_POD_AFFINITY_WEIGHT, pod.namespace, pod.labels, ns_labels)
        for t in other.preferred_affinity:
            add(t, t.weight, pod.namespace, pod.labels, ns_labels)
        for t in other.preferred_anti_affinity:
            add(t, -t.weight, pod.namespace, pod.labels, ns_labels)
    return parts


def _satisfies_affinity(s: AffinityState, node: NodeInfo) -> bool:
    """``satisfyPodAffinity``."""
    pods_exist = True
    for t in s.affinity_terms:
        tv = node.labels.get(t.topology_key)
        if tv is None:
            return False
        if s.affinity_counts.get((t.topology_key, tv), 0) <= 0:
            pods_exist = False
    if pods_exist:
        return True
    return not s.affinity_counts and matches_all(s.affinity_terms, s.pod)


def _satisfies_anti_affinity(s: AffinityState, node: NodeInfo) -> bool:
    """``satisfyPodAntiAffinity``."""
    if not s.anti_counts:
        return True
    for t in s.anti_terms:
        tv = node.labels.get(t.topology_key)
        if tv is not None and s.anti_counts.get((t.topology_key, tv), 0) > 0:
            return False
    return True


def _schedulable_after_pod_change(pod: PodInfo, old: Any, new: Any) -> bool:
    """``isSchedulableAfterPodChange``."""
    if (new is not None and not (new.get("spec") or {}).get("nodeName")) or \
            (old is not None and not (old.get("spec") or {}).get("nodeName")):
        return ev.QUEUE_SKIP
    terms, anti = pod.required_affinity, pod.required_anti_affinity
    if new is not None and old is not None:
        before, after = PodInfo(old), PodInfo(new)
        if not matches_all(terms, before) and matches_all(terms, after):
            return ev.QUEUE
        return any(t.matches(before.namespace, before.labels, None) for t in anti) and \
            not any(t.matches(after.namespace, after.labels, None) for t in anti)
    if new is not None:
        return matches_all(terms, PodInfo(new)) or bool(pod.preferred_affinity)
    gone = PodInfo(old)
    if any(t.matches(gone.namespace, gone.labels, None) for t in anti):
        return ev.QUEUE
    return any(t.matches(pod.namespace, pod.labels, None) for t in gone.required_anti_affinity)


def _schedulable_after_node_change(pod: PodInfo, old: Any, new: Any) -> bool:
    if new is None:
        return ev.QUEUE_SKIP
    keys = {t.topology_key for t in (*pod.required_affinity, *pod.required_anti_affinity)}
    labels = ((new.get("metadata") or {}).get("labels")) or {}
    if old is None:
        return any(k in labels for k in keys) or not keys
    before = ((old.get("metadata") or {}).get("labels")) or {}
    return any(labels.get(k) != before.get(k) for k in keys)
