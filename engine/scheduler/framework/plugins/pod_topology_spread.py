"""PodTopologySpread: spread matching pods over topology domains.

Upstream: ``pkg/scheduler/framework/plugins/podtopologyspread/``
(``common.go``: constraints from the pod, or the system defaults -
hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway - with the selector
of the services/controllers that select the pod; ``filtering.go``:
PreFilter counts matching pods per domain over the nodes that pass the node
inclusion policies, Filter ``matchNum + selfMatch - globalMin <= maxSkew``
with ``minDomains``; ``scoring.go``: ``cnt * log(domains + 2) + maxSkew - 1``
per constraint, normalised so fewer matching pods score higher).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from engine.scheduler.framework.helpers import (
    RequiredNodeAffinity,
    find_untolerated_taint,
    intern_key,
    pod_tolerations,
)
from engine.scheduler.framework.interface import (
    CycleState,
    FilterPlugin,
    PreFilterPlugin,
    PreScorePlugin,
    ScorePlugin,
)
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.selectors import LabelSelector
from engine.scheduler.framework.types import (
    MAX_NODE_SCORE,
    SKIP,
    Status,
    unresolvable,
    unschedulable,
)
from engine.scheduler.queue import events as ev

ERR_REASON_CONSTRAINTS = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL = ERR_REASON_CONSTRAINTS + " (missing required label)"
STATE_KEY = "PreFilter" + names.POD_TOPOLOGY_SPREAD
PRE_SCORE_KEY = "PreScore" + names.POD_TOPOLOGY_SPREAD
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
DO_NOT_SCHEDULE = "DoNotSchedule"
SCHEDULE_ANYWAY = "ScheduleAnyway"
SYSTEM_DEFAULT_CONSTRAINTS = [
    {"topologyKey": HOSTNAME, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 3},
    {"topologyKey": ZONE, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 5},
]


class Constraint:
    """``topologySpreadConstraint``."""

    __slots__ = ("max_skew", "topology_key", "selector", "min_domains", "affinity_policy",
                 "taints_policy", "key", "namespace")

    def __init__(self, raw: dict, selector: LabelSelector, namespace: str) -> None:
        self.max_skew = int(raw.get("maxSkew") or 1)
        self.topology_key = raw.get("topologyKey", "")
        self.selector = selector
        self.min_domains = int(raw.get("minDomains") or 1)
        self.affinity_policy = raw.get("nodeAffinityPolicy") or "Honor"
        self.taints_policy = raw.get("nodeTaintsPolicy") or "Ignore"
        self.namespace = namespace
        self.key = intern_key(("pts", selector.signature(), namespace))

    def includes(self, pod: PodInfo, node: NodeInfo, required: RequiredNodeAffinity) -> bool:
        """``matchNodeInclusionPolicies``."""
        if self.affinity_policy == "Honor" and not required.matches(node.labels, node.name):
            return False
        return not (self.taints_policy == "Honor" and find_untolerated_taint(
            node.hard_taints, pod_tolerations(pod.pod)) is not None)

    def counts_pod(self, p: PodInfo) -> bool:
        """Whether a pod counts for this constraint (``countPodsMatchSelector``)."""
        return p.deletion_timestamp is None and p.namespace == self.namespace and \
            self.selector.matches(p.labels)

    def count(self, node: NodeInfo) -> int:
        """``countPodsMatchSelector`` on one node (memoised per node generation)."""
        n = node.memo_get(self.key)
        if n is None:
            ns, matches = self.namespace, self.selector.matches
            n = node.memo_set(self.key, sum(
                1 for p in node.pods.values()
                if p.deletion_timestamp is None and p.namespace == ns and matches(p.labels)))
        return n


def _selector_for(raw: dict, pod_labels: dict[str, str]) -> LabelSelector:
    """The constraint's selector plus ``matchLabelKeys`` as ``In`` requirements."""
    selector = raw.get("labelSelector")
    keys = [k for k in raw.get("matchLabelKeys") or () if k in pod_labels]
    if keys and selector is not None:
        selector = {**selector, "matchExpressions": [
            *(selector.get("matchExpressions") or ()),
            *({"key": k, "operator": "In", "values": [pod_labels[k]]} for k in keys)]}
    return LabelSelector(selector)


def labels_have_keys(labels: dict[str, str], constraints: list[Constraint]) -> bool:
    """``nodeLabelsMatchSpreadConstraints``."""
    return all(c.topology_key in labels for c in constraints)


