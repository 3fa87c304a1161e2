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

from engine.scheduler.cache import cache as cache_module
from engine.scheduler.explain import AttemptRecord
from engine.scheduler.framework import score_columns, scoring
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
    if rng.random() < 0.15:  # the filters leave these out of the scored nodes
        taints.append({"key": "hard", "value": "", "effect": "NoSchedule"})
    return {"metadata": {"name": f"n{i}", "labels": _labels(shape, i, rng)},
            "spec": {"taints": taints, "unschedulable": rng.random() < 0.1},
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
           draw: int, columns: bool = True) -> tuple:
    fwk = sched.framework
    scoring.COMPACT, scoring.COLUMNS = compact, columns
    try:
        state = CycleState()
        assert fwk.run_pre_score(state, pod, nodes) is None
        result = fwk.run_score(state, pod, nodes)
    finally:
        scoring.COMPACT = scoring.COLUMNS = True
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


def _window(cache: Any, rng: random.Random) -> list:
    """Nodes to score: a window of the node list (wrapping too), often without
    its tainted or cordoned nodes (as the filters leave it), or a sample."""
    listed = cache.list()
    if rng.random() < 0.1:
        return rng.sample(listed, rng.randrange(1, len(listed) + 1))
    start, size = rng.randrange(len(listed)), rng.randrange(1, len(listed) + 1)
    window = [listed[(start + k) % len(listed)] for k in range(size)]
    if rng.random() < 0.6:
        kept = [n for n in window if not (n.hard_taints or n.unschedulable)]
        window = kept or window
    return window


@pytest.mark.parametrize("seed", range(40))
def test_compact_scores_like_the_per_node_lists(seed: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    # Entries counted one by one (few per key) or through a set of the ids.
    monkeypatch.setattr(scoring, "MAX_COUNTED", rng.choice([0, 3, 24]))
    # Columns that run out of codes (then start over) or never do.
    monkeypatch.setattr(score_columns, "MAX_CODES", rng.choice([2, 5, 255]))
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
        window = _window(cache, rng)
        incoming = _incoming(rng, step)
        draw = rng.randrange(1 << 30)
        fast = _score(sched, incoming, window, True, draw)
        assert fast == _score(sched, incoming, window, True, draw, columns=False)
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


def _check_runs(listed: list, nodes: list, runs: list[tuple[int, int]]) -> None:
    assert [listed[p] for first, length in runs for p in range(first, first + length)] == nodes
    assert all(first >= 0 and first + length <= len(listed) for first, length in runs)


@pytest.mark.parametrize("seed", range(30))
def test_window_runs_are_the_nodes(seed: int) -> None:
    """Cache.window_runs: runs whose listed nodes are exactly the given nodes, for
    windows with tainted or cordoned nodes left out; None for other lists."""
    rng = random.Random(seed)
    sched = OwnedScheduler(0)
    for i in range(rng.randrange(1, 16)):
        sched.cache.add_node(_node(rng.choice(SHAPES), i, rng))
    cache = sched.cache
    listed = cache.list()
    for _ in range(30):
        nodes = _window(cache, rng)
        runs = cache.window_runs(nodes)
        if runs is not None:
            _check_runs(listed, nodes, runs)
        elif len(nodes) <= len(listed) and nodes == [
                listed[(nodes[0].index + k) % len(listed)] for k in range(len(nodes))]:
            raise AssertionError("a window without runs")
        if len(nodes) > 2:  # two nodes swapped: runs only if that is still a window
            swapped = [nodes[1], nodes[0], *nodes[2:]]
            runs = cache.window_runs(swapped)
            if runs is not None:
                _check_runs(listed, swapped, runs)
    # A window without its tainted and cordoned nodes has runs.
    bad = [n for n in listed if n.hard_taints or n.unschedulable]
    kept = [n for n in listed if n not in bad]
    if kept:
        assert cache.window_runs(kept) is not None


@pytest.mark.parametrize("seed", range(10))
def test_columns_follow_the_cache_changes(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compact columns after many small changes (pods placed and removed,
    nodes updated, added, removed) give what reading every node gives; also
    when the cache's change log keeps starting over."""
    rng = random.Random(seed)
    monkeypatch.setattr(cache_module, "MAX_CHANGES", rng.choice([2, 7, 1 << 16]))
    sched = OwnedScheduler(0)
    count = rng.randrange(3, 12)
    for i in range(count):
        sched.cache.add_node(_node("no-zone", i, rng))
    cache = sched.cache
    live: list[dict] = []
    incoming = PodInfo(_pod(99_999, "web"))
    for step in range(150):
        roll = rng.random()
        if roll < 0.3 and live:
            cache.remove_pod(live.pop(rng.randrange(len(live))))
        elif roll < 0.35:
            cache.update_node({}, _node("no-zone", rng.randrange(count), rng))
        elif roll < 0.37:
            cache.add_node(_node("no-zone", count, rng))
            count += 1
        elif roll < 0.39 and cache.num_nodes() > 1:
            cache.remove_node({"metadata": {"name": rng.choice(cache.list()).name}})
        else:
            pod = _pod(step, "web", node=rng.choice(cache.list()).name,
                       cpu=rng.choice(["10m", "300m"]))
            cache.add_pod(pod)
            live.append(pod)
        window = _window(cache, rng)
        draw = rng.randrange(1 << 30)
        assert _score(sched, incoming, window, True, draw) == \
            _score(sched, incoming, window, True, draw, columns=False) == \
            _score(sched, incoming, window, False, draw)
