"""A pod change with no deletion scheduled anywhere and no NoExecute taint on
its node returns at once (``processPodOnNode`` would only cancel, and there is
nothing to cancel): random pods, nodes and scheduled deletions must leave the
same schedule, timers and events as the plain path."""

from __future__ import annotations

import random
from typing import Any

import pytest

from engine.controllers.nodelifecycle.eviction import TaintEvictionController

Obj = dict[str, Any]


class _Timer:
    def __init__(self, log: list[Any], args: tuple) -> None:
        self.log, self.args = log, args

    def cancel(self) -> None:
        self.log.append(("cancel", self.args))


class _Clock:
    def __init__(self, log: list[Any]) -> None:
        self.log = log

    def monotonic(self) -> float:
        return 100.0

    def call_later(self, delay: float, fn: Any, *args: Any) -> _Timer:
        self.log.append(("timer", delay, args))
        return _Timer(self.log, args)


class _Recorder:
    def __init__(self, log: list[Any]) -> None:
        self.log = log

    def event(self, obj: Obj, *args: Any) -> None:
        self.log.append(("event", obj["metadata"]["name"], args))


class _Nodes:
    def __init__(self, nodes: dict[str, Obj]) -> None:
        self.indexer = self
        self.nodes = nodes

    def get_by_key(self, name: str) -> Obj | None:
        return self.nodes.get(name)


def _controller(nodes: dict[str, Obj], scheduled: dict[str, Any]) -> tuple[Any, list[Any]]:
    log: list[Any] = []
    ctrl = object.__new__(TaintEvictionController)
    ctrl.clock = _Clock(log)  # type: ignore[assignment]
    ctrl.recorder = _Recorder(log)  # type: ignore[assignment]
    ctrl.nodes = _Nodes(nodes)  # type: ignore[assignment]
    ctrl.scheduled = {k: (uid, due, _Timer(log, (k,))) for k, (uid, due) in scheduled.items()}
    return ctrl, log


def _taint(rng: random.Random) -> Obj:
    return {"key": rng.choice(["node.kubernetes.io/unreachable", "dedicated"]),
            "effect": rng.choice(["NoExecute", "NoSchedule"])}


def _pod(rng: random.Random, i: int) -> Obj:
    tolerations = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                    "effect": "NoExecute", "tolerationSeconds": rng.choice([0, 60, 300])}
                   ] if rng.random() < 0.5 else []
    meta: Obj = {"name": f"p{i}", "namespace": "default", "uid": f"u{i}"}
    if rng.random() < 0.2:
        meta["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    return {"metadata": meta,
            "spec": {"nodeName": rng.choice(["", "n1", "n2", "gone"]),
                     "tolerations": tolerations},
            "status": {"phase": rng.choice(["Running", "Running", "Succeeded"])}}


def _state(ctrl: Any, log: list[Any]) -> Any:
    return sorted((k, v[0], v[1]) for k, v in ctrl.scheduled.items()), log


@pytest.mark.parametrize("seed", range(5))
def test_pod_changes_match_the_plain_path(seed: int) -> None:
    rng = random.Random(seed)
    acted = 0
    for _ in range(500):
        nodes = {n: {"metadata": {"name": n},
                     "spec": {"taints": [_taint(rng) for _ in range(rng.randrange(3))]}}
                 for n in ("n1", "n2")}
        scheduled = {f"default/p{i}": (rng.choice([f"u{i}", "other"]), 150.0)
                     for i in range(3) if rng.random() < 0.15}
        pod = _pod(rng, rng.randrange(3))
        fast, fast_log = _controller(nodes, scheduled)
        plain, plain_log = _controller(nodes, scheduled)
        fast._pod_changed(pod)
        if pod["spec"]["nodeName"]:  # the handler as it was: always processPodOnNode
            plain.process(pod, plain.nodes.indexer.get_by_key(pod["spec"]["nodeName"]))
        assert _state(fast, fast_log) == _state(plain, plain_log)
        acted += bool(plain_log) or plain.scheduled != scheduled
    assert acted > 50
