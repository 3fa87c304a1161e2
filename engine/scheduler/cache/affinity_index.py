"""Pod counts per topology domain, kept current as pods come and go.

InterPodAffinity's PreFilter (upstream ``interpodaffinity/filtering.go``,
``getIncomingAffinityAntiAffinityCounts`` and
``getExistingAntiAffinityCounts``) counts, for every scheduling attempt, the
pods matching a term on every node. Pods of one workload carry the same
terms, so here each distinct count is registered once, filled with one scan,
and then updated by the cache on every pod add/remove: the PreFilter reads a
copy instead of scanning the cluster. The result is the same numbers.

A count is named by a hashable key and defined by a predicate over pods and
the topology keys it counts by; its value maps ``(topology key, value)`` to
the number of matching pods on nodes with that label. Node label changes
(and nodes coming or going) drop every count; the next query rebuilds it.

PodTopologySpread's Score counts the matching pods on each node itself
(upstream ``scoring.go``: ``countPodsMatchSelector(nodeInfo.Pods, ...)`` for
the hostname key), so a count can also be kept per node name
(:meth:`AffinityIndex.node_counts`), the way upstream's ``NodeInfo`` keeps
its pods.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.pod_info import AffinityTerm, PodInfo

Pair = tuple[str, str]
Predicate = Callable[[PodInfo], bool]
MAX_COUNTS = 64


class _Count:
    __slots__ = ("predicate", "keys", "pairs", "require_all")

    def __init__(self, predicate: Predicate, keys: tuple[str, ...], require_all: bool) -> None:
        self.predicate = predicate
        self.keys = keys
        self.require_all = require_all
        self.pairs: dict[Pair, int] = {}

    def update(self, pi: PodInfo, labels: dict[str, str], sign: int) -> None:
        if self.require_all and not all(k in labels for k in self.keys):
            return
        if not self.predicate(pi):
            return
        pairs = self.pairs
        for key in self.keys:
            value = labels.get(key)
            if value is None:
                continue
            pair = (key, value)
            n = pairs.get(pair, 0) + sign
            if n:
                pairs[pair] = n
            else:
                pairs.pop(pair, None)


class _NodeCount:
    """Matching pods per node: by name (every listed node has an entry, 0
    included) and by position in the node list the count was built from."""

    __slots__ = ("predicate", "by_node", "nodes", "by_index")

    def __init__(self, predicate: Predicate, nodes: list[NodeInfo]) -> None:
        self.predicate = predicate
        self.nodes = nodes
        self.by_index = [sum(1 for pi in ni.pods.values() if predicate(pi)) for ni in nodes]
        self.by_node: dict[str, int] = {ni.name: n for ni, n in zip(nodes, self.by_index,
                                                                     strict=True)}

    def update(self, pi: PodInfo, ni: NodeInfo, sign: int) -> None:
        if self.predicate(pi):
            self.by_node[ni.name] = self.by_node.get(ni.name, 0) + sign
            i = ni.index
            if i < len(self.nodes) and self.nodes[i] is ni:
                self.by_index[i] += sign


class AffinityIndex:
    """Registered counts (see the module docstring) and the required
    anti-affinity terms of the pods in the cluster, grouped by term."""

    def __init__(self, nodes: Callable[[], Iterable[NodeInfo]]) -> None:
        self._nodes = nodes
        self._counts: OrderedDict[Any, _Count] = OrderedDict()
        # term signature -> (term, {pair: number of pods carrying it there})
        self._anti: dict[tuple, tuple[AffinityTerm, dict[Pair, int]]] | None = None
        self._domains: dict[tuple[str, ...], dict[str, set[str]]] = {}
        self._node_counts: OrderedDict[Any, _NodeCount] = OrderedDict()
        self._labelled: dict[str, int] = {}

    # -- queries ---------------------------------------------------------------------------
    def counts(self, key: Any, predicate: Predicate, keys: tuple[str, ...],
               require_all: bool = False) -> dict[Pair, int]:
        """The current count for ``key`` (read-only; copy it to change it).
        ``require_all``: only nodes that have every one of ``keys`` count."""
        entry = self._counts.get(key)
        if entry is None:
            entry = _Count(predicate, keys, require_all)
            for ni in self._nodes():
                labels = ni.labels
                for pi in ni.pods.values():
                    entry.update(pi, labels, 1)
            self._counts[key] = entry
            if len(self._counts) > MAX_COUNTS:
                self._counts.popitem(last=False)
        else:
            self._counts.move_to_end(key)
        return entry.pairs

    def node_counts(self, key: Any, predicate: Predicate) -> dict[str, int]:
        """Pods matching ``predicate`` on each node, by node name (read-only).
        Every node of the list has an entry, so lookups need no default."""
        return self._node_count(key, predicate).by_node

    def node_count_list(self, key: Any, predicate: Predicate
                        ) -> tuple[list[NodeInfo], list[int]]:
        """The same counts by position: the node list they follow and the count of
        each of its nodes (read-only), so that a window of the list is a slice."""
        entry = self._node_count(key, predicate)
        return entry.nodes, entry.by_index

    def _node_count(self, key: Any, predicate: Predicate) -> _NodeCount:
        entry = self._node_counts.get(key)
        nodes = self._nodes()
        if entry is None or entry.nodes is not nodes:
            listed = nodes if isinstance(nodes, list) else list(nodes)
            entry = self._node_counts[key] = _NodeCount(predicate, listed)
            if len(self._node_counts) > MAX_COUNTS:
                self._node_counts.popitem(last=False)
        else:
            self._node_counts.move_to_end(key)
        return entry

    def labelled(self, key: str) -> int:
        """How many nodes of the list carry the label ``key``."""
        found = self._labelled.get(key)
        if found is None:
            found = self._labelled[key] = sum(1 for ni in self._nodes() if key in ni.labels)
        return found

    def domains(self, keys: tuple[str, ...]) -> dict[str, set[str]]:
        """The values of each of ``keys`` among the nodes that have all of them."""
        found = self._domains.get(keys)
        if found is None:
            found = {k: set() for k in keys}
            for ni in self._nodes():
                labels = ni.labels
                if all(k in labels for k in keys):
                    for k in keys:
                        found[k].add(labels[k])
            self._domains[keys] = found
        return found

    def anti_terms(self) -> Iterable[tuple[AffinityTerm, dict[Pair, int]]]:
        """Each distinct required anti-affinity term of the existing pods, with
        where (topology pair) and how many pods carry it."""
        if self._anti is None:
            self._anti = {}
            for ni in self._nodes():
                for pi in ni.pods_with_required_anti_affinity.values():
                    self._add_anti(pi, ni.labels, 1)
        return self._anti.values()

    # -- maintenance -----------------------------------------------------------------------
    def pod_changed(self, pi: PodInfo, ni: NodeInfo, sign: int) -> None:
        """A pod was placed on (``sign`` 1) or removed from (-1) a node."""
        if ni.node is None:
            return
        labels = ni.labels
        for entry in self._counts.values():
            entry.update(pi, labels, sign)
        for node_count in self._node_counts.values():
            node_count.update(pi, ni, sign)
        if self._anti is not None and pi.required_anti_affinity:
            self._add_anti(pi, labels, sign)

    def _add_anti(self, pi: PodInfo, labels: dict[str, str], sign: int) -> None:
        assert self._anti is not None
        for term in pi.required_anti_affinity:
            value = labels.get(term.topology_key)
            if value is None:
                continue
            entry = self._anti.get(term.sig)
            if entry is None:
                entry = self._anti[term.sig] = (term, {})
            pairs = entry[1]
            pair = (term.topology_key, value)
            n = pairs.get(pair, 0) + sign
            if n:
                pairs[pair] = n
            else:
                pairs.pop(pair, None)
                if not pairs:
                    del self._anti[term.sig]

    def reset(self) -> None:
        """Node labels changed, or nodes came or went: recount on the next query."""
        self._counts.clear()
        self._anti = None
        self._domains.clear()
        self._node_counts.clear()
        self._labelled.clear()
