"""Taints and tolerations (acceptance items for the scheduler's part)."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import (
    WORKER,
    WORKER2,
    create,
    explain,
    get,
    node_of,
    pod,
    taint_node,
)


def test_no_schedule_keeps_new_pods_off_and_running_ones_on(cluster: Cluster) -> None:
    create(cluster, pod("old", cpu="100m", nodeSelector={"kubernetes.io/hostname": WORKER}))
    cluster.advance(2)
    assert node_of(cluster, "old") == WORKER
    taint_node(cluster, WORKER, [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
    cluster.advance(1)
    for i in range(4):
        create(cluster, pod(f"new{i}", cpu="100m"))
    cluster.advance(2)
    assert {node_of(cluster, f"new{i}") for i in range(4)} == {WORKER2}
    assert node_of(cluster, "old") == WORKER  # the scheduler never moves a running pod
    assert get(cluster, "old")["metadata"].get("deletionTimestamp") is None


def test_toleration_allows_tainted_node(cluster: Cluster) -> None:
    taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    taint_node(cluster, WORKER, [taint])
    taint_node(cluster, WORKER2, [taint])
    cluster.advance(1)
    create(cluster, pod("tolerant", tolerations=[
        {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]))
    create(cluster, pod("exists", tolerations=[{"operator": "Exists"}]))
    create(cluster, pod("intolerant"))
    cluster.advance(2)
    assert node_of(cluster, "tolerant") in (WORKER, WORKER2)
    assert node_of(cluster, "exists") != ""
    assert node_of(cluster, "intolerant") == ""
    cond = next(c for c in get(cluster, "intolerant")["status"]["conditions"]
                if c["type"] == "PodScheduled")
    assert cond["message"].startswith(
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint "
        "{dedicated: gpu}. ")


def test_prefer_no_schedule_is_avoided_when_possible(cluster: Cluster) -> None:
    taint_node(cluster, WORKER, [{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}])
    cluster.advance(1)
    for i in range(5):
        create(cluster, pod(f"p{i}", cpu="100m"))
        cluster.advance(0.3)
    assert {node_of(cluster, f"p{i}") for i in range(5)} == {WORKER2}
    record = explain(cluster, "p4")
    scores = {n["node"]: n["plugins"]["TaintToleration"] for n in record["score"]["nodes"]}
    assert scores[WORKER] == {"raw": 1, "normalized": 0, "weight": 3, "weighted": 0}
    assert scores[WORKER2] == {"raw": 0, "normalized": 100, "weight": 3, "weighted": 300}


def test_prefer_no_schedule_used_when_nothing_else_fits(cluster: Cluster) -> None:
    taint_node(cluster, WORKER, [{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}])
    cluster.advance(1)
    create(cluster, pod("a", cpu="3"))
    cluster.advance(1)
    create(cluster, pod("b", cpu="3"))
    cluster.advance(1)
    assert node_of(cluster, "a") == WORKER2
    assert node_of(cluster, "b") == WORKER


def test_cordoned_node(cluster: Cluster) -> None:
    cluster.client.patch("nodes", WORKER, {"spec": {"unschedulable": True}},
                         "application/merge-patch+json")
    cluster.advance(1)
    for i in range(3):
        create(cluster, pod(f"c{i}"))
    cluster.advance(2)
    assert {node_of(cluster, f"c{i}") for i in range(3)} == {WORKER2}
