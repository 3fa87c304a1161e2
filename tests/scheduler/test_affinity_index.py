"""The cache's incremental affinity counts agree with a full recount."""

from __future__ import annotations

import random

from engine.scheduler.cache.cache import Cache
from engine.scheduler.framework.pod_info import PodInfo


def _node(name: str, zone: str) -> dict:
    return {"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                  "zone": zone}},
            "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}


def _pod(i: int, app: str, node: str, anti: bool) -> dict:
    spec: dict = {"nodeName": node, "containers": [{"name": "c", "image": "x"}]}
    if anti:
        spec["affinity"] = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "zone"}]}}
    return {"metadata": {"name": f"p{i}", "namespace": "default", "uid": f"u{i}",
                         "labels": {"app": app}}, "spec": spec}


def _recount(cache: Cache, app: str, key: str) -> dict:
    counts: dict = {}
    for ni in cache.list():
        for pi in ni.pods.values():
            if pi.labels.get("app") == app and key in ni.labels:
                pair = (key, ni.labels[key])
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def test_counts_follow_pod_and_node_changes() -> None:
    rng = random.Random(7)
    cache = Cache()
    for i in range(12):
        cache.add_node(_node(f"n{i}", f"z{i % 3}"))
    probe = PodInfo(_pod(999, "web", "", True))
    term = probe.required_anti_affinity[0]

    def query() -> dict:
        return dict(cache.affinity.counts(("t", term.sig),
                                          lambda p: term.matches(p.namespace, p.labels, None),
                                          ("zone",)))

    live: dict[int, dict] = {}
    for step in range(400):
        action = rng.random()
        if action < 0.6 or not live:
            i = step
            live[i] = _pod(i, rng.choice(["web", "db"]), f"n{rng.randrange(12)}",
                           rng.random() < 0.5)
            cache.add_pod(live[i])
        elif action < 0.9:
            i = rng.choice(list(live))
            cache.remove_pod(live.pop(i))
        else:
            n = rng.randrange(12)
            old = cache.get(f"n{n}").node
            cache.update_node(old, _node(f"n{n}", f"z{rng.randrange(4)}"))
        assert query() == _recount(cache, "web", "zone")
        anti = {}
        for t, pairs in cache.affinity.anti_terms():
            for pair, count in pairs.items():
                anti[(t.sig, pair)] = count
        expected: dict = {}
        for ni in cache.list():
            for pi in ni.pods_with_required_anti_affinity.values():
                for t in pi.required_anti_affinity:
                    key = (t.sig, ("zone", ni.labels["zone"]))
                    expected[key] = expected.get(key, 0) + 1
        assert anti == expected
