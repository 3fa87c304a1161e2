"""Requests larger than any node, and resource accounting."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import (
    TAINT_MSG,
    WORKER,
    WORKER2,
    create,
    failed_message,
    node_of,
    pod,
)


def test_insufficient_cpu(cluster: Cluster) -> None:
    create(cluster, pod("big", cpu="16"))
    cluster.advance(2)
    assert node_of(cluster, "big") == ""
    assert failed_message(cluster, "big") == (
        f"0/3 nodes are available: {TAINT_MSG}, 2 Insufficient cpu. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling..")


def test_insufficient_memory(cluster: Cluster) -> None:
    create(cluster, pod("fat", memory="64Gi"))
    cluster.advance(2)
    assert failed_message(cluster, "fat") == (
        f"0/3 nodes are available: {TAINT_MSG}, 2 Insufficient memory. preemption: 0/3 nodes "
        "are available: 3 Preemption is not helpful for scheduling..")


def test_insufficient_cpu_and_memory_counts_each_reason(cluster: Cluster) -> None:
    create(cluster, pod("huge", cpu="16", memory="64Gi"))
    cluster.advance(2)
    assert failed_message(cluster, "huge").startswith(
        f"0/3 nodes are available: {TAINT_MSG}, 2 Insufficient cpu, 2 Insufficient memory. ")


def test_requests_fill_nodes_then_wait(cluster: Cluster) -> None:
    # 4 CPUs per worker: three 1.5-CPU pods fit two workers only twice.
    for i in range(5):
        create(cluster, pod(f"p{i}", cpu="1500m"))
    cluster.advance(3)
    placed = [node_of(cluster, f"p{i}") for i in range(5)]
    assert sorted(p for p in placed if p) == [WORKER, WORKER, WORKER2, WORKER2]
    pending = [f"p{i}" for i in range(5) if not placed[i]]
    assert len(pending) == 1
    assert failed_message(cluster, pending[0]) == (
        f"0/3 nodes are available: {TAINT_MSG}, 2 Insufficient cpu. preemption: 0/3 nodes are "
        "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found "
        "for incoming pod..")


def test_deleting_a_pod_frees_room(cluster: Cluster) -> None:
    for i in range(5):
        create(cluster, pod(f"p{i}", cpu="1500m"))
    cluster.advance(3)
    pending = next(f"p{i}" for i in range(5) if not node_of(cluster, f"p{i}"))
    victim = next(f"p{i}" for i in range(5) if node_of(cluster, f"p{i}"))
    cluster.client.delete("pods", victim, namespace="default", grace_period_seconds=0)
    cluster.advance(3)
    assert node_of(cluster, pending) in (WORKER, WORKER2)


def test_least_allocated_spreads_pods(cluster: Cluster) -> None:
    for i in range(4):
        create(cluster, pod(f"s{i}", cpu="500m", memory="256Mi"))
        cluster.advance(0.5)
    placed = [node_of(cluster, f"s{i}") for i in range(4)]
    assert placed.count(WORKER) == 2 and placed.count(WORKER2) == 2
