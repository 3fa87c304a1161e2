"""Scheduler shortcuts against the straightforward computation.

NodeResourcesFit passing a whole chunk within the cache's bound of free
resources, and the tie handling of ``select_host`` and of the explanation's
best nodes, each compared with the plain per-node loop on randomized input.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.scheduler.explain import AttemptRecord
from engine.scheduler.framework import scoring
from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.plugins.node_resources_fit import NodeResourcesFit
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import Status, unresolvable, unschedulable
from engine.scheduler.schedule_one import select_host
from tests.scheduler.test_spread_codes import HOST, OwnedScheduler, _plugin, _pod


@pytest.mark.parametrize("seed", range(20))
def test_fit_floor_passes_what_the_per_node_filter_passes(seed: int) -> None:
    """NodeResourcesFit with the cache's bound of free resources, against the
    per-node filter, while pods come and go and nodes change."""
    rng = random.Random(seed)
    sched = OwnedScheduler(rng.randrange(1, 8))
    cache = sched.cache
    fit: NodeResourcesFit = _plugin(sched, "NodeResourcesFit")
    live: list[dict] = []
    for step in range(120):
        roll = rng.random()
        if roll < 0.3 and live:
            cache.remove_pod(live.pop(rng.randrange(len(live))))
        elif roll < 0.32:
            name = f"n{cache.num_nodes() + step}"
            cache.add_node({"metadata": {"name": name, "labels": {HOST: name}},
                            "status": {"allocatable": {"cpu": rng.choice(["1", "4"]),
                                                       "memory": "8Gi", "pods": "5"}}})
        elif roll < 0.34 and cache.num_nodes() > 1:
            cache.remove_node({"metadata": {"name": rng.choice(cache.list()).name}})
        elif roll < 0.37:
            name = rng.choice(cache.list()).name
            cache.update_node({}, {"metadata": {"name": name, "labels": {HOST: name}},
                                   "status": {"allocatable": {
                                       "cpu": rng.choice(["1", "2", "4"]),
                                       "memory": "32Gi", "pods": str(rng.randrange(3, 20))}}})
        else:
            pod = _pod(step, node=rng.choice(cache.list()).name,
                       cpu=rng.choice(["0", "100m", "500m", "1"]))
            cache.add_pod(pod)
            live.append(pod)
        incoming = PodInfo(_pod(10_000 + step, cpu=rng.choice(["0", "10m", "700m", "2"])))
        state = CycleState()
        fit.pre_filter(state, incoming, cache.list())
        verdicts = []
        for floor in (True, False):
            if not floor:
                fit._all_fit = lambda *a: False
            rejected: dict[str, Any] = {}
            try:
                passed = fit.filter_nodes(state, incoming, cache.list(),
                                          lambda n, s, r=rejected: r.__setitem__(n.name, s))
            finally:
                fit.__dict__.pop("_all_fit", None)
            verdicts.append(([n.name for n in passed],
                             {k: (s.code, s.reasons) for k, s in rejected.items()}))
        assert verdicts[0] == verdicts[1]
        floor_now = cache.free_floor()
        assert floor_now is not None
        for n in cache.list():
            free = (n.free_pods, n.free_cpu, n.free_mem, n.free_eph)
            assert all(a <= b for a, b in zip(floor_now, free, strict=True))


class _Rng:
    def __init__(self, k: int) -> None:
        self.k = k

    def randrange(self, n: int) -> int:
        return self.k % n


@pytest.mark.parametrize("seed", range(30))
def test_select_host_and_best_like_the_plain_loops(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randrange(1, 60)
    totals = [rng.choice([5, 7, 7, 9, 9, 9]) for _ in range(size)]
    nodes = [type("N", (), {"name": f"n{i}"})() for i in range(size)]
    k = rng.randrange(1000)
    sched = type("S", (), {"rng": _Rng(k)})()
    best = max(totals)
    tied = [i for i, t in enumerate(totals) if t == best]
    expected = tied[k % len(tied)] if len(tied) > 1 else tied[0]
    assert select_host(sched, nodes, totals) == f"n{expected}"  # type: ignore[arg-type]
    record = AttemptRecord("ns/p", 1, "t", size)
    result = scoring.ScoreResult(nodes)  # type: ignore[arg-type]
    result.totals = totals
    record.score = result
    for limit in (None, 1, 3, 10):
        plain = sorted(range(size), key=totals.__getitem__, reverse=True)
        assert record._best(limit) == (plain if limit is None else plain[:limit])


def _snapshot(cache: Any) -> tuple:
    nodes = []
    for n in cache.list():
        nodes.append((n.name, list(n.pods), n.req_cpu, n.req_mem, n.nz_cpu, n.nz_mem,
                      n.free_pods, dict(n.used_ports), list(n.pods_with_affinity),
                      [p.pod for p in n.pods.values()]))
    index = cache.affinity
    web = index.node_counts(("t", "web"), lambda p: p.labels.get("app") == "web"
                            and p.deletion_timestamp is None)
    pairs = index.counts(("t", "pairs"), lambda p: p.labels.get("app") == "web", (HOST,))
    return nodes, list(cache.pods), dict(web), dict(pairs)


@pytest.mark.parametrize("seed", range(20))
def test_status_updates_refresh_in_place_like_remove_and_add(seed: int) -> None:
    """Cache.add_pod for a pod already on its node: refreshed in place when
    nothing it counts for changed, else removed and added; either way the
    same NodeInfos, pod order and index counts."""
    caches = []
    for in_place in (True, False):
        rng = random.Random(seed)
        sched = OwnedScheduler(4)
        cache = sched.cache
        if not in_place:
            cache._refresh_in_place = lambda *a: False
        _snapshot(cache)  # register the index counts before the pods come
        pods: dict[int, dict] = {}
        for step in range(150):
            i = rng.randrange(12)
            pod = pods.get(i)
            if pod is None:
                pod = _pod(i, rng.choice(["web", "db"]), f"n{rng.randrange(4)}")
            else:
                pod = {**pod, "metadata": dict(pod["metadata"]), "spec": dict(pod["spec"]),
                       "status": {"phase": rng.choice(["Pending", "Running"]), "step": step}}
                roll = rng.random()
                if roll < 0.15:
                    pod["metadata"]["labels"] = {"app": rng.choice(["web", "db"])}
                elif roll < 0.2:
                    pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
                elif roll < 0.25:
                    pod["spec"]["containers"] = [{"name": "c", "image": "y", "resources": {
                        "requests": {"cpu": "200m"}}}]
                elif roll < 0.3:
                    pod["spec"]["nodeName"] = f"n{rng.randrange(4)}"
            pods[i] = pod
            if rng.random() < 0.1:
                cache.remove_pod(pods.pop(i))
            else:
                cache.add_pod(pod)
        caches.append(_snapshot(cache))
    assert caches[0] == caches[1]


@pytest.mark.parametrize("seed", range(20))
def test_taint_filter_like_the_per_node_filter(seed: int) -> None:
    """TaintToleration's batch filter (only tainted nodes looked at) against
    the plain per-node filter: same nodes passed, same rejections in order."""
    rng = random.Random(seed)
    sched = OwnedScheduler(0)
    effects = ["NoSchedule", "NoExecute", "PreferNoSchedule"]
    for i in range(rng.randrange(1, 15)):
        taints = [{"key": rng.choice(["a", "b"]), "value": "v", "effect": rng.choice(effects)}
                  for _ in range(rng.choice([0, 0, 0, 1, 2]))]
        sched.cache.add_node({"metadata": {"name": f"n{i}", "labels": {HOST: f"n{i}"}},
                              "spec": {"taints": taints},
                              "status": {"allocatable": {"cpu": "4", "pods": "110"}}})
    pod = _pod(1)
    pod["spec"]["tolerations"] = [{"key": rng.choice(["a", "b"]), "operator": "Exists"}
                                  for _ in range(rng.choice([0, 1]))]
    incoming = PodInfo(pod)
    plugin = _plugin(sched, "TaintToleration")
    state = CycleState()
    listed = sched.cache.list()
    total = len(listed)
    # The whole list, windows of it (wrapping too: tainted nodes found by their
    # place in the list), and lists that are not windows (the per-node scan).
    lists = [listed]
    for _ in range(6):
        start, size = rng.randrange(total), rng.randrange(1, total + 1)
        lists.append([listed[(start + k) % total] for k in range(size)])
    lists.append(rng.sample(listed, rng.randrange(1, total + 1)))
    lists.append(listed[::2])
    for nodes in lists:
        outcomes = []
        for batch in (plugin.filter_nodes, super(type(plugin), plugin).filter_nodes):
            rejected: list[tuple] = []
            passed = batch(state, incoming, nodes,
                           lambda n, s, r=rejected: r.append((n.name, s.code, s.reasons)))
            outcomes.append(([n.name for n in passed], rejected))
        assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("seed", range(20))
def test_window_start_finds_windows_only(seed: int) -> None:
    """Cache.window_start: the start of every window of the node list (wrapping
    too); None for lists that are not windows."""
    rng = random.Random(seed)
    sched = OwnedScheduler(rng.randrange(1, 12))
    listed = sched.cache.list()
    total = len(listed)
    for _ in range(20):
        start, size = rng.randrange(total), rng.randrange(1, total + 1)
        window = [listed[(start + k) % total] for k in range(size)]
        assert sched.cache.window_start(window) == start
        if size > 2:
            assert sched.cache.window_start(window[:1] + window[2:]) is None
            assert sched.cache.window_start([window[1], window[0], *window[2:]]) is None
    assert sched.cache.window_start([]) is None
    assert sched.cache.window_start(listed + listed[:1]) is None


@pytest.mark.parametrize("seed", range(20))
def test_reasons_counted_per_shared_status_like_per_node(seed: int) -> None:
    """The explanation's reason histogram, counted once per shared Status, has
    the same counts in the same order as counting node by node."""
    rng = random.Random(seed)
    pool = [unresolvable("b"), unschedulable("a", "c"), unschedulable("c"),
            unresolvable("d", "a")]
    statuses: dict[str, Status] = {}
    for i in range(rng.randrange(0, 40)):
        statuses[f"n{i}"] = rng.choice(pool) if rng.random() < 0.8 else \
            unschedulable(rng.choice("abcde"))
    record = AttemptRecord("ns/p", 1, "t", 40)
    record.statuses = statuses
    plain: dict[str, int] = {}
    for status in statuses.values():
        for reason in status.reasons:
            plain[reason] = plain.get(reason, 0) + 1
    assert list(record._reasons().items()) == list(plain.items())