class SpreadState:
    """``preFilterState``: matching pods per domain of each constraint."""

    __slots__ = ("constraints", "counts", "required", "mins")

    def __init__(self, constraints: list[Constraint], required: RequiredNodeAffinity) -> None:
        self.constraints = constraints
        self.counts: list[dict[str, int]] = [{} for _ in constraints]
        self.required = required
        self.mins: list[int | None] = [None] * len(constraints)

    def clone(self) -> SpreadState:
        c = SpreadState(self.constraints, self.required)
        c.counts = [dict(m) for m in self.counts]
        c.mins = list(self.mins)
        return c

    def min_match(self, i: int) -> int:
        """The global minimum (0 below ``minDomains`` domains), computed once per change."""
        found = self.mins[i]
        if found is None:
            counts = self.counts[i]
            if len(counts) < self.constraints[i].min_domains or not counts:
                found = 0
            else:
                found = min(counts.values())
            self.mins[i] = found
        return found

    def update_with_pod(self, other: PodInfo, pod: PodInfo, node: NodeInfo, delta: int) -> None:
        if other.namespace != pod.namespace or node.node is None:
            return
        if not labels_have_keys(node.labels, self.constraints):
            return
        for i, c in enumerate(self.constraints):
            if not c.selector.matches(other.labels) or not c.includes(pod, node, self.required):
                continue
            value = node.labels[c.topology_key]
            self.counts[i][value] = self.counts[i].get(value, 0) + delta
            self.mins[i] = None


class ScoreState:
    """``preScoreState``."""

    __slots__ = ("constraints", "ignored", "counts", "weights", "ignored_idx", "by_node")

    def __init__(self, constraints: list[Constraint]) -> None:
        self.constraints = constraints
        self.ignored: set[str] = set()
        self.ignored_idx: set[int] = set()
        self.counts: list[dict[str, int]] = [{} for _ in constraints]
        self.weights: list[float] = []
        # Per hostname constraint: the cache's matching pods per node name (None for
        # the other constraints, or to count on the node itself).
        self.by_node: list[dict[str, int] | None] = [None] * len(constraints)


