"""Issue 4's storage acceptance on a default cluster (the manager's own controllers)."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.storage.conftest import claim, events_for, immediate_class, pod_with_claim


def test_claim_binds_provisioned_volume_and_delete_policy_cleans_up(cluster: Cluster) -> None:
    client = cluster.client
    client.create("storageclasses", immediate_class("fast"))
    client.create("persistentvolumeclaims", claim("data", "1Gi", "fast"), namespace="default")
    cluster.advance(2)
    pvc = client.get("persistentvolumeclaims", "data", "default")
    assert pvc["status"]["phase"] == "Bound"
    volume = pvc["spec"]["volumeName"]
    assert ("ProvisioningSucceeded", f"Successfully provisioned volume {volume}") in \
        events_for(cluster, "data")
    client.create("persistentvolumeclaims", claim("later"), namespace="default")
    client.create("pods", pod_with_claim("app", "later"), namespace="default")
    cluster.advance(10)
    assert client.get("pods", "app", "default")["status"]["phase"] == "Running"
    assert client.get("persistentvolumeclaims", "later", "default")["status"]["phase"] == \
        "Bound"
    client.create("persistentvolumeclaims", claim("none", cls=""), namespace="default")
    client.create("pods", pod_with_claim("stuck", "none"), namespace="default")
    cluster.advance(5)
    stuck = client.get("pods", "stuck", "default")
    assert stuck["status"]["phase"] == "Pending"
    cond = next(c for c in stuck["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["message"].startswith("0/3 nodes are available: pod has unbound immediate "
                                      "PersistentVolumeClaims.")
    assert client.get("persistentvolumes", volume)["status"]["phase"] == "Bound"
    claim_obj = client.get("persistentvolumeclaims", "data", "default")
    claim_obj["metadata"]["finalizers"] = []  # no pvc-protection controller by default yet
    client.update("persistentvolumeclaims", claim_obj)
    client.delete("persistentvolumeclaims", "data", namespace="default")
    cluster.advance(2)
    names = [v["metadata"]["name"] for v in client.list("persistentvolumes")["items"]]
    assert volume not in names
