"""VolumeBinding: PVCs must exist and be bound, or bindable on the node."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.scheduler.helpers import TAINT_MSG, WORKER2, create, failed_message, node_of, pod


def _pvc(cluster: Cluster, name: str, storage_class: str | None = None) -> None:
    spec: dict = {"accessModes": ["ReadWriteOnce"],
                  "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    cluster.client.create("persistentvolumeclaims", {
        "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
        "spec": spec}, namespace="default")


def _with_claim(name: str, claim: str) -> dict:
    return pod(name, volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": claim}}])


def _storage_class(cluster: Cluster, name: str, mode: str, provisioner: str) -> None:
    cluster.client.create("storageclasses", {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
        "provisioner": provisioner, "volumeBindingMode": mode})


def test_missing_claim(cluster: Cluster) -> None:
    create(cluster, _with_claim("db", "nope"))
    cluster.advance(2)
    assert failed_message(cluster, "db") == (
        '0/3 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/3 '
        "nodes are available: 3 Preemption is not helpful for scheduling..")


def test_unbound_immediate_claim(cluster: Cluster) -> None:
    _storage_class(cluster, "manual", "Immediate", "kubernetes.io/no-provisioner")
    _pvc(cluster, "data", "manual")
    create(cluster, _with_claim("db", "data"))
    cluster.advance(2)
    assert failed_message(cluster, "db") == (
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: "
        "0/3 nodes are available: 3 Preemption is not helpful for scheduling..")


def test_wait_for_first_consumer_with_a_local_volume(cluster: Cluster) -> None:
    _storage_class(cluster, "local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner")
    cluster.client.create("persistentvolumes", {
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "local-pv"},
        "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce"],
                 "storageClassName": "local", "local": {"path": "/mnt/disk"},
                 "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                     {"key": "kubernetes.io/hostname", "operator": "In",
                      "values": [WORKER2]}]}]}}}})
    _pvc(cluster, "data", "local")
    create(cluster, _with_claim("db", "data"))
    cluster.advance(2)
    assert node_of(cluster, "db") == WORKER2
    pv = cluster.client.get("persistentvolumes", "local-pv")
    assert pv["spec"]["claimRef"]["name"] == "data"


def test_wait_for_first_consumer_without_volumes(cluster: Cluster) -> None:
    _storage_class(cluster, "local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner")
    _pvc(cluster, "data", "local")
    create(cluster, _with_claim("db", "data"))
    cluster.advance(2)
    assert failed_message(cluster, "db").startswith(
        f"0/3 nodes are available: {TAINT_MSG}, 2 node(s) didn't find available persistent "
        "volumes to bind. ")


def test_provisioned_claim_gets_the_selected_node(cluster: Cluster) -> None:
    # kind's default class: rancher.io/local-path, WaitForFirstConsumer.
    sc = cluster.client.get("storageclasses", "standard")
    assert sc["volumeBindingMode"] == "WaitForFirstConsumer"
    _pvc(cluster, "data", "standard")
    create(cluster, _with_claim("db", "data"))
    cluster.advance(2)
    node = node_of(cluster, "db")
    assert node
    pvc = cluster.client.get("persistentvolumeclaims", "data", "default")
    assert pvc["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
