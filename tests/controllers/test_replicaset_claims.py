"""ReplicaSet adoption, release, scale-down victim order, and ReplicationControllers."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from tests.controllers.conftest import events, get, pods, replica_set

Obj = dict[str, Any]


def orphan(kcm: Cluster, name: str, node: str = "", phase: str = "Pending",
           ready_at: str | None = None, restarts: int = 0) -> Obj:
    body: Obj = {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
                 "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2"}]}}
    if node:
        body["spec"]["nodeName"] = node
    pod = kcm.client.create("pods", body)
    status: Obj = {"phase": phase, "containerStatuses": [
        {"name": "app", "image": "nginx:1.14.2", "imageID": "", "ready": bool(ready_at),
         "restartCount": restarts, "state": {}}]}
    if ready_at is not None:
        status["conditions"] = [{"type": "Ready", "status": "True",
                                 "lastTransitionTime": ready_at}]
    pod["status"] = status
    return kcm.client.update_status("pods", pod)


def test_adopts_matching_orphans_instead_of_creating(kcm: Cluster) -> None:
    orphan(kcm, "stray")
    rs = kcm.client.create("replicasets", replica_set("web", 2))
    kcm.advance(1)
    got = pods(kcm)
    assert len(got) == 2
    stray = get(kcm, "pods", "stray")
    assert stray["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert len(events(kcm, name="web", reason="SuccessfulCreate")) == 1


def test_releases_pods_whose_labels_no_longer_match(kcm: Cluster) -> None:
    kcm.client.create("replicasets", replica_set("web", 1))
    kcm.advance(1)
    pod = pods(kcm)[0]
    pod["metadata"]["labels"] = {"app": "debug"}
    kcm.client.update("pods", pod)
    kcm.advance(1)
    released = get(kcm, "pods", pod["metadata"]["name"])
    assert not released["metadata"].get("ownerReferences")
    assert len(pods(kcm, selector="app=web")) == 1  # a replacement


def test_scale_down_deletes_the_least_valuable_pods_first(kcm: Cluster) -> None:
    early, late = "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z"
    orphan(kcm, "a-unassigned")
    orphan(kcm, "b-pending", "k9py-worker")
    orphan(kcm, "c-not-ready", "k9py-worker", "Running")
    orphan(kcm, "d-ready", "k9py-worker2", "Running", late)
    orphan(kcm, "e-restarted", "k9py-worker2", "Running", late, restarts=3)
    orphan(kcm, "f-lonely", "k9py-control-plane", "Running", early)
    kcm.client.create("replicasets", replica_set("web", 6))
    kcm.advance(1)
    assert not events(kcm, name="web", reason="SuccessfulCreate")
    rs = get(kcm, "replicasets", "web")
    rs["spec"]["replicas"] = 2
    kcm.client.update("replicasets", rs)
    kcm.advance(1)
    deleted = [e["message"] for e in events(kcm, name="web", reason="SuccessfulDelete")]
    assert sorted(deleted) == sorted(f"Deleted pod: {n}" for n in
                                     ("a-unassigned", "b-pending", "c-not-ready", "e-restarted"))
    live = [p["metadata"]["name"] for p in pods(kcm) if "deletionTimestamp" not in p["metadata"]]
    assert live == ["d-ready", "f-lonely"]


def test_replication_controller(kcm: Cluster) -> None:
    rc = {"apiVersion": "v1", "kind": "ReplicationController",
          "metadata": {"name": "legacy", "namespace": "default"},
          "spec": {"replicas": 2, "selector": {"app": "legacy"},
                   "template": {"metadata": {"labels": {"app": "legacy"}},
                                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    created = kcm.client.create("replicationcontrollers", rc)
    kcm.advance(1)
    got = pods(kcm, selector="app=legacy")
    assert len(got) == 2
    ref = got[0]["metadata"]["ownerReferences"][0]
    assert (ref["apiVersion"], ref["kind"], ref["uid"]) == (
        "v1", "ReplicationController", created["metadata"]["uid"])
    assert get(kcm, "replicationcontrollers", "legacy")["status"]["replicas"] == 2
    assert events(kcm, name="legacy")[0]["source"] == {"component": "replication-controller"}
