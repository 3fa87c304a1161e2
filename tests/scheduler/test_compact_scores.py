"""Compact scores (framework/scoring.py) against the per-node score lists.

Randomized clusters go through many scheduling-like steps: pods come and go,
nodes change labels, allocatable and taints; after each step the score
phase runs on a random window of the node list with the compact path and
with the per-node path (``scoring.COMPACT`` off). Totals, every plugin's raw
and normalised scores, the explanation entries and best nodes, and the node
``select_host`` picks with the same random draw must be the same.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.scheduler.explain import AttemptRecord
from engine.scheduler.framework import scoring
from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.schedule_one import select_host, select_host_compact
from tests.scheduler.test_spread_codes import HOST, ZONE, OwnedScheduler, _pod

SHAPES = ["no-zone", "zones", "mixed", "empty-zone"]


def _labels(shape: str, i: int, rng: random.Random) -> dict[str, str]:
    out = {HOST: f"n{i}"}
    if shape == "zones" or (shape == "mixed" and rng.random() < 0.6):
        out[ZONE] = f"z{rng.randrange(3)}"
    if shape == "empty-zone":
        out[ZONE] = rng.choice(["", "z1"])
    return out


def _node(shape: str, i: int, rng: random.Random, tainted: bool = False) -> dict[str, Any]:
    taints = []
    if tainted and rng.random() < 0.3:  # PreferNoSchedule: TaintToleration normalises
        taints.append({"key": "k", "value": "v", "effect": "PreferNoSchedule"})
    return {"metadata": {"name": f"n{i}", "labels": _labels(shape, i, rng)},
            "spec": {"taints": taints},
            "status": {"allocatable": {"cpu": rng.choice(["2", "4"]),
                                       "memory": rng.choice(["8Gi", "32Gi"]),
                                       "pods": "110"}}}


def _incoming(rng: random.Random, step: int) -> PodInfo:
    spread = None
    if rng.random() < 0.3:
        keys = rng.choice([[HOST], [HOST, ZONE], [ZONE, HOST], [ZONE]])
        spread = [{"maxSkew": rng.randrange(1, 4), "topologyKey": key,
                   "whenUnsatisfiable": "ScheduleAnyway",
                   "labelSelector": {"matchLabels": {"app": "web"}}} for key in keys]
    pod = _pod(10_000 + step, rng.choice(["web", "web", "db", "none"]), spread=spread,
               cpu=rng.choice(["10m", "100m", "0"]))
    return PodInfo(pod)


def _score(sched: OwnedScheduler, pod: PodInfo, nodes: list, compact: bool,
           draw: int) -> tuple:
    fwk = sched.framework
    scoring.COMPACT = compact
    try:
        state = CycleState()
        assert fwk.run_pre_score(state, pod, nodes) is None
        result = fwk.run_score(state, pod, nodes)
    finally:
        scoring.COMPACT = True
    assert compact or result.ids is None
    sched.rng = random.Random(draw)
    if result.ids is not None:
        host = select_host_compact(sched, nodes, result.ids, result.id_total,
                                   result.id_count)
        assert result.id_count == {e: result.ids.count(e) for e in set(result.ids)}
    else:
        host = select_host(sched, nodes, result.totals)
    record = AttemptRecord("ns/p", 1, "t", len(nodes))
    record.score = result
    best = {limit: record._best(limit) for limit in (None, 1, 3, 10)}
    everything = list(range(len(nodes)))
    return (list(result.totals), result.offset, result.plugin_scores(),
            [(result.total(i), result.node_scores(i)) for i in everything],
            result.entries(everything), host, best, record.to_annotation())


@pytest.mark.parametrize("seed", range(40))
def test_compact_scores_like_the_per_node_lists(seed: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    # Entries counted one by one (few per key) or through a set of the ids.
    monkeypatch.setattr(scoring, "MAX_COUNTED", rng.choice([0, 3, 24]))
    shape = rng.choice(SHAPES)
    tainted = seed % 5 == 4
    sched = OwnedScheduler(0)
    count = rng.randrange(2, 14)
    for i in range(count):
        sched.cache.add_node(_node(shape, i, rng, tainted))
    live: list[dict] = []
    compact_used = 0
    for step in range(60):
        roll = rng.random()
        cache = sched.cache
        if roll < 0.25 and live:
            cache.remove_pod(live.pop(rng.randrange(len(live))))
        elif roll < 0.32:
            i = rng.randrange(count)
            cache.update_node({}, _node(shape, i, rng, tainted))
        elif roll < 0.34:
            cache.add_node(_node(shape, count, rng, tainted))
            count += 1
        else:
            pod = _pod(step, rng.choice(["web", "web", "db"]),
                       node=rng.choice(cache.list()).name,
                       cpu=rng.choice(["10m", "500m"]), deleting=rng.random() < 0.05)
            cache.add_pod(pod)
            live.append(pod)
        listed = cache.list()
        start, size = rng.randrange(len(listed)), rng.randrange(1, len(listed) + 1)
        window = [listed[(start + k) % len(listed)] for k in range(size)]
        incoming = _incoming(rng, step)
        draw = rng.randrange(1 << 30)
        fast = _score(sched, incoming, window, True, draw)
        plain = _score(sched, incoming, window, False, draw)
        assert fast == plain
        state = CycleState()
        sched.framework.run_pre_score(state, incoming, window)
        compact_used += sched.framework.run_score(state, incoming, window).ids is not None
    assert compact_used or tainted  # the compact path was taken


def test_entry_table_cleared_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full entry table is cleared and every node re-entered (no stale id)."""
    sched = OwnedScheduler(4)
    incoming = PodInfo(_pod(1))
    nodes = sched.cache.list()
    first = _score(sched, incoming, nodes, True, 1)
    monkeypatch.setattr(scoring, "MAX_ENTRIES", 0)
    sched.cache.add_pod(_pod(2, node="n1"))
    again = _score(sched, incoming, nodes, True, 1)
    assert again == _score(sched, incoming, nodes, False, 1)
    assert again != first
