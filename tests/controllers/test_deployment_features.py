"""Deployment features: Recreate, pause/resume, revision history, progress
deadline, proportional scaling, hash collisions."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from tests.controllers.conftest import events, get, mark_ready, pods
from tests.helpers import deployment

Obj = dict[str, Any]


def create(kcm: Cluster, replicas: int = 3, **spec: Any) -> None:
    body = deployment("web", replicas)
    body["spec"].update(spec)
    kcm.client.create("deployments", body, namespace="default")


def update(kcm: Cluster, **spec: Any) -> None:
    d = get(kcm, "deployments", "web")
    for key, value in spec.items():
        if key == "image":
            d["spec"]["template"]["spec"]["containers"][0]["image"] = value
        else:
            d["spec"][key] = value
    kcm.client.update("deployments", d)


def progressing(kcm: Cluster) -> tuple[str, str, str]:
    d = get(kcm, "deployments", "web")
    cond = next(c for c in d["status"]["conditions"] if c["type"] == "Progressing")
    return cond["status"], cond["reason"], cond["message"]


def scaling(kcm: Cluster) -> list[str]:
    return [e["message"] for e in events(kcm, name="web", reason="ScalingReplicaSet")]


def rs_sizes(kcm: Cluster) -> dict[str, int]:
    items = kcm.client.list("replicasets", "default")["items"]
    return {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in items}


def run_ready(kcm: Cluster, seconds: int) -> None:
    for _ in range(seconds):
        kcm.advance(1)
        mark_ready(kcm)


def test_recreate_scales_old_to_zero_before_creating_new(kcm: Cluster) -> None:
    create(kcm, 3, strategy={"type": "Recreate"})
    run_ready(kcm, 2)
    (old,) = rs_sizes(kcm)
    update(kcm, image="nginx:1.16.1")
    run_ready(kcm, 3)
    sizes = rs_sizes(kcm)
    (new,) = set(sizes) - {old}
    assert sizes == {old: 0, new: 3}
    assert scaling(kcm) == [f"Scaled up replica set {old} from 0 to 3",
                            f"Scaled down replica set {old} from 3 to 0",
                            f"Scaled up replica set {new} from 0 to 3"]


def test_pause_and_resume(kcm: Cluster) -> None:
    create(kcm, 2)
    run_ready(kcm, 2)
    update(kcm, paused=True)
    kcm.advance(1)
    assert progressing(kcm) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    update(kcm, image="nginx:1.16.1")
    run_ready(kcm, 3)
    assert len(rs_sizes(kcm)) == 1  # no rollout while paused
    update(kcm, replicas=3)
    run_ready(kcm, 2)
    assert list(rs_sizes(kcm).values()) == [3]  # but scaling still happens
    update(kcm, paused=False)
    kcm.advance(1)
    d = get(kcm, "deployments", "web")
    assert len(rs_sizes(kcm)) == 2
    run_ready(kcm, 8)
    assert progressing(kcm)[1] == "NewReplicaSetAvailable"
    assert get(kcm, "deployments", "web")["status"]["updatedReplicas"] == 3
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"


def test_resume_condition_is_recorded(kcm: Cluster) -> None:
    create(kcm, 1, paused=True)
    kcm.advance(1)
    assert progressing(kcm)[1] == "DeploymentPaused"
    assert rs_sizes(kcm) == {}
    update(kcm, paused=False)
    kcm.advance(1)
    statuses = [e for e in events(kcm, name="web")]
    assert statuses  # the rollout began
    assert progressing(kcm)[1] in ("DeploymentResumed", "NewReplicaSetCreated",
                                   "ReplicaSetUpdated")


def test_revision_history_limit_deletes_oldest_empty_replica_sets(kcm: Cluster) -> None:
    create(kcm, 1, revisionHistoryLimit=1)
    run_ready(kcm, 2)
    for image in ("nginx:1.15", "nginx:1.16", "nginx:1.17"):
        update(kcm, image=image)
        run_ready(kcm, 5)
    items = kcm.client.list("replicasets", "default")["items"]
    revisions = sorted(int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
                       for rs in items)
    assert revisions == [3, 4]


def test_progress_deadline_exceeded(kcm: Cluster) -> None:
    create(kcm, 2, progressDeadlineSeconds=10)
    kcm.advance(5)
    assert progressing(kcm)[1] == "ReplicaSetUpdated"
    kcm.advance(10)
    (name,) = rs_sizes(kcm)
    assert progressing(kcm) == ("False", "ProgressDeadlineExceeded",
                                f'ReplicaSet "{name}" has timed out progressing.')
    mark_ready(kcm)
    kcm.advance(1)
    assert progressing(kcm)[1] == "NewReplicaSetAvailable"


def test_scaling_mid_rollout_is_proportional(kcm: Cluster) -> None:
    create(kcm, 10)
    run_ready(kcm, 2)
    (old,) = rs_sizes(kcm)
    update(kcm, image="nginx:does-not-matter")
    kcm.advance(2)  # the new pods never become ready: the rollout is stuck
    sizes = rs_sizes(kcm)
    (new,) = set(sizes) - {old}
    assert sizes == {old: 8, new: 5}  # maxSurge 3 (25% of 10 up), maxUnavailable 2
    update(kcm, replicas=20)
    kcm.advance(2)
    # max-replicas was 13, now 25: 8*25/13 = 15.4 -> 15, 5*25/13 = 9.6 -> 10
    assert rs_sizes(kcm) == {old: 15, new: 10}
    assert len(pods(kcm)) == 25


def test_available_condition_follows_min_availability(kcm: Cluster) -> None:
    create(kcm, 4)
    kcm.advance(1)
    d = get(kcm, "deployments", "web")
    avail = next(c for c in d["status"]["conditions"] if c["type"] == "Available")
    assert (avail["status"], avail["reason"]) == ("False", "MinimumReplicasUnavailable")
    mark_ready(kcm, selector="app=web")
    kcm.advance(1)
    d = get(kcm, "deployments", "web")
    avail = next(c for c in d["status"]["conditions"] if c["type"] == "Available")
    assert (avail["status"], avail["reason"], avail["message"]) == (
        "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert d["status"]["observedGeneration"] == 1


def test_hash_collision_bumps_collision_count(kcm: Cluster) -> None:
    from engine.controllers.deployment.hash import compute_hash

    body = deployment("web", 1)
    probe = kcm.client.create("deployments", {**body, "metadata": {"name": "probe"}},
                              namespace="default")
    taken = f"web-{compute_hash(probe['spec']['template'], None)}"
    kcm.client.delete("deployments", "probe", namespace="default")
    squatter = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": taken, "namespace": "default"},
                "spec": {"replicas": 0, "selector": {"matchLabels": {"squat": "yes"}},
                         "template": {"metadata": {"labels": {"squat": "yes"}},
                                      "spec": {"containers": [{"name": "c", "image": "x"}]}}}}
    kcm.client.create("replicasets", squatter)
    kcm.advance(1)
    kcm.client.create("deployments", body, namespace="default")
    kcm.advance(2)
    d = get(kcm, "deployments", "web")
    assert d["status"]["collisionCount"] == 1
    expected = f"web-{compute_hash(d['spec']['template'], 1)}"
    assert set(rs_sizes(kcm)) == {taken, expected}
    assert rs_sizes(kcm)[expected] == 1


def test_replica_failure_is_reported(kcm: Cluster) -> None:
    quota = {"apiVersion": "v1", "kind": "ResourceQuota",
             "metadata": {"name": "pods", "namespace": "default"}, "spec": {"hard": {"pods": "2"}}}
    kcm.client.create("resourcequotas", quota)
    kcm.advance(1)
    create(kcm, 4)
    kcm.advance(3)
    failed = events(kcm, reason="FailedCreate")
    assert failed and failed[0]["message"].startswith("Error creating: ")
    (rs,) = kcm.client.list("replicasets", "default")["items"]
    cond = next(c for c in rs["status"]["conditions"] if c["type"] == "ReplicaFailure")
    assert (cond["status"], cond["reason"]) == ("True", "FailedCreate")
    d = get(kcm, "deployments", "web")
    assert any(c["type"] == "ReplicaFailure" for c in d["status"]["conditions"])
