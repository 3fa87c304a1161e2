"""The ReplicaSet controller: creation, status, adoption, release, scale-down order."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.controllers.conftest import events, get, mark_ready, pods, replica_set


def test_creates_pods_with_generate_name_and_owner(kcm: Cluster) -> None:
    rs = kcm.client.create("replicasets", replica_set("web", 3))
    kcm.advance(1)
    got = pods(kcm, selector="app=web")
    assert len(got) == 3
    for pod in got:
        m = pod["metadata"]
        assert m["generateName"] == "web-"
        assert m["name"].startswith("web-") and len(m["name"]) == len("web-") + 5
        assert m["ownerReferences"] == [{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
            "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    created = events(kcm, name="web", reason="SuccessfulCreate")
    assert sorted(e["message"] for e in created) == sorted(
        f"Created pod: {p['metadata']['name']}" for p in got)
    assert created[0]["source"] == {"component": "replicaset-controller"}
    status = get(kcm, "replicasets", "web")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1}


def test_status_counts_ready_and_available(kcm: Cluster) -> None:
    body = replica_set("web", 2)
    body["spec"]["minReadySeconds"] = 10
    kcm.client.create("replicasets", body)
    kcm.advance(1)
    mark_ready(kcm)
    kcm.advance(1)
    status = get(kcm, "replicasets", "web")["status"]
    assert status["readyReplicas"] == 2 and "availableReplicas" not in status
    kcm.advance(12)
    assert get(kcm, "replicasets", "web")["status"]["availableReplicas"] == 2


def test_scale_up_and_down(kcm: Cluster) -> None:
    kcm.client.create("replicasets", replica_set("web", 2))
    kcm.advance(1)
    rs = get(kcm, "replicasets", "web")
    rs["spec"]["replicas"] = 5
    kcm.client.update("replicasets", rs)
    kcm.advance(1)
    assert len(pods(kcm)) == 5
    rs = get(kcm, "replicasets", "web")
    rs["spec"]["replicas"] = 1
    kcm.client.update("replicasets", rs)
    kcm.advance(1)
    assert len(pods(kcm)) == 1
    assert len(events(kcm, name="web", reason="SuccessfulDelete")) == 4
    assert get(kcm, "replicasets", "web")["status"]["replicas"] == 1


def test_recreates_deleted_pod(kcm: Cluster) -> None:
    kcm.client.create("replicasets", replica_set("web", 2))
    kcm.advance(1)
    victim = pods(kcm)[0]["metadata"]["name"]
    kcm.client.delete("pods", victim, namespace="default")
    kcm.advance(1)
    names = [p["metadata"]["name"] for p in pods(kcm)]
    assert len(names) == 2 and victim not in names
