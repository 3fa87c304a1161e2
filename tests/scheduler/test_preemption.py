"""DefaultPreemption: a higher-priority pod evicts a lower one when it must."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import (
    WORKER,
    condition,
    create,
    events,
    explain,
    get,
    node_of,
    pod,
)


def _priority_class(cluster: Cluster, name: str, value: int, **extra: object) -> None:
    cluster.client.create("priorityclasses", {
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": name}, "value": value, **extra})


def test_high_priority_pod_preempts_low_priority_one(cluster: Cluster) -> None:
    _priority_class(cluster, "high", 1000)
    _priority_class(cluster, "low", 10)
    on_worker = {"kubernetes.io/hostname": WORKER}
    victim = pod("low", cpu="3", priorityClassName="low", nodeSelector=on_worker,
                 terminationGracePeriodSeconds=5, image="busybox:1.36")
    victim["spec"]["containers"][0]["command"] = ["sleep", "3600"]  # ignores SIGTERM
    create(cluster, victim)
    cluster.advance(2)
    assert node_of(cluster, "low") == WORKER
    create(cluster, pod("high", cpu="3", priorityClassName="high", nodeSelector=on_worker))
    cluster.advance(1)
    victim = get(cluster, "low")
    assert victim["metadata"].get("deletionTimestamp")
    target = condition(victim, "DisruptionTarget")
    assert target is not None and target["reason"] == "PreemptionByScheduler"
    assert target["message"] == ("default-scheduler: preempting to accommodate a higher "
                                 "priority pod")
    high = get(cluster, "high")
    assert high["status"].get("nominatedNodeName") == WORKER
    # Preemption succeeded, so the message carries no "preemption: ..." part.
    assert events(cluster, "high", "FailedScheduling")[0]["message"] == (
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node "
        "affinity/selector, 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }.")
    preempted = events(cluster, "low", "Preempted")
    assert preempted[-1]["message"] == (f"Preempted by pod {high['metadata']['uid']} on node "
                                        f"{WORKER}")
    record = explain(cluster, "high")
    assert record["preemption"]["nominatedNode"] == WORKER
    assert record["preemption"]["victims"] == ["default/low"]
    cluster.advance(10)  # the victim's grace period passes; it is gone
    assert node_of(cluster, "high") == WORKER
    assert events(cluster, "high", "Scheduled")


def test_equal_priority_does_not_preempt(cluster: Cluster) -> None:
    on_worker = {"kubernetes.io/hostname": WORKER}
    create(cluster, pod("first", cpu="3", nodeSelector=on_worker))
    cluster.advance(1)
    create(cluster, pod("second", cpu="3", nodeSelector=on_worker))
    cluster.advance(2)
    assert get(cluster, "first")["metadata"].get("deletionTimestamp") is None
    assert node_of(cluster, "second") == ""


def test_preemption_policy_never(cluster: Cluster) -> None:
    _priority_class(cluster, "polite", 1000, preemptionPolicy="Never")
    on_worker = {"kubernetes.io/hostname": WORKER}
    create(cluster, pod("low", cpu="3", nodeSelector=on_worker))
    cluster.advance(1)
    create(cluster, pod("polite", cpu="3", priorityClassName="polite", nodeSelector=on_worker))
    cluster.advance(2)
    cond = condition(get(cluster, "polite"), "PodScheduled")
    assert cond["message"].endswith(
        "preemption: not eligible due to preemptionPolicy=Never..")
    assert get(cluster, "low")["metadata"].get("deletionTimestamp") is None


def test_pdb_protected_pod_is_spared_when_possible(cluster: Cluster) -> None:
    _priority_class(cluster, "high", 1000)
    on_worker = {"kubernetes.io/hostname": WORKER}
    create(cluster, pod("guarded", cpu="1500m", labels={"app": "guarded"},
                        nodeSelector=on_worker, terminationGracePeriodSeconds=0))
    create(cluster, pod("free", cpu="1500m", labels={"app": "free"},
                        nodeSelector=on_worker, terminationGracePeriodSeconds=0))
    cluster.client.create("poddisruptionbudgets", {
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "guard"},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "guarded"}}}},
        namespace="default")
    cluster.advance(2)
    create(cluster, pod("vip", cpu="2", priorityClassName="high", nodeSelector=on_worker))
    cluster.advance(3)
    assert node_of(cluster, "vip") == WORKER
    names = {p["metadata"]["name"] for p in cluster.client.list("pods", "default")["items"]}
    assert "guarded" in names and "free" not in names
