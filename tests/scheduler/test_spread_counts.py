"""PodTopologySpread counts: the cache's incremental counts agree with a scan."""

from __future__ import annotations

import random

from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.plugins import pod_topology_spread as pts
from engine.scheduler.framework.pod_info import PodInfo
from tests.scheduler.test_percentage import FakeScheduler


def _pod(i: int, app: str, node: str, zone_tsc: bool = True) -> dict:
    spec: dict = {"nodeName": node, "containers": [{"name": "c", "image": "x"}]}
    if zone_tsc:
        spec["topologySpreadConstraints"] = [
            {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": app}}},
            {"maxSkew": 2, "topologyKey": "kubernetes.io/hostname",
             "whenUnsatisfiable": "ScheduleAnyway",
             "labelSelector": {"matchLabels": {"app": app}}}]
    meta = {"name": f"p{i}", "namespace": "default", "uid": f"u{i}", "labels": {"app": app}}
    if i % 7 == 0:
        meta["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    return {"metadata": meta, "spec": spec}


def test_indexed_counts_equal_scanned_counts() -> None:
    rng = random.Random(3)
    sched = FakeScheduler(0)
    cache = sched.cache
    for i in range(30):
        labels = {"kubernetes.io/hostname": f"n{i}"}
        if i % 5:
            labels["zone"] = f"z{i % 4}"
        cache.add_node({"metadata": {"name": f"n{i}", "labels": labels},
                        "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
    plugin = next(p for p in sched.framework.plugins if p.name == "PodTopologySpread")
    incoming = PodInfo({**_pod(1000, "web", ""), "metadata": {
        "name": "new", "namespace": "default", "uid": "new", "labels": {"app": "web"}}})
    live = []
    for step in range(200):
        if live and rng.random() < 0.3:
            cache.remove_pod(live.pop(rng.randrange(len(live))))
        else:
            pod = _pod(step, rng.choice(["web", "db"]), f"n{rng.randrange(30)}")
            cache.add_pod(pod)
            live.append(pod)
        states = []
        for indexed in (True, False):
            original = plugin._indexed
            if not indexed:
                plugin._indexed = lambda *a: None
            try:
                state = CycleState()
                plugin.pre_filter(state, incoming, cache.list())
                plugin.pre_score(state, incoming, cache.list())
                scores = plugin.score_nodes(state, incoming, cache.list())
            finally:
                plugin._indexed = original
            states.append((state.read(pts.STATE_KEY).counts,
                           state.read(pts.PRE_SCORE_KEY).counts, scores))
        assert states[0] == states[1]
