"""percentageOfNodesToScore in a scheduling cycle, on a cache of fake nodes."""

from __future__ import annotations

import random

from engine.scheduler import config
from engine.scheduler.cache.cache import Cache
from engine.scheduler.explain import AttemptRecord
from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.runtime import Framework
from engine.scheduler.queue.scheduling_queue import SchedulingQueue
from engine.scheduler.schedule_one import schedule_pod


class FakeScheduler:
    """Just what a scheduling cycle reads (the handle the plugins see)."""

    def __init__(self, nodes: int) -> None:
        self.cache = Cache()
        for i in range(nodes):
            self.cache.add_node({"metadata": {"name": f"n{i}", "labels": {}},
                                 "status": {"allocatable": {"cpu": "4", "memory": "32Gi",
                                                            "pods": "110"}}})
        self.framework = Framework(config.default_plugins(self), config.SCORE_WEIGHTS)
        self.queue = SchedulingQueue(clock=None)
        self.percentage_of_nodes_to_score = 0
        self.next_start_node_index = 0
        self.rng = random.Random(0)

    def default_selector(self, pod: dict) -> None:
        return None

    def namespace_labels(self, namespace: str) -> dict:
        return {}

    def namespaces(self) -> dict:
        return {}


def _attempt(sched: FakeScheduler) -> AttemptRecord:
    pi = PodInfo({"metadata": {"name": "p", "namespace": "d", "uid": "u"},
                  "spec": {"containers": [{"name": "c", "image": "pause", "resources": {
                      "requests": {"cpu": "100m", "memory": "500Mi"}}}]}})
    record = AttemptRecord(pi.key, 1, "t", sched.cache.num_nodes())
    schedule_pod(sched, CycleState(), pi, record)
    return record


def test_5000_nodes_score_500() -> None:
    sched = FakeScheduler(5000)
    record = _attempt(sched)
    assert record.num_to_find == 500 and record.evaluated == 500
    assert len(record.feasible) == 500 and len(record.score.nodes) == 500
    assert sched.next_start_node_index == 500  # the next cycle starts where this one stopped
    assert _attempt(sched).feasible[0].name == "n500"


def test_100_nodes_score_all() -> None:
    sched = FakeScheduler(100)
    record = _attempt(sched)
    assert record.num_to_find == 100 and record.evaluated == 100


def test_1000_nodes_score_420() -> None:
    record = _attempt(FakeScheduler(1000))
    assert record.num_to_find == 420 and len(record.feasible) == 420