class PodTopologySpread(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = names.POD_TOPOLOGY_SPREAD
    has_extensions = True
    has_normalize = True

    def __init__(self, handle: Any) -> None:
        super().__init__(handle)
        self._default_memo: dict[tuple, list[Constraint]] = {}

    def constraints(self, pod: PodInfo, action: str) -> tuple[list[Constraint], bool]:
        """The pod's constraints for ``action``, and whether they are system defaults."""
        raw = (pod.pod.get("spec") or {}).get("topologySpreadConstraints") or []
        if raw:
            return [Constraint(c, _selector_for(c, pod.labels), pod.namespace) for c in raw
                    if (c.get("whenUnsatisfiable") or DO_NOT_SCHEDULE) == action], False
        defaults = [c for c in SYSTEM_DEFAULT_CONSTRAINTS if c["whenUnsatisfiable"] == action]
        if not defaults:
            return [], True
        selector = self.handle.default_selector(pod.pod)
        if selector is None:
            return [], True
        return self._defaults(selector, pod.namespace, action, defaults), True

    def _defaults(self, selector: LabelSelector, namespace: str, action: str,
                  defaults: list[dict]) -> list[Constraint]:
        """The system default constraints for a selector: the same (read-only)
        Constraints for every pod of a workload, built once."""
        memo = self._default_memo
        key = (selector.signature(), namespace, action)
        found = memo.get(key)
        if found is None:
            if len(memo) > 256:
                memo.clear()
            found = memo[key] = [Constraint(c, selector, namespace) for c in defaults]
        return found

    def _indexed(self, pod: PodInfo, constraints: list[Constraint],
                 require_all: bool = True) -> list[dict[tuple[str, str], int]] | None:
        """Matching pods per domain from the cache's incremental counts - valid when
        every node with the topology keys counts: the pod has no nodeSelector or
        required node affinity to honour, and no constraint honours taints.
        ``require_all``: only nodes with every topology key count (Filter always;
        Score unless the constraints are the system defaults)."""
        spec = pod.pod.get("spec") or {}
        node_affinity = (spec.get("affinity") or {}).get("nodeAffinity") or {}
        restricted = spec.get("nodeSelector") or node_affinity.get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        if restricted and any(c.affinity_policy == "Honor" for c in constraints):
            return None
        if any(c.taints_policy == "Honor" for c in constraints):
            return None
        keys = tuple(c.topology_key for c in constraints)
        index = self.handle.cache.affinity
        return [index.counts(("pts", c.key, keys, require_all), c.counts_pod, keys,
                             require_all=require_all) for c in constraints]

    # -- PreFilter / Filter ------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        constraints, _ = self.constraints(pod, DO_NOT_SCHEDULE)
        if not constraints:
            return None, SKIP
        s = SpreadState(constraints, RequiredNodeAffinity(pod.pod))
        indexed = self._indexed(pod, constraints)
        if indexed is not None:
            domains = self.handle.cache.affinity.domains(tuple(c.topology_key
                                                               for c in constraints))
            for i, c in enumerate(constraints):
                pairs, tk = indexed[i], c.topology_key
                s.counts[i] = {v: pairs.get((tk, v), 0) for v in domains[tk]}
            state.write(STATE_KEY, s)
            return None, None
        for node in self.handle.cache.list():
            if not labels_have_keys(node.labels, constraints):
                continue
            for i, c in enumerate(constraints):
                if not c.includes(pod, node, s.required):
                    continue
                value = node.labels[c.topology_key]
                s.counts[i][value] = s.counts[i].get(value, 0) + c.count(node)
        state.write(STATE_KEY, s)
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        s: SpreadState | None = state.read(STATE_KEY)
        if s is None or not s.constraints:
            return None
        for i, c in enumerate(s.constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                return unresolvable(ERR_REASON_NODE_LABEL)
            self_match = 1 if c.selector.matches(pod.labels) else 0
            skew = s.counts[i].get(value, 0) + self_match - s.min_match(i)
            if skew > c.max_skew:
                return unschedulable(ERR_REASON_CONSTRAINTS)
        return None

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo,
                node: NodeInfo) -> Status | None:
        s = state.read(STATE_KEY)
        if s is not None:
            s.update_with_pod(added, pod, node, 1)
        return None

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo,
                   node: NodeInfo) -> Status | None:
        s = state.read(STATE_KEY)
        if s is not None:
            s.update_with_pod(removed, pod, node, -1)
        return None

    # -- Score -------------------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        """``PreScore``/``initPreScoreState``. System-defaulted constraints do not
        require every topology key (``requireAllTopologies`` is false): a node
        without the zone label still spreads by hostname, and a missing label is
        the domain "" (upstream reads ``node.Labels[key]``)."""
        all_nodes = self.handle.cache.list()
        if not nodes or not all_nodes:
            return None
        constraints, defaulted = self.constraints(pod, SCHEDULE_ANYWAY)
        if not constraints:
            return SKIP
        s = ScoreState(constraints)
        require_all = not defaulted
        scored = nodes
        if require_all:
            scored = [n for n in nodes if labels_have_keys(n.labels, constraints)]
            if len(scored) != len(nodes):
                kept = set(map(id, scored))
                s.ignored = {n.name for n in nodes if id(n) not in kept}
        index = self.handle.cache.affinity
        explicit_empty = False
        for i, c in enumerate(constraints):
            tk = c.topology_key
            if tk == HOSTNAME:  # per-node counts, done during Score
                size = len(scored)
                s.by_node[i] = index.node_counts(("pts-node", c.key), c.counts_pod)
            else:
                values = self._domain_values(scored, tk, require_all)
                explicit_empty = explicit_empty or "" in values
                if not require_all and None in values:
                    values.discard(None)
                    values.add("")
                s.counts[i] = dict.fromkeys(values, 0)
                size = len(values)
            s.weights.append(math.log(size + 2))
        if not any(counts for counts, c in zip(s.counts, constraints, strict=True)
                   if index.labelled(c.topology_key)):
            # Nothing to count, or only domains no node's label can name (the ""
            # of nodes without the key): Score never reads them.
            state.write(PRE_SCORE_KEY, s)
            return None
        # The index leaves nodes without a key out of the "" domain; that count is
        # only read for nodes labelled "" explicitly, which take the scan instead.
        pairs = None if explicit_empty else self._indexed(pod, constraints, require_all)
        if pairs is not None:
            for i, c in enumerate(constraints):
                found, tk = pairs[i], c.topology_key
                for value in s.counts[i]:
                    s.counts[i][value] = found.get((tk, value), 0)
        else:
            self._count_domains(s, pod, all_nodes, require_all)
        state.write(PRE_SCORE_KEY, s)
        return None

    def _domain_values(self, scored: list[NodeInfo], key: str,
                       require_all: bool) -> set[str | None]:
        """The values of ``key`` among the scored nodes (None: a node without it)."""
        if not scored:
            return set()
        if not self.handle.cache.affinity.labelled(key):
            return set() if require_all else {None}
        return {n.labels.get(key) for n in scored}

    def _count_domains(self, s: ScoreState, pod: PodInfo, all_nodes: list[NodeInfo],
                       require_all: bool) -> None:
        required = RequiredNodeAffinity(pod.pod)
        for node in all_nodes:
            if require_all and not labels_have_keys(node.labels, s.constraints):
                continue
            for i, c in enumerate(s.constraints):
                counts = s.counts[i]
                if not counts or not c.includes(pod, node, required):
                    continue
                value = node.labels.get(c.topology_key, "")
                if value in counts:
                    counts[value] += c.count(node)

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        s: ScoreState = state.read(PRE_SCORE_KEY)
        if s is None or node.name in s.ignored:
            return 0
        total = 0.0
        for i, c in enumerate(s.constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                continue
            host = c.topology_key == HOSTNAME
            cnt = c.count(node) if host else s.counts[i].get(value, 0)
            total += cnt * s.weights[i] + (c.max_skew - 1)
        return math.floor(total + 0.5)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """``score`` for every node, with the per-constraint lookups prepared once."""
        s: ScoreState = state.read(PRE_SCORE_KEY)
        if s is None:
            return [0] * len(nodes)
        ignored = s.ignored
        s.ignored_idx = {i for i, n in enumerate(nodes) if n.name in ignored} if ignored \
            else set()
        plan = []
        for i, c in enumerate(s.constraints):
            plan.append((c.topology_key, s.weights[i], c.max_skew - 1, s.counts[i],
                         s.by_node[i], c))
        floor = math.floor
        out = []
        for n in nodes:
            if ignored and n.name in ignored:
                out.append(0)
                continue
            labels = n.labels
            total = 0.0
            for key, weight, base, counts, by_node, c in plan:
                value = labels.get(key)
                if value is None:
                    continue
                if key != HOSTNAME:
                    cnt = counts.get(value, 0)
                elif by_node is None or (cnt := by_node.get(n.name)) is None:
                    cnt = c.count(n)
                total += cnt * weight + base
            out.append(floor(total + 0.5))
        return out

    def score_codes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
                    ) -> tuple[list[Any], Callable[[Any], int]] | None:
        """Per-node codes when the score is one hostname constraint plus at most
        one other constraint whose key some node has (e.g. the system defaults):
        the node's count of matching pods, or (count, the other key's value). The
        raw score of a code is the loop's in :meth:`score_nodes`, constraint by
        constraint in order; NormalizeScore maps each score through the minimum
        and maximum, as framework/scoring.py requires of codes. Not when a node
        is ignored or lacks a hostname label."""
        s: ScoreState | None = state.read(PRE_SCORE_KEY)
        if s is None or s.ignored:
            return None
        cache = self.handle.cache
        index = cache.affinity
        host, other = -1, -1
        for i, c in enumerate(s.constraints):
            if c.topology_key == HOSTNAME:
                if host >= 0:
                    return None
                host = i
            elif index.labelled(c.topology_key):
                if other >= 0:
                    return None
                other = i
        by_node = s.by_node[host] if host >= 0 else None
        if by_node is None or index.labelled(HOSTNAME) != len(cache.list()):
            return None
        floor = math.floor
        weight, base = s.weights[host], s.constraints[host].max_skew - 1
        try:
            if other < 0:
                codes: list[Any] = self._window_counts(s.constraints[host], nodes) or \
                    [by_node[n.name] for n in nodes]
            else:
                key = s.constraints[other].topology_key
                codes = [(by_node[n.name], n.labels.get(key)) for n in nodes]
        except KeyError:  # a node the cache does not list
            return None
        s.ignored_idx = set()
        if other < 0:
            return codes, lambda cnt: floor(cnt * weight + base + 0.5)
        counts, o_weight = s.counts[other], s.weights[other]
        o_base = s.constraints[other].max_skew - 1
        host_first = host < other

        def raw(code: tuple[int, str | None]) -> int:
            cnt, value = code
            total = 0.0
            if host_first:
                total += cnt * weight + base
            if value is not None:
                total += counts.get(value, 0) * o_weight + o_base
            if not host_first:
                total += cnt * weight + base
            return floor(total + 0.5)

        return codes, raw

    def node_codes(self, state: CycleState, pod: PodInfo
                   ) -> tuple[Any, Callable[[NodeInfo], Any], Callable[[Any], int]] | None:
        """A node's code: per constraint in order, its count of matching pods for a
        hostname constraint (upstream counts hostname per node), else its value of
        the topology key (None: the node lacks the label and the constraint adds
        nothing). Both hold until the node changes; the raw score of a code is
        :meth:`score_nodes`' loop, term by term in the same order. Not when a
        node is ignored (it scores 0 outside the normalisation)."""
        s: ScoreState | None = state.read(PRE_SCORE_KEY)
        if s is None or s.ignored:
            return None
        s.ignored_idx = set()
        constraints = s.constraints
        key = ("pts", tuple((c.key, c.topology_key) for c in constraints))
        plan = [(c.topology_key == HOSTNAME, s.weights[i], c.max_skew - 1, s.counts[i])
                for i, c in enumerate(constraints)]

        terms = list(zip(constraints, s.by_node, strict=True))

        def code_of(node: NodeInfo) -> tuple:
            labels = node.labels
            return tuple(labels.get(c.topology_key) if c.topology_key != HOSTNAME
                         else None if HOSTNAME not in labels
                         else c.count(node) if by_node is None
                         or (cnt := by_node.get(node.name)) is None else cnt
                         for c, by_node in terms)

        floor = math.floor

        def raw_of(code: tuple) -> int:
            total = 0.0
            for value, (host, weight, base, counts) in zip(code, plan, strict=True):
                if value is None:
                    continue
                cnt = value if host else counts.get(value, 0)
                total += cnt * weight + base
            return floor(total + 0.5)

        return key, code_of, raw_of

    def _window_counts(self, c: Constraint, nodes: list[NodeInfo]) -> list[int] | None:
        """The per-node counts of ``nodes`` as a slice of the index's counts by
        position, when ``nodes`` is a window of the cache's node list (the nodes
        that passed the filters usually are: checked element by element, by
        identity); None otherwise."""
        listed, counts = self.handle.cache.affinity.node_count_list(
            ("pts-node", c.key), c.counts_pod)
        if not nodes or len(nodes) > len(listed):
            return None
        start = nodes[0].index
        if not 0 <= start < len(listed):
            return None
        end = start + len(nodes)
        if end <= len(listed):
            if listed[start:end] != nodes:
                return None
            return counts[start:end]
        end -= len(listed)
        if listed[start:] + listed[:end] != nodes:
            return None
        return counts[start:] + counts[:end]

    def normalize(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        """``NormalizeScore``; nodes without the topology keys get 0."""
        s: ScoreState = state.read(PRE_SCORE_KEY)
        if s is None:
            return
        ignored = s.ignored_idx
        if not ignored:
            if scores:
                lo, hi = min(scores), max(scores)
                # A lookup per distinct raw score (there are few) instead of the
                # arithmetic per node.
                table = {v: MAX_NODE_SCORE * (hi + lo - v) // hi for v in set(scores)} if hi \
                    else None
                scores[:] = map(table.__getitem__, scores) if table is not None \
                    else [MAX_NODE_SCORE] * len(scores)
            return
        valid = [v for i, v in enumerate(scores) if i not in ignored]
        lo = min(valid) if valid else 0
        hi = max(valid) if valid else 0
        out = []
        for i, v in enumerate(scores):
            if i in ignored:
                out.append(0)
            elif hi == 0:
                out.append(MAX_NODE_SCORE)
            else:
                out.append(MAX_NODE_SCORE * (hi + lo - v) // hi)
        scores[:] = out

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [
            ev.ClusterEventWithHint(ev.ClusterEvent(
                ev.POD, ev.ADD | ev.UPDATE_POD_LABEL | ev.DELETE), self._after_pod_change),
            ev.ClusterEventWithHint(ev.ClusterEvent(
                ev.NODE, ev.ADD | ev.DELETE | ev.UPDATE_NODE_LABEL | ev.UPDATE_NODE_TAINT),
                self._after_node_change),
        ]

    def _after_pod_change(self, pod: PodInfo, old: Any, new: Any) -> bool:
        constraints, _ = self.constraints(pod, DO_NOT_SCHEDULE)
        for obj in (new, old):
            if obj is None:
                continue
            other = PodInfo(obj)
            if other.namespace == pod.namespace and any(
                    c.selector.matches(other.labels) for c in constraints):
                return ev.QUEUE
        return ev.QUEUE_SKIP

    def _after_node_change(self, pod: PodInfo, old: Any, new: Any) -> bool:
        constraints, _ = self.constraints(pod, DO_NOT_SCHEDULE)
        keys = [c.topology_key for c in constraints]
        new_labels = ((new or {}).get("metadata") or {}).get("labels") or {}
        old_labels = ((old or {}).get("metadata") or {}).get("labels") or {}
        if new is None or old is None:
            labels = new_labels or old_labels
            return all(k in labels for k in keys)
        if any(new_labels.get(k) != old_labels.get(k) for k in keys):
            return ev.QUEUE
        return (new.get("spec") or {}).get("taints") != (old.get("spec") or {}).get("taints")
