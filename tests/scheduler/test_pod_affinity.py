"""Inter-pod affinity and anti-affinity, and topology spread."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import (
    TAINT_MSG,
    WORKER,
    WORKER2,
    create,
    failed_message,
    label_node,
    node_of,
    pod,
)

ANTI_HOSTNAME = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
    {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}

ANTI_MESSAGE = (f"0/3 nodes are available: {TAINT_MSG}, 2 node(s) didn't match pod "
                "anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not "
                "helpful for scheduling, 2 No preemption victims found for incoming pod..")


def deployment(name: str, replicas: int, template_spec: dict, labels: dict) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": template_spec}}}


def test_anti_affinity_spreads_replicas_one_per_node(full_cluster: Cluster) -> None:
    c = full_cluster
    spec = {"affinity": ANTI_HOSTNAME,
            "containers": [{"name": "web", "image": "nginx:1.14.2"}]}
    c.client.create("deployments", deployment("web", 3, spec, {"app": "web"}),
                    namespace="default")
    c.advance(10)
    pods = c.client.list("pods", "default", label_selector="app=web")["items"]
    assert len(pods) == 3
    nodes = sorted(p["spec"].get("nodeName") or "" for p in pods)
    assert nodes == ["", WORKER, WORKER2]
    pending = next(p for p in pods if not p["spec"].get("nodeName"))
    assert failed_message(c, pending["metadata"]["name"]) == ANTI_MESSAGE


def test_anti_affinity_plain_pods(cluster: Cluster) -> None:
    for i in range(3):
        create(cluster, pod(f"web{i}", labels={"app": "web"}, affinity=ANTI_HOSTNAME))
        cluster.advance(1)
    placed = [node_of(cluster, f"web{i}") for i in range(3)]
    assert sorted(placed[:2]) == [WORKER, WORKER2] and placed[2] == ""
    assert failed_message(cluster, "web2") == ANTI_MESSAGE
    # Deleting one replica lets the pending one in (AssignedPodDelete + hint).
    cluster.client.delete("pods", "web0", namespace="default", grace_period_seconds=0)
    cluster.advance(3)
    assert node_of(cluster, "web2") == placed[0]


def test_existing_pods_anti_affinity(cluster: Cluster) -> None:
    create(cluster, pod("loner", labels={"app": "loner"}, affinity={"podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "noisy"}},
             "topologyKey": "kubernetes.io/hostname"}]}}))
    cluster.advance(1)
    where = node_of(cluster, "loner")
    assert where
    for i in range(3):
        create(cluster, pod(f"noisy{i}", labels={"app": "noisy"}))
    cluster.advance(2)
    assert all(node_of(cluster, f"noisy{i}") not in ("", where) for i in range(3))


def test_required_pod_affinity_colocates(cluster: Cluster) -> None:
    create(cluster, pod("db", labels={"app": "db"}, nodeSelector={
        "kubernetes.io/hostname": WORKER2}))
    cluster.advance(1)
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "db"}},
         "topologyKey": "kubernetes.io/hostname"}]}}
    for i in range(3):
        create(cluster, pod(f"cache{i}", labels={"app": "cache"}, affinity=affinity))
    cluster.advance(2)
    assert {node_of(cluster, f"cache{i}") for i in range(3)} == {WORKER2}


def test_pod_affinity_without_match_is_unresolvable(cluster: Cluster) -> None:
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "nothing"}},
         "topologyKey": "kubernetes.io/hostname"}]}}
    create(cluster, pod("lonely", labels={"app": "lonely"}, affinity=affinity))
    cluster.advance(2)
    assert failed_message(cluster, "lonely") == (
        f"0/3 nodes are available: {TAINT_MSG}, 2 node(s) didn't match pod affinity rules. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..")


def test_self_affinity_first_pod_is_allowed(cluster: Cluster) -> None:
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "herd"}},
         "topologyKey": "kubernetes.io/hostname"}]}}
    for i in range(3):
        create(cluster, pod(f"herd{i}", labels={"app": "herd"}, affinity=affinity))
        cluster.advance(1)
    nodes = {node_of(cluster, f"herd{i}") for i in range(3)}
    assert len(nodes) == 1 and "" not in nodes


def test_preferred_anti_affinity_spreads(cluster: Cluster) -> None:
    affinity = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "s"}},
                                            "topologyKey": "kubernetes.io/hostname"}}]}}
    for i in range(2):
        create(cluster, pod(f"s{i}", labels={"app": "s"}, affinity=affinity))
        cluster.advance(1)
    assert {node_of(cluster, "s0"), node_of(cluster, "s1")} == {WORKER, WORKER2}


def test_topology_spread_do_not_schedule(cluster: Cluster) -> None:
    label_node(cluster, WORKER, {"topology.kubernetes.io/zone": "a"})
    label_node(cluster, WORKER2, {"topology.kubernetes.io/zone": "b"})
    cluster.advance(0.5)
    tsc = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "t"}}}]
    for i in range(4):
        create(cluster, pod(f"t{i}", labels={"app": "t"}, topologySpreadConstraints=tsc,
                            nodeSelector={"kubernetes.io/os": "linux"}))
        cluster.advance(0.5)
    placed = [node_of(cluster, f"t{i}") for i in range(4)]
    assert placed.count(WORKER) == 2 and placed.count(WORKER2) == 2
    # A constraint on a key no node has: missing required label.
    create(cluster, pod("odd", labels={"app": "odd"}, topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "rack", "whenUnsatisfiable": "DoNotSchedule",
         "labelSelector": {"matchLabels": {"app": "odd"}}}]))
    cluster.advance(1)
    assert "2 node(s) didn't match pod topology spread constraints (missing required label)" \
        in failed_message(cluster, "odd")


def test_deployment_replicas_spread_by_system_default(full_cluster: Cluster) -> None:
    c = full_cluster
    spec = {"containers": [{"name": "web", "image": "nginx:1.14.2",
                            "resources": {"requests": {"cpu": "10m"}}}]}
    c.client.create("deployments", deployment("spread", 6, spec, {"app": "spread"}),
                    namespace="default")
    c.advance(10)
    pods = c.client.list("pods", "default", label_selector="app=spread")["items"]
    nodes = [p["spec"].get("nodeName") for p in pods]
    assert nodes.count(WORKER) == 3 and nodes.count(WORKER2) == 3
