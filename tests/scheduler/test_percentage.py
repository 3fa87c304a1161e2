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
        self.framework = Framework(config.default_plugins(self), config.SCORE_WEIGHTS,
                                   cache=self.cache)
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


def _pinned(names: list[str], nominated: str = "") -> PodInfo:
    """A pod whose required node affinity names ``names`` (PreFilter narrows to them)."""
    pod = {"metadata": {"name": "p", "namespace": "d", "uid": "u"},
           "spec": {"containers": [{"name": "c", "image": "pause"}],
                    "affinity": {"nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [{"matchFields": [
                                {"key": "metadata.name", "operator": "In",
                                 "values": names}]}]}}}}}
    if nominated:
        pod["status"] = {"nominatedNodeName": nominated}
    return PodInfo(pod)


def test_next_start_index_counts_modulo_every_node() -> None:
    """Upstream ``findNodesThatFitPod``: nextStartNodeIndex advances by the nodes
    processed modulo all nodes, also when PreFilter left only some of them
    (the walk itself starts at the index modulo the nodes left)."""
    sched = FakeScheduler(200)
    pi = _pinned([f"n{i}" for i in range(150)])
    firsts = []
    for _ in range(3):
        record = AttemptRecord(pi.key, 1, "t", 200)
        schedule_pod(sched, CycleState(), pi, record)
        assert record.num_to_find == 100 and len(record.feasible) == 100
        firsts.append(record.feasible[0].name)
    # 0 -> 100 -> 200 % 200 = 0 -> 100; the second walk starts at n100 (100 % 150).
    assert firsts == ["n0", "n100", "n0"]
    assert sched.next_start_node_index == 100


def test_failed_nominated_node_counts_as_processed() -> None:
    """A nominated node that fails its filters keeps its status in the diagnosis
    (upstream evaluates it first, into the same NodeToStatus), so it counts in
    the processed nodes even when the walk does not reach it."""
    sched = FakeScheduler(300)
    sched.cache.update_node({}, {"metadata": {"name": "n250", "labels": {}},
                                 "spec": {"unschedulable": True},
                                 "status": {"allocatable": {"cpu": "4", "memory": "32Gi",
                                                            "pods": "110"}}})
    pi = PodInfo({"metadata": {"name": "p", "namespace": "d", "uid": "u"},
                  "spec": {"containers": [{"name": "c", "image": "pause"}]},
                  "status": {"nominatedNodeName": "n250"}})
    record = AttemptRecord(pi.key, 1, "t", 300)
    schedule_pod(sched, CycleState(), pi, record)
    assert record.num_to_find == 144 and len(record.feasible) == 144
    assert list(record.statuses) == ["n250"]
    assert record.evaluated == 145
    assert sched.next_start_node_index == 145


def test_without_score_plugins_one_node_is_found() -> None:
    """Upstream ``findNodesThatPassFilters``: a profile without score plugins
    (and no extenders) stops at the first feasible node."""
    sched = FakeScheduler(300)
    sched.framework.score = []
    first = _attempt(sched)
    assert first.num_to_find == 1 and [n.name for n in first.feasible] == ["n0"]
    assert sched.next_start_node_index == 1
    assert [n.name for n in _attempt(sched).feasible] == ["n1"]
