"""PodTopologySpread scoring: the codes shortcut against the per-node loop.

Randomized clusters (with and without zone labels, shared hostname labels,
zone labels set to "") go through the score phase with the codes shortcut
(framework/scoring.py) and without it; totals, per-plugin raw and normalised
scores must be the same. Plus the upstream behaviour the shortcut relies on:
with the system default constraints, nodes without a zone label still spread
by hostname (``scoring.go``: requireAllTopologies is false, hostname counts
are per node).
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.plugins import pod_topology_spread as pts
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.selectors import LabelSelector
from tests.scheduler.test_percentage import FakeScheduler

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


class OwnedScheduler(FakeScheduler):
    """A handle whose pods are selected by a controller (``app`` label)."""

    def __init__(self, nodes: int, labels: Any = None) -> None:
        super().__init__(0)
        for i in range(nodes):
            self.cache.add_node({"metadata": {"name": f"n{i}", "labels": labels(i)
                                              if labels else {HOST: f"n{i}"}},
                                 "status": {"allocatable": {"cpu": "4", "memory": "32Gi",
                                                            "pods": "110"}}})

    def default_selector(self, pod: dict) -> LabelSelector | None:
        app = ((pod.get("metadata") or {}).get("labels") or {}).get("app")
        return LabelSelector({"matchLabels": {"app": app}}) if app else None


def _pod(i: int, app: str = "web", node: str = "", ns: str = "default", cpu: str = "10m",
         deleting: bool = False, spread: list | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "x", "resources": {
        "requests": {"cpu": cpu, "memory": "16Mi"}}}]}
    if node:
        spec["nodeName"] = node
    if spread:
        spec["topologySpreadConstraints"] = spread
    meta: dict = {"name": f"p{i}", "namespace": ns, "uid": f"u{i}", "labels": {"app": app}}
    if deleting:
        meta["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    return {"metadata": meta, "spec": spec}


def _plugin(sched: FakeScheduler, name: str) -> Any:
    return next(p for p in sched.framework.plugins if p.name == name)


def _score(sched: FakeScheduler, pod: PodInfo, codes: bool) -> tuple:
    """PreScore + Score over every node, with or without the codes shortcut."""
    fwk = sched.framework
    plugin = _plugin(sched, "PodTopologySpread")
    if not codes:
        plugin.score_codes = lambda *a: None
    try:
        state = CycleState()
        nodes = sched.cache.list()
        assert fwk.run_pre_score(state, pod, nodes) is None
        result = fwk.run_score(state, pod, nodes)
    finally:
        plugin.__dict__.pop("score_codes", None)
    per_node = [(result.total(i), result.node_scores(i)) for i in range(len(nodes))]
    # The annotation's entries, built plugin by plugin, say the same.
    assert result.entries(list(range(len(nodes)))) == [
        [n.name, total, *(v for _, _, raw, norm in scores for v in (raw, norm))]
        for n, (total, scores) in zip(nodes, per_node, strict=True)]
    return result.totals, result.offset, result.plugin_scores(), per_node


def _random_cluster(rng: random.Random) -> OwnedScheduler:
    shape = rng.choice(["no-zone", "zones", "mixed", "dup-host", "empty-zone"])

    def labels(i: int) -> dict:
        out = {HOST: f"n{i}" if shape != "dup-host" else f"h{i % 3}"}
        if shape == "zones" or (shape == "mixed" and i % 3):
            out[ZONE] = f"z{i % 3}"
        if shape == "empty-zone":
            out[ZONE] = "" if i % 2 else "z1"
        return out

    sched = OwnedScheduler(rng.randrange(2, 12), labels)
    for i in range(rng.randrange(0, 40)):
        node = f"n{rng.randrange(sched.cache.num_nodes())}"
        sched.cache.add_pod(_pod(i, rng.choice(["web", "web", "db"]), node,
                                 ns=rng.choice(["default", "default", "other"]),
                                 deleting=rng.random() < 0.1))
    return sched


@pytest.mark.parametrize("seed", range(60))
def test_codes_score_like_the_per_node_loop(seed: int) -> None:
    rng = random.Random(seed)
    sched = _random_cluster(rng)
    spread = None
    if rng.random() < 0.5:  # explicit constraints, in either order
        keys = rng.choice([[HOST], [HOST, ZONE], [ZONE, HOST], [ZONE]])
        spread = [{"maxSkew": rng.randrange(1, 4), "topologyKey": key,
                   "whenUnsatisfiable": "ScheduleAnyway",
                   "labelSelector": {"matchLabels": {"app": "web"}}} for key in keys]
    incoming = PodInfo(_pod(1000, "web", spread=spread))
    fast = _score(sched, incoming, codes=True)
    assert fast == _score(sched, incoming, codes=False)
    # And the batch loop agrees with the one-node Score.
    plugin = _plugin(sched, "PodTopologySpread")
    state = CycleState()
    nodes = sched.cache.list()
    if plugin.pre_score(state, incoming, nodes) is None:
        assert plugin.score_nodes(state, incoming, nodes) == [
            plugin.score(state, incoming, n) for n in nodes]


def test_nodes_without_zone_spread_by_hostname() -> None:
    """System default constraints on nodes without a zone label: the node with
    fewer matching pods scores higher (upstream ``scoring.go``)."""
    sched = OwnedScheduler(3)
    placed = {"n0": 2, "n1": 0, "n2": 1}
    uid = 0
    for node, count in placed.items():
        for _ in range(count):
            sched.cache.add_pod(_pod(uid, "web", node))
            uid += 1
    sched.cache.add_pod(_pod(uid, "db", "n1"))  # not selected: does not count
    incoming = PodInfo(_pod(999, "web"))
    plugin = _plugin(sched, "PodTopologySpread")
    state = CycleState()
    nodes = sched.cache.list()
    assert plugin.pre_score(state, incoming, nodes) is None
    weight = math.log(3 + 2)  # three candidate nodes
    raw = [math.floor(placed[n.name] * weight + 2 + 0.5) for n in nodes]  # maxSkew 3
    assert plugin.score_nodes(state, incoming, nodes) == raw
    lo, hi = min(raw), max(raw)
    totals, _, per_plugin, _ = _score(sched, incoming, codes=True)
    spread = next(entry for entry in per_plugin if entry[0] == "PodTopologySpread")
    assert spread[2] == raw
    assert spread[3] == [100 * (hi + lo - v) // hi for v in raw]
    assert totals.index(max(totals)) == [n.name for n in nodes].index("n1")


@pytest.mark.parametrize("seed", range(20))
def test_window_counts_are_the_per_node_counts(seed: int) -> None:
    """Counts sliced from the index by position, for windows of the node list
    (wrapping too), equal the counts by node name; other lists are refused."""
    rng = random.Random(seed)
    sched = _random_cluster(rng)
    plugin = _plugin(sched, "PodTopologySpread")
    incoming = PodInfo(_pod(1000, "web"))
    state = CycleState()
    nodes = sched.cache.list()
    assert plugin.pre_score(state, incoming, nodes) is None
    s = state.read(pts.PRE_SCORE_KEY)
    host = next(c for c in s.constraints if c.topology_key == HOST)
    by_node = sched.cache.affinity.node_counts(("pts-node", host.key), host.counts_pod)
    for step in range(30):
        n = len(nodes)
        start, size = rng.randrange(n), rng.randrange(1, n + 1)
        window = [nodes[(start + k) % n] for k in range(size)]
        assert plugin._window_counts(host, window) == [by_node[x.name] for x in window]
        if size > 2:  # not a window: a node left out, or two swapped
            gap = window[:1] + window[2:]
            assert plugin._window_counts(host, gap) is None
            swapped = [window[1], window[0], *window[2:]]
            assert plugin._window_counts(host, swapped) is None
        # Pods come and go: the counts by position follow.
        pod = _pod(5000 + step, "web", rng.choice(nodes).name)
        sched.cache.add_pod(pod)
        if rng.random() < 0.3:
            sched.cache.remove_pod(pod)
