"""The replica calculator for Pods, Object and External metrics, against
upstream's own cases (``pkg/controller/podautoscaler/replica_calculator_test.go``,
values in milli-units as there)."""

from __future__ import annotations

import pytest

from engine.controllers.podautoscaler.plain import (
    per_pod_replicas,
    plain_metric_replicas,
    usage_ratio_replica_count,
)
from engine.metrics import PodMetric


def _pods(*ready: bool) -> list[dict]:
    return [{"metadata": {"name": f"p{i}"},
             "status": {"phase": "Running",
                        "conditions": [{"type": "Ready", "status": "True" if r else "False"}]}}
            for i, r in enumerate(ready)]


def _raw(*levels: int) -> dict[str, PodMetric]:
    return {f"p{i}": PodMetric(float(v), 0.0, 60.0) for i, v in enumerate(levels)}


@pytest.mark.parametrize(("case", "current", "levels", "target", "want"), [
    ("TestReplicaCalcScaleUpCM", 3, (20000, 10000, 30000), 15000, (4, 20000)),
    ("TestReplicaCalcScaleDownCM", 5, (12000,) * 5, 20000, (3, 12000)),
    ("TestReplicaCalcToleranceCM", 3, (20000, 21000, 21000), 20000, (3, 20666)),
])
def test_pods_metric(case: str, current: int, levels: tuple[int, ...], target: int,
                     want: tuple[int, int]) -> None:
    pods = _pods(*[True] * len(levels))
    assert plain_metric_replicas(current, target, pods, _raw(*levels), 0.0) == want, case


def test_pods_metric_ignores_readiness() -> None:
    """TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale: readiness is CPU's test only."""
    pods = _pods(True, True, False)
    assert plain_metric_replicas(3, 15000, pods, _raw(50000, 10000, 30000), 0.0) == (6, 30000)


def test_pending_pods_are_unready_not_missing() -> None:
    """groupPods: a Pending pod is unready before it is missing. On a
    scale-down an unready pod is left out (a missing one would count as
    using the target: 2 replicas)."""
    pods = _pods(True, True)
    pods[1]["status"]["phase"] = "Pending"
    assert plain_metric_replicas(2, 10000, pods, _raw(5000), 0.0) == (1, 5000)


@pytest.mark.parametrize(("case", "current", "ready", "usage", "target", "want"), [
    ("TestReplicaCalcScaleUpCMObject", 3, (True,) * 3, 20000, 15000, 4),
    ("TestReplicaCalcScaleDownCMObject", 5, (True,) * 5, 12000, 20000, 3),
    ("TestReplicaCalcToleranceCMObject", 3, (True,) * 3, 20666, 20000, 3),
    ("TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods", 3, (False, True, False),
     50000, 10000, 5),
    ("TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods", 3, (False, True, False),
     8600, 4400, 2),
    ("TestReplicaCalcScaleDownCMExternal", 5, (True,) * 5, 8600, 14334, 3),
])
def test_value_targets(case: str, current: int, ready: tuple[bool, ...], usage: int,
                       target: int, want: int) -> None:
    assert usage_ratio_replica_count(current, usage / target, _pods(*ready)) == want, case


@pytest.mark.parametrize(("case", "replicas", "usage", "target", "want"), [
    ("TestReplicaCalcScaleUpCMPerPodObject", 3, 20000, 5000, (4, 6667)),
    ("TestReplicaCalcScaleDownPerPodCMObject", 5, 6000, 2000, (3, 1200)),
    ("TestReplicaCalcTolerancePerPodCMObject", 4, 20166, 5000, (4, 5042)),
    ("TestReplicaCalcScaleUpPerPodCMExternal", 3, 8600, 2150, (4, 2867)),
    ("TestReplicaCalcScaleDownPerPodCMExternal", 5, 8600, 2867, (3, 1720)),
    ("TestReplicaCalcTolerancePerPodCMExternal", 3, 8600, 2900, (3, 2867)),
])
def test_average_value_targets(case: str, replicas: int, usage: int, target: int,
                               want: tuple[int, int]) -> None:
    assert per_pod_replicas(replicas, target, usage) == want, case


def test_from_zero_replicas_the_ratio_alone_decides() -> None:
    """getUsageRatioReplicaCount: no tolerance and no pods needed at zero."""
    assert usage_ratio_replica_count(0, 2.5, []) == 3
    assert usage_ratio_replica_count(0, 0.0, []) == 0
