"""The garbage collector over a Deployment -> ReplicaSet -> Pod chain:
Background, Foreground and Orphan propagation, and dangling owners."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.controllers.conftest import get, pods
from tests.helpers import deployment


def chain(kcm: Cluster) -> str:
    kcm.client.create("deployments", deployment("web", 3), namespace="default")
    kcm.advance(1)
    rss = kcm.client.list("replicasets", "default")["items"]
    assert len(rss) == 1 and len(pods(kcm)) == 3
    return rss[0]["metadata"]["name"]


def test_background_deletes_replica_sets_then_pods(kcm: Cluster) -> None:
    rs = chain(kcm)
    kcm.client.delete("deployments", "web", namespace="default")
    assert get(kcm, "deployments", "web") is None  # gone at once
    kcm.advance(1)
    assert get(kcm, "replicasets", rs) is None
    assert pods(kcm) == []


def test_foreground_waits_for_dependents(kcm: Cluster) -> None:
    rs = chain(kcm)
    d = kcm.client.delete("deployments", "web", namespace="default",
                          propagation_policy="Foreground")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert "deletionTimestamp" in d["metadata"]
    kcm.advance(1)
    assert get(kcm, "deployments", "web") is None
    assert get(kcm, "replicasets", rs) is None
    assert pods(kcm) == []


def test_foreground_owner_stays_while_a_dependent_is_blocked(kcm: Cluster) -> None:
    rs = chain(kcm)
    victim = pods(kcm)[0]
    victim["metadata"]["finalizers"] = ["example.com/hold"]
    kcm.client.update("pods", victim)
    kcm.client.delete("deployments", "web", namespace="default", propagation_policy="Foreground")
    kcm.advance(5)
    assert get(kcm, "deployments", "web") is not None
    assert get(kcm, "replicasets", rs) is not None
    held = get(kcm, "pods", victim["metadata"]["name"])
    held["metadata"]["finalizers"] = []
    kcm.client.update("pods", held)
    kcm.advance(1)
    assert get(kcm, "replicasets", rs) is None
    assert get(kcm, "deployments", "web") is None


def test_orphan_keeps_replica_set_without_owner(kcm: Cluster) -> None:
    rs = chain(kcm)
    kcm.client.delete("deployments", "web", namespace="default", propagation_policy="Orphan")
    kcm.advance(1)
    assert get(kcm, "deployments", "web") is None
    kept = get(kcm, "replicasets", rs)
    assert kept is not None and not kept["metadata"].get("ownerReferences")
    assert len(pods(kcm)) == 3


def test_dangling_owner_reference_is_collected(kcm: Cluster) -> None:
    cm = {"metadata": {"name": "child", "namespace": "default", "ownerReferences": [{
        "apiVersion": "v1", "kind": "ConfigMap", "name": "parent",
        "uid": "00000000-0000-4000-8000-000000000000"}]}}
    kcm.client.create("configmaps", cm)
    kcm.advance(1)
    assert get(kcm, "configmaps", "child") is None


def test_live_owner_keeps_dependent_and_drops_dangling_reference(kcm: Cluster) -> None:
    parent = kcm.client.create("configmaps", {"metadata": {"name": "parent",
                                                           "namespace": "default"}})
    refs = [{"apiVersion": "v1", "kind": "ConfigMap", "name": "parent",
             "uid": parent["metadata"]["uid"]},
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost",
             "uid": "00000000-0000-4000-8000-000000000001"}]
    kcm.client.create("configmaps", {"metadata": {"name": "child", "namespace": "default",
                                                  "ownerReferences": refs}})
    kcm.advance(1)
    child = get(kcm, "configmaps", "child")
    assert [r["name"] for r in child["metadata"]["ownerReferences"]] == ["parent"]
    kcm.client.delete("configmaps", "parent", namespace="default")
    kcm.advance(1)
    assert get(kcm, "configmaps", "child") is None


def test_static_pods_owned_by_their_node_survive(kcm: Cluster) -> None:
    before = {p["metadata"]["name"] for p in pods(kcm, "kube-system")}
    kcm.advance(5)
    assert {p["metadata"]["name"] for p in pods(kcm, "kube-system")} == before
    assert any(p.startswith("etcd-") for p in before)
