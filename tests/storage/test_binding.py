"""PersistentVolume binding, provisioning and reclaiming on the virtual clock."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.storage.conftest import (
    claim,
    events_for,
    immediate_class,
    pod_with_claim,
    volume,
)


def _get(cluster: Cluster, resource: str, name: str, ns: str | None = "default") -> dict:
    return cluster.client.get(resource, name, ns)


def _exists(cluster: Cluster, resource: str, name: str, ns: str | None = None) -> bool:
    names = [o["metadata"]["name"] for o in cluster.client.list(resource, ns)["items"]]
    return name in names


def test_default_class_is_kinds_standard(sc: Cluster) -> None:
    std = sc.client.get("storageclasses", "standard")
    assert std["provisioner"] == "rancher.io/local-path"
    assert std["volumeBindingMode"] == "WaitForFirstConsumer"
    assert std["metadata"]["annotations"][
        "storageclass.kubernetes.io/is-default-class"] == "true"


def test_claim_of_immediate_class_binds_to_provisioned_volume(sc: Cluster) -> None:
    sc.client.create("storageclasses", immediate_class())
    sc.client.create("persistentvolumeclaims", claim("data", "2Gi", "fast"), namespace="default")
    sc.advance(2)
    pvc = _get(sc, "persistentvolumeclaims", "data")
    uid = pvc["metadata"]["uid"]
    assert pvc["status"]["phase"] == "Bound"
    assert pvc["spec"]["volumeName"] == f"pvc-{uid}"
    assert pvc["status"]["capacity"] == {"storage": "2Gi"}
    assert pvc["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes"
    assert pvc["metadata"]["annotations"][
        "volume.kubernetes.io/storage-provisioner"] == "rancher.io/local-path"
    pv = _get(sc, "persistentvolumes", f"pvc-{uid}", None)
    assert pv["status"]["phase"] == "Bound"
    assert pv["spec"]["claimRef"]["uid"] == uid
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert pv["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] == \
        "rancher.io/local-path"
    reasons = dict(events_for(sc, "data"))
    assert reasons["ProvisioningSucceeded"] == f"Successfully provisioned volume pvc-{uid}"
    assert reasons["Provisioning"] == 'External provisioner is provisioning volume for claim ' \
        '"default/data"'


def test_default_class_waits_for_first_consumer_then_binds(sc: Cluster) -> None:
    sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    sc.advance(2)
    pvc = _get(sc, "persistentvolumeclaims", "data")
    assert pvc["spec"]["storageClassName"] == "standard"
    assert pvc["status"]["phase"] == "Pending"
    assert ("WaitForFirstConsumer",
            "waiting for first consumer to be created before binding") in events_for(sc, "data")
    sc.client.create("pods", pod_with_claim("app", "data"), namespace="default")
    sc.advance(10)
    pvc = _get(sc, "persistentvolumeclaims", "data")
    assert pvc["status"]["phase"] == "Bound"
    node = pvc["metadata"]["annotations"]["volume.kubernetes.io/selected-node"]
    pv = _get(sc, "persistentvolumes", pvc["spec"]["volumeName"], None)
    terms = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
    assert terms[0]["matchExpressions"][0]["values"] == [node]
    pod = _get(sc, "pods", "app")
    assert pod["spec"]["nodeName"] == node
    assert pod["status"]["phase"] == "Running"


def test_pod_with_unbound_claim_stays_pending(sc: Cluster) -> None:
    sc.client.create("persistentvolumeclaims", claim("nothing", cls=""), namespace="default")
    sc.client.create("pods", pod_with_claim("waiting", "nothing"), namespace="default")
    sc.advance(5)
    pod = _get(sc, "pods", "waiting")
    assert pod["status"]["phase"] == "Pending"
    cond = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["reason"] == "Unschedulable"
    assert "pod has unbound immediate PersistentVolumeClaims" in cond["message"]
    assert ("FailedBinding", "no persistent volumes available for this claim and no storage "
            "class is set") in events_for(sc, "nothing")
    sc.client.create("persistentvolumes", volume("pv1", "5Gi"))
    sc.advance(20)
    assert _get(sc, "persistentvolumeclaims", "nothing")["spec"]["volumeName"] == "pv1"


def test_smallest_matching_static_volume_wins(sc: Cluster) -> None:
    for name, size, modes in (("big", "10Gi", ("ReadWriteOnce",)),
                              ("small", "2Gi", ("ReadWriteOnce",)),
                              ("tiny", "500Mi", ("ReadWriteOnce",)),
                              ("rox", "1Gi", ("ReadOnlyMany",))):
        sc.client.create("persistentvolumes", volume(name, size, modes=modes))
    sc.advance(1)
    assert _get(sc, "persistentvolumes", "big", None)["status"]["phase"] == "Available"
    sc.client.create("persistentvolumeclaims", claim("c", "1Gi", ""), namespace="default")
    sc.advance(1)
    pvc = _get(sc, "persistentvolumeclaims", "c")
    assert pvc["spec"]["volumeName"] == "small"
    assert pvc["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                             "capacity": {"storage": "2Gi"}}
    pv = _get(sc, "persistentvolumes", "small", None)
    assert pv["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    sel = claim("s", "1Gi", "", selector={"matchLabels": {"tier": "gold"}})
    sc.client.create("persistentvolumeclaims", sel, namespace="default")
    sc.client.create("persistentvolumes", volume("gold", "3Gi", labels={"tier": "gold"}))
    sc.advance(16)  # the claim's next periodic sync finds the new volume
    assert _get(sc, "persistentvolumeclaims", "s")["spec"]["volumeName"] == "gold"


def test_deleting_claim_with_delete_policy_removes_the_volume(sc: Cluster) -> None:
    sc.client.create("storageclasses", immediate_class())
    sc.client.create("persistentvolumeclaims", claim("data", cls="fast"), namespace="default")
    sc.advance(2)
    name = _get(sc, "persistentvolumeclaims", "data")["spec"]["volumeName"]
    sc.client.delete("persistentvolumeclaims", "data", namespace="default")
    sc.advance(2)
    assert not _exists(sc, "persistentvolumeclaims", "data", "default")
    assert not _exists(sc, "persistentvolumes", name)


def test_retain_keeps_released_volume_and_static_delete_fails(sc: Cluster) -> None:
    sc.client.create("persistentvolumes", volume("keep", "1Gi"))
    sc.client.create("persistentvolumes", volume("gone", "1Gi", cls="x", policy="Delete"))
    sc.client.create("persistentvolumeclaims", claim("a", cls=""), namespace="default")
    sc.client.create("persistentvolumeclaims", claim("b", cls="x"), namespace="default")
    sc.advance(2)
    assert _get(sc, "persistentvolumeclaims", "b")["spec"]["volumeName"] == "gone"
    for name in ("a", "b"):
        sc.client.delete("persistentvolumeclaims", name, namespace="default")
    sc.advance(2)
    assert _get(sc, "persistentvolumes", "keep", None)["status"]["phase"] == "Released"
    failed = _get(sc, "persistentvolumes", "gone", None)
    assert failed["status"]["phase"] == "Failed"
    assert failed["status"]["message"] == ('error getting deleter volume plugin for volume '
                                           '"gone": no deletable volume plugin matched')


def test_claim_in_use_is_protected_until_its_pod_goes(sc: Cluster) -> None:
    sc.client.create("persistentvolumeclaims", claim("data"), namespace="default")
    sc.client.create("pods", pod_with_claim("app", "data"), namespace="default")
    sc.advance(10)
    sc.client.delete("persistentvolumeclaims", "data", namespace="default")
    sc.advance(2)
    pvc = _get(sc, "persistentvolumeclaims", "data")
    assert pvc["metadata"]["deletionTimestamp"]
    assert pvc["status"]["phase"] == "Bound"
    sc.client.delete("pods", "app", namespace="default")
    sc.advance(40)
    assert not _exists(sc, "persistentvolumeclaims", "data", "default")
    assert sc.client.list("persistentvolumes")["items"] == []


def test_claim_of_an_absent_external_provisioner_waits(sc: Cluster) -> None:
    sc.client.create("storageclasses", immediate_class("nfs", "nfs-provisioner-01"))
    sc.client.create("persistentvolumeclaims", claim("shared", cls="nfs",
                                                     modes=("ReadWriteMany",)),
                     namespace="default")
    sc.advance(5)
    pvc = _get(sc, "persistentvolumeclaims", "shared")
    assert pvc["status"]["phase"] == "Pending"
    assert ("ExternalProvisioning", "Waiting for a volume to be created either by the external "
            "provisioner 'nfs-provisioner-01' or manually by the system administrator. If "
            "volume creation is delayed, please verify that the provisioner is running and "
            "correctly registered.") in events_for(sc, "shared")


def test_recycle_makes_volume_available_and_lost_volume_loses_claim(sc: Cluster) -> None:
    sc.client.create("persistentvolumes", volume("scratch", "1Gi", policy="Recycle"))
    sc.client.create("persistentvolumeclaims", claim("tmp", cls=""), namespace="default")
    sc.advance(2)
    assert _get(sc, "persistentvolumeclaims", "tmp")["spec"]["volumeName"] == "scratch"
    sc.client.delete("persistentvolumeclaims", "tmp", namespace="default")
    sc.advance(2)
    pv = _get(sc, "persistentvolumes", "scratch", None)
    assert pv["status"]["phase"] == "Available"
    assert "claimRef" not in pv["spec"]
    assert ("VolumeRecycled", "Volume recycled") in events_for(sc, "scratch", "")
    sc.client.create("persistentvolumeclaims", claim("again", cls=""), namespace="default")
    sc.advance(2)
    assert _get(sc, "persistentvolumeclaims", "again")["status"]["phase"] == "Bound"
    # A bound volume that is deleted stays Terminating (pv-protection); its
    # finalizer removed by hand, it goes. Removing the finalizer first would
    # not do: pv-protection puts it back on a live volume
    # (pv_protection_controller.go processPV, NeedToAddFinalizer).
    sc.client.delete("persistentvolumes", "scratch")
    sc.advance(1)
    pv = _get(sc, "persistentvolumes", "scratch", None)
    assert pv["metadata"]["deletionTimestamp"]
    pv["metadata"]["finalizers"] = []
    sc.client.update("persistentvolumes", pv)
    sc.advance(2)
    lost = _get(sc, "persistentvolumeclaims", "again")
    assert lost["status"]["phase"] == "Lost"
    assert ("ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the "
            "volume is lost!") in events_for(sc, "again")
