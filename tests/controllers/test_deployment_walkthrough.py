"""The seed walkthrough at controller level: create nginx-deployment, update
the image, scale to 4, roll back to revision 1, delete."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from engine.controllers.deployment.hash import ALPHANUMS, compute_hash
from engine.controllers.deployment.rollback import rollout_undo
from tests.controllers.conftest import events, get, mark_ready, pods

Obj = dict[str, Any]
NAME = "nginx-deployment"
REVISION = "deployment.kubernetes.io/revision"


def nginx_deployment() -> Obj:
    labels = {"app": "nginx"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": NAME, "namespace": "default", "labels": labels},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                                       "ports": [{"containerPort": 80}]}]}}},
    }


def columns(cluster: Cluster) -> tuple[str, int, int]:
    """kubectl get deploy: READY, UP-TO-DATE, AVAILABLE."""
    status = get(cluster, "deployments", NAME)["status"]
    ready = f"{status.get('readyReplicas', 0)}/{get(cluster, 'deployments', NAME)['spec']['replicas']}"
    return ready, status.get("updatedReplicas", 0), status.get("availableReplicas", 0)


def replica_sets(cluster: Cluster) -> dict[str, Obj]:
    items = cluster.client.list("replicasets", "default")["items"]
    return {rs["metadata"]["name"]: rs for rs in items}


def scaling_messages(cluster: Cluster) -> list[str]:
    return [e["message"] for e in events(cluster, name=NAME, reason="ScalingReplicaSet")]


def update(cluster: Cluster, change: Any) -> None:
    d = get(cluster, "deployments", NAME)
    change(d)
    cluster.client.update("deployments", d)


def settle_ready(cluster: Cluster, steps: int = 6) -> None:
    for _ in range(steps):
        cluster.advance(1)
        mark_ready(cluster)


def set_image(image: str) -> Any:
    def change(d: Obj) -> None:
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    return change


def test_seed_walkthrough(kcm: Cluster) -> None:
    created = kcm.client.create("deployments", nginx_deployment())
    first_hash = compute_hash(created["spec"]["template"], None)
    assert set(first_hash) <= set(ALPHANUMS)
    assert first_hash == "647677fc66"  # as a v1.32 cluster names it
    first = f"{NAME}-{first_hash}"
    kcm.advance(1)
    assert columns(kcm) == ("0/2", 2, 0)
    rs = replica_sets(kcm)[first]
    assert rs["metadata"]["annotations"] == {
        REVISION: "1", "deployment.kubernetes.io/desired-replicas": "2",
        "deployment.kubernetes.io/max-replicas": "3"}
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "nginx",
                                                     "pod-template-hash": first_hash}
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert all(p["metadata"]["labels"]["pod-template-hash"] == first_hash for p in pods(kcm))
    mark_ready(kcm)
    kcm.advance(1)
    assert columns(kcm) == ("2/2", 2, 2)
    d = get(kcm, "deployments", NAME)
    conds = {c["type"]: (c["status"], c["reason"], c["message"]) for c in d["status"]["conditions"]}
    assert conds == {
        "Available": ("True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        "Progressing": ("True", "NewReplicaSetAvailable",
                        f'ReplicaSet "{first}" has successfully progressed.')}
    assert d["metadata"]["annotations"][REVISION] == "1"

    # kubectl set image: one surge pod at a time (maxSurge 1, maxUnavailable 0 for 2 replicas)
    update(kcm, set_image("nginx:1.16.1"))
    kcm.advance(1)
    second_hash = compute_hash(get(kcm, "deployments", NAME)["spec"]["template"], None)
    second = f"{NAME}-{second_hash}"
    assert second == "nginx-deployment-8d94c585f"
    assert second != first
    assert columns(kcm) == ("2/2", 1, 2)
    settle_ready(kcm)
    assert columns(kcm) == ("2/2", 2, 2)
    rss = replica_sets(kcm)
    assert rss[first]["spec"]["replicas"] == 0 and rss[second]["spec"]["replicas"] == 2
    assert rss[second]["metadata"]["annotations"][REVISION] == "2"
    assert get(kcm, "deployments", NAME)["metadata"]["annotations"][REVISION] == "2"
    assert scaling_messages(kcm) == [
        f"Scaled up replica set {first} from 0 to 2",
        f"Scaled up replica set {second} from 0 to 1",
        f"Scaled down replica set {first} from 2 to 1",
        f"Scaled up replica set {second} from 1 to 2",
        f"Scaled down replica set {first} from 1 to 0",
    ]

    # kubectl scale --replicas=4: only the new ReplicaSet is active
    update(kcm, lambda d: d["spec"].__setitem__("replicas", 4))
    settle_ready(kcm, 2)
    assert columns(kcm) == ("4/4", 4, 4)
    assert scaling_messages(kcm)[-1] == f"Scaled up replica set {second} from 2 to 4"
    assert replica_sets(kcm)[second]["metadata"]["annotations"][
        "deployment.kubernetes.io/desired-replicas"] == "4"

    # kubectl rollout undo --to-revision=1: the first ReplicaSet comes back as revision 3
    assert rollout_undo(kcm.client, "default", NAME, 1) == "rolled back"
    settle_ready(kcm, 8)
    rss = replica_sets(kcm)
    assert rss[first]["metadata"]["annotations"][REVISION] == "3"
    assert rss[first]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert rss[first]["spec"]["replicas"] == 4 and rss[second]["spec"]["replicas"] == 0
    assert get(kcm, "deployments", NAME)["metadata"]["annotations"][REVISION] == "3"
    assert columns(kcm) == ("4/4", 4, 4)
    assert len(rss) == 2
    # The 10th distinct ScalingReplicaSet message within 10 minutes starts the
    # recorder's "(combined from similar events)" aggregation, as upstream's.
    assert scaling_messages(kcm)[6:] == [
        f"Scaled up replica set {first} from 0 to 1",
        f"Scaled down replica set {second} from 4 to 3",
        f"Scaled up replica set {first} from 1 to 2",
        f"(combined from similar events): Scaled down replica set {second} from 1 to 0",
    ]
    assert {p["metadata"]["labels"]["pod-template-hash"] for p in pods(kcm)} == {first_hash}
    assert rollout_undo(kcm.client, "default", NAME, 3).startswith("skipped rollback")

    # kubectl delete deployment: the garbage collector removes ReplicaSets and pods
    kcm.client.delete("deployments", NAME, namespace="default")
    kcm.advance(2)
    assert replica_sets(kcm) == {}
    assert pods(kcm) == []
